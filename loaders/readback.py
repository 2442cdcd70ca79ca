"""Read part of a store back into the data model: the relations a query named, with their evidence,
their entities and the documents involved. ``kg viz --query`` draws what this returns, so the page
shows the store as it is (with every build merged into it), not one build's graph.json.

Same Cypher for every store, ids as parameters, batched like the writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from kg.model import Document, Entity, Evidence, Graph, Mention, Relation
from kg.vocab import EntityType, Modality, Polarity, RelationType
from kg.loaders.cypher import CypherStore
from kg.loaders.rows import ENTITY_ATTRIBUTES

READ_RELATIONS = """
UNWIND $ids AS rid
MATCH (ev:Evidence) WHERE ev.relation = rid
MATCH (s:Entity {id: ev.subject})-[r]->(o:Entity {id: ev.object})
WHERE r.id = ev.relation
RETURN r.id AS id, type(r) AS type, s.id AS subject, o.id AS object, r.polarity AS polarity,
       r.modality AS modality, r.confidence AS confidence, r.cameo AS cameo, r.title AS title,
       r.predicate AS predicate, r.former AS former, r.time AS time, r.time_text AS time_text,
       r.reported_by AS reported_by, ev.doc AS doc, ev.start_offset AS start_offset,
       ev.end_offset AS end_offset, ev.sentence AS sentence, ev.trigger AS trigger
ORDER BY id, doc, start_offset, end_offset
"""

READ_ENTITIES = """
UNWIND $ids AS eid
MATCH (e:Entity {id: eid})
OPTIONAL MATCH (d:Document)-[m:MENTIONS]->(e)
RETURN e.id AS id, e.type AS type, e.name AS name, e.aliases AS aliases, e.title AS title, e.titles AS titles,
       e.acronym AS acronym, e.honorific AS honorific, e.wikidata AS wikidata, e.geonames_id AS geonames_id,
       e.iso_3166 AS iso_3166, e.country AS country, e.location.latitude AS latitude,
       e.location.longitude AS longitude, d.id AS doc, m.starts AS starts, m.ends AS ends, m.texts AS texts
ORDER BY id, doc
"""

READ_DOCUMENTS = """
UNWIND $ids AS did
MATCH (d:Document {id: did})
RETURN d.id AS id, d.title AS title, d.source AS source, d.url AS url, d.published AS published
ORDER BY id
"""

STATEMENTS = (READ_RELATIONS, READ_ENTITIES, READ_DOCUMENTS)


def _read(store: CypherStore, statement: str, ids: Iterable[str]) -> list[dict]:
    return store.read_batched(statement, sorted(set(ids)))


def subgraph(store: CypherStore, relation_ids: Iterable[str], entity_ids: Iterable[str] = ()) -> Graph:
    """The relations ``relation_ids`` (those the store has), their subjects and objects, the entities
    ``entity_ids``, and the documents that state or mention them; documents come back without text."""
    by_relation: dict[str, list[dict]] = defaultdict(list)
    for row in _read(store, READ_RELATIONS, relation_ids):
        by_relation[row["id"]].append(row)
    relations = []
    for rid, rows in by_relation.items():
        first = rows[0]
        attributes = {k: first[k] for k in ("cameo", "title", "predicate", "former") if first[k] is not None}
        attributes.update({k: first[col] for k, col in (("when", "time"), ("when_text", "time_text"))
                           if first[col] is not None})
        relations.append(Relation(
            id=rid, subject=first["subject"], type=RelationType(first["type"]), object=first["object"],
            polarity=Polarity(first["polarity"]), modality=Modality(first["modality"]),
            confidence=float(first["confidence"]), attributes=attributes, reported_by=first["reported_by"],
            evidence=tuple(Evidence(doc=r["doc"], start=r["start_offset"], end=r["end_offset"],
                                    sentence=r["sentence"], trigger=r["trigger"]) for r in rows),
        ))
    wanted = set(entity_ids) | {r.subject for r in relations} | {r.object for r in relations}
    by_entity: dict[str, list[dict]] = defaultdict(list)
    for row in _read(store, READ_ENTITIES, wanted):
        by_entity[row["id"]].append(row)
    entities = [_entity(rows) for rows in by_entity.values()]
    docs = {ev.doc for r in relations for ev in r.evidence} | {m.doc for e in entities for m in e.mentions}
    documents = [Document(id=r["id"], text="", source=r["source"] or "", title=r["title"], url=r["url"],
                          published=r["published"]) for r in _read(store, READ_DOCUMENTS, docs)]
    return Graph(documents=tuple(documents), entities=tuple(entities), relations=tuple(relations))


def _entity(rows: list[dict]) -> Entity:
    first = rows[0]
    attributes = {k: first[k] for k in ("title", "acronym", *ENTITY_ATTRIBUTES) if first[k] is not None}
    for k in ("latitude", "longitude"):
        if k in attributes:  # graph.json keeps 4 decimals; FalkorDB's points hold 32-bit floats
            attributes[k] = round(float(attributes[k]), 4)
    if first["titles"]:
        attributes["titles"] = list(first["titles"])
    mentions = tuple(
        Mention(doc=r["doc"], start=start, end=end, text=text)
        for r in rows if r["doc"] is not None
        for start, end, text in zip(r["starts"], r["ends"], r["texts"])
    )
    return Entity(id=first["id"], type=EntityType(first["type"]), name=first["name"],
                  aliases=tuple(first["aliases"] or ()), attributes=attributes, mentions=mentions)
