// What happened between two dates: every relation whose time (attributes.when: a year, month or day)
// overlaps the period, with its evidence. A relation dated "2004" overlaps a period that touches 2004.
// param from: string  First day of the period, as YYYY, YYYY-MM or YYYY-MM-DD.
// param to: string  Last day of the period, as YYYY, YYYY-MM or YYYY-MM-DD.
MATCH (a:Entity)-[r]->(b:Entity)
WHERE r.time IS NOT NULL
  AND substring(r.time, 0, size($from)) >= substring($from, 0, size(r.time))
  AND substring(r.time, 0, size($to)) <= substring($to, 0, size(r.time))
MATCH (ev:Evidence) WHERE ev.relation = r.id
RETURN r.time AS time, a.name AS subject, type(r) AS relation, b.name AS object, r.polarity AS polarity,
       r.modality AS modality, ev.doc AS document, ev.start_offset AS start_offset, ev.sentence AS sentence
ORDER BY time, subject, relation, object, document, start_offset
