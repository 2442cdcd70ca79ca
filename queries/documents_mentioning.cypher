// The documents that mention an entity, with how often and where (character offsets).
// param name: string  Name, alias or id of the entity, any case.
MATCH (d:Document)-[m:MENTIONS]->(e:Entity)
WHERE toLower(e.name) = toLower($name) OR e.id = $name OR any(a IN e.aliases WHERE toLower(a) = toLower($name))
RETURN e.name AS entity, d.id AS document, d.title AS title, d.source AS source, m.count AS mentions,
       m.starts AS starts
ORDER BY entity, mentions DESC, document
