// Negated claims: relations the text denies ("Russia will not send troops"), with their sentences.
MATCH (a:Entity)-[r]->(b:Entity)
WHERE r.polarity = 'negative'
MATCH (ev:Evidence) WHERE ev.relation = r.id
RETURN a.name AS subject, type(r) AS relation, b.name AS object, r.modality AS modality,
       ev.doc AS document, ev.start_offset AS start_offset, ev.end_offset AS end_offset, ev.trigger AS trigger,
       ev.sentence AS sentence
ORDER BY subject, relation, object, modality, document, start_offset
