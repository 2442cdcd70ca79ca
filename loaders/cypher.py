"""Loading a ``Graph`` into a Cypher store: one Cypher text for Neo4j and the embedded kglite.

The property-graph model (documented in the README, "Stores"):

- ``(:Entity:Person|Organization|Place {id, type, name, aliases, title, titles, acronym, honorific, wikidata,
  geonames_id, iso_3166, country, location})``: ``location`` is a WGS 84 ``point`` for places a gazetteer knows.
- ``(:Document {id, title, source, url, published})``
- ``(:Document)-[:MENTIONS {count, starts, ends, texts}]->(:Entity)``: where an entity is named.
- ``(:Entity)-[:MET_WITH|OFFERED_AID_TO|… {id, polarity, modality, confidence, cameo, title, former,
  time, time_text, predicate, reported_by, docs, evidence_count}]->(:Entity)``: ``time`` and ``time_text`` hold
  ``attributes.when`` and ``when_text`` (``when`` is a reserved word in Cypher).: one relationship per relation record,
  typed from the closed vocabulary; ``docs`` and ``evidence_count`` are derived from its evidence.
- ``(:Document)-[:STATES]->(:Evidence {id, relation, type, subject, object, doc, sentence, start_offset,
  end_offset, trigger})``: one node per sentence that states a relation; ``relation`` is the
  relationship's ``id``; the offsets are those of ``graph.json`` (``end`` is a reserved word in Cypher).

A load is incremental and idempotent. For every document in the build, what the store holds from
that document (its mentions and evidence) is first retracted, then the build is merged in, then the
relationships the load touched are recomputed from their evidence: a relationship left without
evidence is deleted, and so is an entity no document mentions any more. So loading the same build
twice changes nothing, a second build merges into the first, a changed document replaces what it
contributed, and ``forget`` removes a document.

Values always travel as parameters. The only text put into a statement is a label or relationship
type taken from ``kg.vocab``, checked against the vocabulary again before it is used.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol

from kg.graph_stream import GraphSource, MemorySource
from kg.model import Graph
from kg.vocab import EntityType, RelationType
from kg.loaders.base import WriteReport, quiet_gc
from kg.loaders.rows import Row, document_row, entity_row, evidence_rows, mention_rows, relation_row

DEFAULT_BATCH_SIZE = 1000

# The schema the loader writes: what Cypher linting and the README's model description rely on.
LABELS = ("Entity", *(t.value for t in EntityType), "Document", "Evidence")
RELATIONSHIP_TYPES = (*(t.value for t in RelationType), "MENTIONS", "STATES")
PROPERTY_KEYS = (
    "id", "type", "name", "aliases", "title", "titles", "acronym",  # Entity
    "honorific", "wikidata", "geonames_id", "iso_3166", "country", "location", "latitude", "longitude",
    "source", "url", "published",  # Document (and title)
    "count", "starts", "ends", "texts",  # MENTIONS
    "polarity", "modality", "confidence", "cameo", "predicate", "reported_by", "docs", "evidence_count",  # relations
    "former", "time", "time_text",
    "relation", "subject", "object", "doc", "sentence", "start_offset", "end_offset", "trigger",  # Evidence
)



class CypherRunner(Protocol):
    """What a store engine must do: run one Cypher statement with parameters, return its rows.

    ``write`` runs in a write transaction (retried by the engine where it can), ``read`` in a read one.
    Both raise ``kg.errors.StoreError``.
    """

    target: str

    def write(self, statement: str, params: Mapping[str, Any]) -> list[Row]: ...

    def read(self, statement: str, params: Mapping[str, Any]) -> list[Row]: ...

    def close(self) -> None: ...


# ---------------------------------------------------------------------------------------------
# Statements. Kept as module constants so the tests can lint every one of them.

SCHEMA = (
    "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT evidence_id IF NOT EXISTS FOR (n:Evidence) REQUIRE n.id IS UNIQUE",
    "CREATE INDEX evidence_relation IF NOT EXISTS FOR (n:Evidence) ON (n.relation)",
)

RETRACT_EVIDENCE = """
UNWIND $docs AS doc
MATCH (:Document {id: doc})-[:STATES]->(ev:Evidence)
WITH DISTINCT ev, ev.relation AS relation, ev.subject AS subject, ev.object AS object
DETACH DELETE ev
RETURN DISTINCT relation, subject, object
"""

RETRACT_MENTIONS = """
UNWIND $docs AS doc
MATCH (:Document {id: doc})-[m:MENTIONS]->(e:Entity)
WITH m, e.id AS entity
DELETE m
RETURN DISTINCT entity
"""

MERGE_DOCUMENTS = """
UNWIND $rows AS row
MERGE (d:Document {id: row.id})
SET d.title = row.title, d.source = row.source, d.url = row.url, d.published = row.published
"""

# One statement per entity label; the label comes from EntityType only.
_MERGE_ENTITIES = """
UNWIND $rows AS row
MERGE (e:Entity {id: row.id})
SET e:{label}
SET e.type = row.type, e.name = row.name, e.title = row.title, e.titles = row.titles, e.acronym = row.acronym,
    e.aliases = [a IN coalesce(e.aliases, []) WHERE NOT a IN row.aliases] + row.aliases
SET e.honorific = row.honorific, e.wikidata = row.wikidata, e.geonames_id = row.geonames_id,
    e.iso_3166 = row.iso_3166, e.country = row.country,
    e.location = CASE WHEN row.latitude IS NULL THEN null
                      ELSE point({latitude: coalesce(row.latitude, 0.0), longitude: coalesce(row.longitude, 0.0)}) END
"""
# (the coalesce is for FalkorDB, which evaluates the ELSE branch of a row without coordinates too)

MERGE_MENTIONS = """
UNWIND $rows AS row
MATCH (d:Document {id: row.doc})
MATCH (e:Entity {id: row.entity})
MERGE (d)-[m:MENTIONS]->(e)
SET m.count = row.count, m.starts = row.starts, m.ends = row.ends, m.texts = row.texts
"""

# One statement per relationship type; the type comes from RelationType only. A new relationship takes
# docs and evidence_count from the build; an existing one says whether they already agree with it
# (``same``), and the ones that do not are recomputed from their Evidence nodes afterwards.
_MERGE_RELATIONS = """
UNWIND $rows AS row
MATCH (s:Entity {id: row.subject})
MATCH (o:Entity {id: row.object})
MERGE (s)-[r:{type} {id: row.id}]->(o)
ON CREATE SET r.docs = row.docs, r.evidence_count = row.evidence_count
SET r.polarity = row.polarity, r.modality = row.modality, r.confidence = row.confidence, r.cameo = row.cameo,
    r.title = row.title, r.predicate = row.predicate, r.reported_by = row.reported_by, r.former = row.former,
    r.time = row.time, r.time_text = row.time_text
RETURN row.id AS relation, r.docs = row.docs AND r.evidence_count = row.evidence_count AS same
"""

# CREATE, not MERGE: the evidence of the build's documents was retracted first (and the constraint on
# Evidence.id turns a broken retraction into an error rather than a duplicate).
MERGE_EVIDENCE = """
UNWIND $rows AS row
MATCH (d:Document {id: row.doc})
CREATE (d)-[:STATES]->(:Evidence {id: row.id, relation: row.relation, type: row.type, subject: row.subject,
    object: row.object, doc: row.doc, sentence: row.sentence, start_offset: row.start_offset,
    end_offset: row.end_offset, trigger: row.trigger})
"""

# docs and evidence_count are derived from the Evidence nodes; then a relationship with none is deleted.
# (Two statements: FalkorDB drops the SET when one statement also filters to a DELETE.)
REFRESH_RELATIONS = """
UNWIND $rows AS row
MATCH (s:Entity {id: row.subject})-[r]->(o:Entity {id: row.object})
WHERE r.id = row.relation
OPTIONAL MATCH (ev:Evidence {relation: row.relation})
WITH r, ev
ORDER BY ev.doc
WITH r, collect(DISTINCT ev.doc) AS docs, count(ev) AS n
SET r.docs = docs, r.evidence_count = n
"""

DROP_UNSUPPORTED_RELATIONS = """
UNWIND $rows AS row
MATCH (s:Entity {id: row.subject})-[r]->(o:Entity {id: row.object})
WHERE r.id = row.relation AND r.evidence_count = 0
DELETE r
"""

DROP_ORPHAN_ENTITIES = """
UNWIND $ids AS id
MATCH (e:Entity {id: id})
WHERE NOT (e)<-[:MENTIONS]-(:Document)
DETACH DELETE e
"""

DELETE_DOCUMENTS = """
UNWIND $docs AS doc
MATCH (d:Document {id: doc})
DETACH DELETE d
"""

COUNT_NODES = "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS count ORDER BY label"
COUNT_RELATIONSHIPS = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS count ORDER BY type"


def merge_entities_statement(label: EntityType) -> str:
    """The entity MERGE for one label of the closed vocabulary."""
    return _MERGE_ENTITIES.replace("{label}", EntityType(label).value)


def merge_relations_statement(type_: RelationType) -> str:
    """The relationship MERGE for one type of the closed vocabulary."""
    return _MERGE_RELATIONS.replace("{type}", RelationType(type_).value)


def write_statements() -> list[str]:
    """Every statement a load or a forget can send, for linting."""
    return [
        *SCHEMA, RETRACT_EVIDENCE, RETRACT_MENTIONS, MERGE_DOCUMENTS, MERGE_MENTIONS, MERGE_EVIDENCE,
        REFRESH_RELATIONS, DROP_UNSUPPORTED_RELATIONS, DROP_ORPHAN_ENTITIES, DELETE_DOCUMENTS,
        COUNT_NODES, COUNT_RELATIONSHIPS,
        *(merge_entities_statement(label) for label in EntityType),
        *(merge_relations_statement(type_) for type_ in RelationType),
    ]


def batches(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def as_source(graph: Graph | GraphSource) -> GraphSource:
    """A graph to load: a ``Graph`` in memory, or a ``GraphSource`` (``kg.graph_stream``) read a record at a time."""
    return MemorySource(graph) if isinstance(graph, Graph) else graph


class CypherStore:
    """A ``Sink`` over any ``CypherRunner``: loads, forgets, queries and counts.

    ``schema=False`` skips the constraint and index statements, for servers that do not support them.
    """

    def __init__(self, runner: CypherRunner, *, name: str, batch_size: int = DEFAULT_BATCH_SIZE,
                 schema: bool = True) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.runner = runner
        self.name = name
        self.batch_size = batch_size
        self.schema = schema
        self._schema_done = False

    # -- writing ---------------------------------------------------------------------------------

    def ensure_schema(self) -> None:
        if self.schema and not self._schema_done:
            for statement in SCHEMA:
                self.runner.write(statement, {})
        self._schema_done = True

    def write(self, graph: Graph | GraphSource) -> WriteReport:
        """Merge ``graph`` into the store, replacing what its documents contributed before.

        The graph is read a record at a time (``GraphSource``): rows are sent in batches of
        ``batch_size`` as they fill, one buffer per entity label and relationship type, so the whole
        graph is never held, and a mention or evidence row is only sent after the nodes it links."""
        with quiet_gc():
            return self._write(as_source(graph))

    def _write(self, source: GraphSource) -> WriteReport:
        self.ensure_schema()
        touched, orphans = self._retract([d["id"] for d in source.records("documents")])
        counts = Counter()
        batch = _Batches(self)
        for d in source.records("documents"):
            batch.add(MERGE_DOCUMENTS, document_row(d))
            counts["documents"] += 1
        batch.flush()
        for e in source.records("entities"):
            batch.add(merge_entities_statement(EntityType(e["type"])), entity_row(e))
            for row in mention_rows(e):
                batch.add(MERGE_MENTIONS, row, after_all=True)
            counts["entities"] += 1
        batch.flush()
        # Retracted relationships the build restates with the same docs and count are already right;
        # the others (restated differently, or not restated at all) are recomputed from their evidence.
        pending = {t[0]: t for t in touched}
        stale: set[tuple[str, str, str]] = set()

        def restated(rows: list[Row], answers: list[Row]) -> None:
            by_id = {r["id"]: (r["id"], r["subject"], r["object"]) for r in rows}
            for rid in by_id:
                pending.pop(rid, None)
            stale.update(by_id[a["relation"]] for a in answers if not a["same"])

        for r in source.records("relations"):
            batch.add(merge_relations_statement(RelationType(r["type"])), relation_row(r), then=restated)
            for row in evidence_rows(r):
                batch.add(MERGE_EVIDENCE, row)
                counts["evidence"] += 1
            counts["relations"] += 1
        batch.flush()
        self._refresh(stale | set(pending.values()), orphans)
        return WriteReport(target=self.runner.target, counts={k: counts[k] for k in ("documents", "entities",
                                                                                     "relations", "evidence")})

    def forget(self, doc_ids: Iterable[str]) -> dict[str, int]:
        """Remove documents and everything only they stated. Returns what was removed."""
        docs = sorted(set(doc_ids))
        before = self.counts()
        touched, orphans = self._retract(docs)
        self._refresh(touched, orphans)
        self._send(DELETE_DOCUMENTS, docs, key="docs")
        after = self.counts()
        removed = {k: before["nodes"].get(k, 0) - after["nodes"].get(k, 0) for k in ("Document", "Entity", "Evidence")}
        removed["relationships"] = sum(before["relationships"].values()) - sum(after["relationships"].values())
        return removed

    def _retract(self, docs: Sequence[str]) -> tuple[set[tuple[str, str, str]], set[str]]:
        touched = {(r["relation"], r["subject"], r["object"]) for r in self._send(RETRACT_EVIDENCE, docs, key="docs")}
        orphans = {r["entity"] for r in self._send(RETRACT_MENTIONS, docs, key="docs")}
        return touched, orphans

    def refresh(self, relations: set[tuple[str, str, str]], entities: set[str]) -> None:
        """Recompute ``docs`` and ``evidence_count`` of the (id, subject, object) ``relations`` from their
        evidence, deleting those left without, and delete the ``entities`` no document mentions."""
        self._refresh(relations, entities)

    def _refresh(self, touched: set[tuple[str, str, str]], orphans: set[str]) -> None:
        refresh = [{"relation": r, "subject": s, "object": o} for r, s, o in sorted(touched)]
        self._send(REFRESH_RELATIONS, refresh)
        self._send(DROP_UNSUPPORTED_RELATIONS, refresh)
        self._send(DROP_ORPHAN_ENTITIES, sorted(orphans), key="ids")

    def _send(self, statement: str, rows: Sequence[Any], *, key: str = "rows") -> list[Row]:
        """Run ``statement`` with ``rows`` as ``$key``, in batches; the rows it returns, all batches together."""
        return self._batched(self.runner.write, statement, rows, key)

    def _batched(self, run: Any, statement: str, items: Sequence[Any], key: str) -> list[Row]:
        answers: list[Row] = []
        for chunk in batches(items, self.batch_size):
            answers += run(statement, {key: list(chunk)})
        return answers

    # -- reading ---------------------------------------------------------------------------------

    def query(self, statement: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        return self.runner.read(statement, dict(params or {}))

    def read_batched(self, statement: str, items: Sequence[Any], *, key: str = "ids") -> list[Row]:
        """A read ``statement`` run with ``items`` as ``$key`` in batches, as writes are; all rows together."""
        return self._batched(self.runner.read, statement, items, key)

    def counts(self) -> dict[str, dict[str, int]]:
        """Nodes per label and relationships per type, as the store holds them."""
        return {
            "nodes": {r["label"]: r["count"] for r in self.runner.read(COUNT_NODES, {})},
            "relationships": {r["type"]: r["count"] for r in self.runner.read(COUNT_RELATIONSHIPS, {})},
        }

    def close(self) -> None:
        self.runner.close()

    def __enter__(self) -> CypherStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Batches:
    """Rows waiting to be sent, one buffer per statement, each sent when it holds ``batch_size`` rows.

    A row added with ``after_all`` (a mention) links nodes other buffers may still hold: before its
    buffer is sent, every other buffer is. ``then(rows, answers)`` is called with each batch sent."""

    def __init__(self, store: CypherStore) -> None:
        self.store = store
        self.rows: dict[str, list[Row]] = {}
        self.then: dict[str, Any] = {}
        self.last: set[str] = set()

    def add(self, statement: str, row: Row, *, after_all: bool = False, then: Any = None) -> None:
        rows = self.rows.setdefault(statement, [])
        rows.append(row)
        if then is not None:
            self.then[statement] = then
        if after_all:
            self.last.add(statement)
        if len(rows) >= self.store.batch_size:
            if after_all:
                self._send_all(but=statement)
            self._send(statement)

    def _send(self, statement: str) -> None:
        rows = self.rows.pop(statement, [])
        if rows:
            answers = self.store._send(statement, rows)
            if statement in self.then:
                self.then[statement](rows, answers)

    def _send_all(self, but: str | None = None) -> None:
        for statement in [s for s in self.rows if s not in self.last and s != but]:
            self._send(statement)

    def flush(self) -> None:
        """Send what is waiting: first the nodes, then what links them."""
        self._send_all()
        for statement in sorted(self.last):
            self._send(statement)
        self.rows.clear()
