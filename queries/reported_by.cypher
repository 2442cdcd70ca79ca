// Relations attributed to a speaker ("…, Ivanov said"), with the sentences.
// param speaker: string  Name, alias or id of the speaker.
MATCH (e:Entity)
WHERE toLower(e.name) = toLower($speaker) OR e.id = $speaker OR any(a IN e.aliases WHERE toLower(a) = toLower($speaker))
MATCH (s:Entity)-[r]->(o:Entity)
WHERE r.reported_by = e.id
MATCH (ev:Evidence) WHERE ev.relation = r.id
RETURN e.name AS speaker, s.name AS subject, type(r) AS relation, o.name AS object, r.polarity AS polarity,
       r.modality AS modality, ev.doc AS document, ev.sentence AS sentence
ORDER BY speaker, subject, relation, object, polarity, modality, document
