"""The embedded store's fast path: a load written through kglite's bulk loaders instead of Cypher.

kglite runs the loader's Cypher at about 30,000 rows a second; its column loaders (``add_nodes``,
``add_relationships``) take a whole column at a time. ``bulk_write`` uses them when the result is known
to be the one the Cypher load would give, which is when the store holds nothing but documents of this
build (a first load, a re-load, a rebuild of the same folder with new articles):

- everything such a store holds is replaced by the load (its documents' mentions and evidence are
  retracted, their relationships recomputed from the build's evidence, entities left without mentions
  dropped), except entity aliases, which accumulate: they are read first and kept (the Cypher load's
  ``[a IN old WHERE NOT a IN new] + new``);
- so the build is written into a new, empty graph that replaces the old one in memory; the store's
  file is then replaced atomically as for any load (``KgliteRunner.commit``).

A store that also holds other documents (a second build merged into it), or labels, relationship types
or properties the loader does not write (a user's ``kg query --write``), is loaded by the Cypher path.
The two paths give the same store: ``tests/test_load_bulk.py`` compares everything each one holds.
"""

from __future__ import annotations

import queue
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from kg.errors import GraphFormatError
from kg.graph_stream import GraphSource
from kg.vocab import EntityType, RelationType
from kg.loaders.base import WriteReport, quiet_gc
from kg.loaders.cypher import PROPERTY_KEYS, RELATIONSHIP_TYPES, SCHEMA
from kg.loaders.rows import (DOCUMENT_KEYS, ENTITY_KEYS, EVIDENCE_KEYS, MENTION_KEYS, RELATION_KEYS, document_values,
                             entity_values, evidence_values, mention_values, relation_values)

CHUNK = 20_000
"""records read before their columns are handed to kglite (relations: all of one type at once, see below)"""

# What a store may hold for the fast path to apply: what a Cypher load writes (``title`` and ``type`` are
# also kglite's own fields of every node and relationship).
NODE_KEYS = frozenset(PROPERTY_KEYS) - {"latitude", "longitude"} | {"title", "type"}
RELATIONSHIP_KEYS = frozenset(PROPERTY_KEYS) | {"type"}

# Nodes with a label a load does not give: an entity has Entity and its type, any other node one label.
READ_ODD_LABELS = """
MATCH (n)
WHERE size(labels(n)) > CASE WHEN n:Entity THEN 2 ELSE 1 END
   OR (n:Entity AND NOT (n:Person OR n:Organization OR n:Place))
RETURN count(n) AS count
"""
READ_DOCUMENTS = "MATCH (d:Document) RETURN d.id AS id"
READ_ALIASES = "MATCH (e:Entity) RETURN e.id AS id, e.aliases AS aliases"
SET_LOCATION = """
UNWIND $rows AS row
MATCH (e:Entity {id: row.id})
SET e.location = point({latitude: row.latitude, longitude: row.longitude})
"""
STATEMENTS = (READ_ODD_LABELS, READ_DOCUMENTS, READ_ALIASES, SET_LOCATION)

DTYPES = {"geonames_id": "Int64", "count": "int64", "evidence_count": "int64", "start_offset": "int64",
          "end_offset": "int64", "confidence": "float64", "former": "boolean"}
LISTS = frozenset({"aliases", "titles", "docs", "starts", "ends", "texts"})
"""Columns of lists (kept as lists); any other column not in DTYPES holds text (pandas' string type, which
kglite takes in three times faster than Python objects)."""


def rebuildable(graph: Any, doc_ids: set[str]) -> bool:
    """Whether the kglite ``graph`` holds nothing but what a load of documents ``doc_ids`` replaces: only
    those documents, and only the labels, relationship types and properties a load writes (kglite's
    schema lists every node type and relationship type with the properties they hold)."""
    if not {row["id"] for row in graph.cypher(READ_DOCUMENTS).to_list()} <= doc_ids:
        return False
    schema = graph.schema()
    nodes, relationships = schema.get("node_types", {}), schema.get("connection_types", {})
    return (set(nodes) <= {"Entity", "Document", "Evidence"}
            and all(set(t.get("properties", {})) <= NODE_KEYS for t in nodes.values())
            and set(relationships) <= set(RELATIONSHIP_TYPES)
            and all(set(t.get("properties", {})) <= RELATIONSHIP_KEYS for t in relationships.values())
            and graph.cypher(READ_ODD_LABELS).to_list()[0]["count"] == 0)


def bulk_write(runner: Any, source: GraphSource, batch_size: int = 1000) -> WriteReport | None:
    """Load ``source`` into the kglite store of ``runner`` (a ``KgliteRunner``) with the bulk loaders, or
    return ``None`` (nothing done) when the store holds more than this build replaces."""
    with quiet_gc():
        return _bulk_write(runner, source, batch_size)


def _bulk_write(runner: Any, source: GraphSource, batch_size: int) -> WriteReport | None:
    import kglite

    old = runner._graph
    doc_ids = {d["id"] for d in source.records("documents")}
    empty = not old.cypher("MATCH (n) RETURN n.id AS id LIMIT 1").to_list()
    if not empty and not rebuildable(old, doc_ids):
        return None
    aliases = {} if empty else {r["id"]: r["aliases"] or [] for r in old.cypher(READ_ALIASES).to_list()}
    runner._graph = old = None  # the old graph goes: the new one replaces it whole (the file stays until commit)
    graph = kglite.KnowledgeGraph()
    counts = {"documents": 0, "entities": 0, "relations": 0, "evidence": 0}
    with _Feeder(graph) as feed:
        for chunk in _chunks(source.records("documents")):
            feed("add_nodes", _frame(list(map(document_values, chunk)), DOCUMENT_KEYS), "Document", "id")
            counts["documents"] += len(chunk)

        located = []
        aliases_at, latitude_at = ENTITY_KEYS.index("aliases"), ENTITY_KEYS.index("latitude")
        for chunk in _chunks(source.records("entities")):
            by_label: dict[str, list[tuple]] = defaultdict(list)
            mentions: list[tuple] = []
            for e in chunk:
                values = entity_values(e)
                kept = aliases.get(values[0])
                if kept:
                    new = values[aliases_at]
                    values[aliases_at][:] = [a for a in kept if a not in new] + new
                by_label[_known(ENTITY_TYPES, values[1], values[0])].append(values)
                if values[latitude_at] is not None:
                    located.append({"id": values[0], "latitude": values[latitude_at],
                                    "longitude": values[latitude_at + 1]})
                mentions.extend(mention_values(e))
            for label in sorted(by_label):
                feed("add_nodes", _frame(by_label[label], ENTITY_KEYS, skip=2), "Entity", "id", labels=[label])
            if mentions:
                feed("add_relationships", _frame(mentions, MENTION_KEYS), "MENTIONS", "Document", "doc", "Entity", "entity")
            counts["entities"] += len(chunk)
        for i in range(0, len(located), batch_size):
            feed("cypher", SET_LOCATION, params={"rows": located[i:i + batch_size]})

        # All relationships of one type go in one call: kglite merges a later call's row into a relationship of
        # the same type between the same two nodes, and two relations (a positive and a negative MET_WITH) may be.
        relations: dict[str, list[tuple]] = defaultdict(list)
        for chunk in _chunks(source.records("relations")):
            evidence: list[tuple] = []
            for r in chunk:
                relations[_known(RELATION_TYPES, r["type"], r["id"])].append(relation_values(r))
                evidence.extend(evidence_values(r))
            if evidence:
                columns = dict(zip(EVIDENCE_KEYS, zip(*evidence)))
                # the title kglite gives a node that Cypher creates without one
                columns["title"] = [f"Evidence_{i}" for i in columns["id"]]
                feed("add_nodes", _columns_frame(columns), "Evidence", "id")
                feed("add_relationships", _columns_frame({"doc": columns["doc"], "id": columns["id"]}),
                     "STATES", "Document", "doc", "Evidence", "id")
            counts["relations"] += len(chunk)
            counts["evidence"] += len(evidence)
        for type_ in sorted(relations):
            feed("add_relationships", _frame(relations.pop(type_), RELATION_KEYS), type_, "Entity", "subject",
                 "Entity", "object")
        for statement in SCHEMA:  # after the nodes: building an index once costs less than keeping it up to date
            feed("cypher", statement)
    runner._graph = graph
    runner._dirty = True
    return WriteReport(target=runner.target, counts=counts)


ENTITY_TYPES = frozenset(t.value for t in EntityType)
RELATION_TYPES = frozenset(t.value for t in RelationType)


def _known(vocabulary: frozenset[str], value: str, record: str) -> str:
    """A label or relationship type, only from the closed vocabulary."""
    if value not in vocabulary:
        raise GraphFormatError(f"{record}: type {value!r} is not in the vocabulary")
    return value


class _Feeder:
    """Calls on the new graph, run in order on a thread of their own, so that reading the next records and
    making their columns (Python) overlaps kglite taking the last ones in (which lets go of the GIL). A call
    that fails stops the load: the error is raised at the next call or on leaving."""

    def __init__(self, graph: Any, depth: int = 2) -> None:
        self.graph = graph
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="kg-kglite-feeder", daemon=True)

    def __enter__(self) -> _Feeder:
        self.thread.start()
        return self

    def __call__(self, method: str, *args: Any, **kwargs: Any) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put((method, args, kwargs))

    def _run(self) -> None:
        while (item := self.queue.get()) is not None:
            if self.error is None:
                method, args, kwargs = item
                try:
                    getattr(self.graph, method)(*args, **kwargs)
                except BaseException as exc:  # handed to the loading thread
                    self.error = exc

    def __exit__(self, *exc: object) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None and exc[0] is None:
            raise self.error


def _chunks(records: Iterable[dict]) -> Iterator[list[dict]]:
    it = iter(records)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


def _frame(rows: list[tuple], keys: tuple[str, ...], skip: int = 0):
    """The DataFrame of ``rows`` (tuples of values in the order of ``keys``), without the last ``skip`` columns."""
    columns = list(zip(*rows))
    return _columns_frame(dict(zip(keys[:len(keys) - skip], columns)))


def _columns_frame(columns: dict[str, list]):
    """A DataFrame of ``columns`` (lists of values), each of the type kglite should store: nullable integers
    and booleans stay integers and booleans with gaps, lists stay lists."""
    import pandas as pd

    data = {}
    for name, values in columns.items():
        if name in LISTS:
            data[name] = pd.Series(list(values), dtype=object)
        else:
            data[name] = pd.array(list(values), dtype=DTYPES.get(name, "string"))
    return pd.DataFrame(data)
