// The most connected entities: number of stated relations (either direction) and of documents.
// param limit: int = 10 in 1..1000000  How many entities to list.
MATCH (e:Entity)
OPTIONAL MATCH (e)-[r]-(:Entity)
WITH e, count(r) AS relations
RETURN e.name AS name, e.type AS type, relations,
       size([(d:Document)-[:MENTIONS]->(e) | d]) AS documents
ORDER BY relations DESC, documents DESC, name
LIMIT $limit
