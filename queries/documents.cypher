// The documents of the graph: title, source, and how many entities and relation sentences each holds.
MATCH (d:Document)
RETURN d.id AS document, d.title AS title, d.source AS source, d.published AS published,
       size([(d)-[:MENTIONS]->(e:Entity) | e]) AS entities, size([(d)-[:STATES]->(ev:Evidence) | ev]) AS evidence
ORDER BY document
