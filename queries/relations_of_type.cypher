// Relations of one type, with each sentence that states them (one row per evidence sentence).
// param type: string  A relation type of the vocabulary, e.g. VISITED or CRITICIZED.
MATCH (a:Entity)-[r]->(b:Entity)
WHERE type(r) = $type
MATCH (ev:Evidence) WHERE ev.relation = r.id
RETURN a.name AS subject, type(r) AS relation, b.name AS object, r.polarity AS polarity,
       r.modality AS modality, r.confidence AS confidence, ev.doc AS document, ev.start_offset AS start_offset,
       ev.end_offset AS end_offset, ev.trigger AS trigger, ev.sentence AS sentence
ORDER BY subject, object, polarity, modality, document, start_offset
