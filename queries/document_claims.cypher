// What one document states: every relation with evidence in it, in reading order.
// param document: string  The document id (the file name without extension).
MATCH (d:Document {id: $document})-[:STATES]->(ev:Evidence)
MATCH (s:Entity {id: ev.subject})-[r]->(o:Entity {id: ev.object})
WHERE r.id = ev.relation
RETURN ev.start_offset AS start_offset, ev.end_offset AS end_offset, s.name AS subject, type(r) AS relation, o.name AS object,
       r.polarity AS polarity, r.modality AS modality, ev.trigger AS trigger, ev.sentence AS sentence
ORDER BY start_offset, end_offset, subject, relation, object
