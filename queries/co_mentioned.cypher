// Entities mentioned together: pairs named in the same documents, most shared documents first.
// param name: string = null  Only the partners of this entity (name, alias or id); all pairs when omitted.
// param limit: int = 25 in 1..1000000  How many pairs to list.
MATCH (e:Entity)<-[:MENTIONS]-(d:Document)-[:MENTIONS]->(b:Entity)
WHERE ($name IS NULL AND e.id < b.id)
   OR ($name IS NOT NULL AND (toLower(e.name) = toLower($name) OR e.id = $name OR any(a IN e.aliases WHERE toLower(a) = toLower($name))))
WITH e, b, d
ORDER BY d.id
WITH e, b, collect(d.id) AS documents
RETURN e.name AS entity, b.name AS partner, size(documents) AS shared, documents
ORDER BY shared DESC, entity, partner
LIMIT $limit
