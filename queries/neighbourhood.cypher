// The neighbourhood of an entity to depth 1-3, as an edge list for drawing (one row per relation).
// param name: string  Name, alias or id of the centre entity.
// param depth: int = 1 in 1..3  How many hops to follow.
MATCH (e:Entity)
WHERE toLower(e.name) = toLower($name) OR e.id = $name OR any(a IN e.aliases WHERE toLower(a) = toLower($name))
MATCH p = (e)-[:MET_WITH|VISITED|OFFERED_AID_TO|REQUESTED_AID_FROM|SUPPORTED|COOPERATED_WITH|AGREED_WITH|CRITICIZED|THREATENED|FOUGHT|DEPLOYED_TO|WITHDREW_FROM|JOINED|HOLDS_POSITION|LOCATED_IN|BORDERS|RELATED_TO*1..3]-(:Entity)
WHERE length(p) <= $depth
UNWIND relationships(p) AS r
WITH DISTINCT r
RETURN startNode(r).id AS source, startNode(r).name AS source_name, type(r) AS type, endNode(r).id AS target,
       endNode(r).name AS target_name, r.polarity AS polarity, r.modality AS modality, r.id AS id
ORDER BY source, type, target, id
