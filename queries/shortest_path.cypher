// The shortest chain of stated relations between two entities (at most 6 hops, either direction).
// One row per matching pair of entities; no row when they are not connected.
// param from: string  Name, alias or id of the first entity.
// param to: string  Name, alias or id of the second entity.
MATCH (a:Entity)
WHERE toLower(a.name) = toLower($from) OR a.id = $from OR any(x IN a.aliases WHERE toLower(x) = toLower($from))
MATCH (b:Entity)
WHERE (toLower(b.name) = toLower($to) OR b.id = $to OR any(x IN b.aliases WHERE toLower(x) = toLower($to)))
  AND a <> b
MATCH p = shortestPath((a)-[:MET_WITH|VISITED|OFFERED_AID_TO|REQUESTED_AID_FROM|SUPPORTED|COOPERATED_WITH|AGREED_WITH|CRITICIZED|THREATENED|FOUGHT|DEPLOYED_TO|WITHDREW_FROM|JOINED|HOLDS_POSITION|LOCATED_IN|BORDERS|RELATED_TO*..6]-(b))
RETURN a.name AS from, b.name AS to, length(p) AS hops, [n IN nodes(p) | n.name] AS path,
       [r IN relationships(p) | type(r)] AS relations
ORDER BY hops, from, to
