// Everything about one entity: its aliases, titles and documents, and each of its relations
// with the evidence that states it. One row per relation (one row with relation null if it has none).
// param name: string  Name, alias or id of the entity, any case. Two entities may match (two Ivanovs).
MATCH (e:Entity)
WHERE toLower(e.name) = toLower($name) OR e.id = $name OR any(a IN e.aliases WHERE toLower(a) = toLower($name))
OPTIONAL MATCH (d:Document)-[:MENTIONS]->(e)
WITH e, d
ORDER BY d.id
WITH e, collect(d.id) AS documents
OPTIONAL MATCH (e)-[r]-(other:Entity)
OPTIONAL MATCH (ev:Evidence) WHERE ev.relation = r.id
WITH e, documents, r, other, ev
ORDER BY ev.doc, ev.start_offset
WITH e, documents, r, other, collect(ev.doc + ':' + toString(ev.start_offset) + ':' + ev.sentence) AS evidence
RETURN e.id AS id, e.type AS type, e.name AS name, e.aliases AS aliases, e.title AS title, e.titles AS titles,
       documents, type(r) AS relation,
       CASE WHEN r IS NULL THEN null WHEN startNode(r) = e THEN 'out' ELSE 'in' END AS direction,
       other.name AS other, r.polarity AS polarity, r.modality AS modality, evidence
ORDER BY id, relation, direction, other, polarity, modality
