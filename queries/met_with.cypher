// Who met whom: every MET_WITH relation (stored once per pair), with its documents.
// param name: string = null  Only the meetings of this entity (name, alias or id); all when omitted.
MATCH (a:Entity)-[r:MET_WITH]->(b:Entity)
WHERE $name IS NULL
   OR any(e IN [a, b] WHERE toLower(e.name) = toLower($name) OR e.id = $name OR any(a IN e.aliases WHERE toLower(a) = toLower($name)))
RETURN a.name AS person, b.name AS met, r.polarity AS polarity, r.modality AS modality,
       r.evidence_count AS evidence, r.docs AS documents
ORDER BY person, met, polarity, modality
