// Future and possible events: what is scheduled, planned or only considered, not what happened.
MATCH (a:Entity)-[r]->(b:Entity)
WHERE r.modality IN ['future', 'possible']
MATCH (ev:Evidence) WHERE ev.relation = r.id
RETURN a.name AS subject, type(r) AS relation, b.name AS object, r.modality AS modality,
       r.polarity AS polarity, ev.doc AS document, ev.start_offset AS start_offset, ev.trigger AS trigger,
       ev.sentence AS sentence
ORDER BY subject, relation, object, modality, polarity, document, start_offset
