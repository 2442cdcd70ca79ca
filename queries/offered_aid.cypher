// Who offered aid to whom, with each sentence that says so (one row per evidence sentence).
// Denied offers (polarity negative) and planned ones (modality future/possible) are included and marked.
MATCH (a:Entity)-[r:OFFERED_AID_TO]->(b:Entity)
MATCH (ev:Evidence) WHERE ev.relation = r.id
RETURN a.name AS giver, b.name AS receiver, r.polarity AS polarity, r.modality AS modality,
       ev.doc AS document, ev.start_offset AS start_offset, ev.end_offset AS end_offset, ev.trigger AS trigger,
       ev.sentence AS sentence
ORDER BY giver, receiver, polarity, modality, document, start_offset
