"""The graph as a stream of records: ``graph.json`` written record by record, the JSON Lines form of a
build too big for one JSON document, and reading either back one record at a time.

The JSON Lines form (``kg build --format jsonl``) holds the records of ``graph.json`` (ONTOLOGY.md), one a
line, in the same order (by id) and with the same keys:

- ``documents.jsonl``, ``entities.jsonl``, ``relations.jsonl``; a cluster build writes each kind in shards,
  ``entities-00000.jsonl``, ``entities-00001.jsonl``…, one per worker task, whose concatenation in name
  order is the single file;
- ``graph.index.json``, written last: the schema version and, per kind, the files in order with their
  record counts and sha256. A build is complete when its index is there; readers read the files it lists
  (and check their counts), so a half-written build is never read, and a load journal that records the
  index's sha256 records the whole build.

``GraphSource`` is what the loaders and exports read: documents, entities and relations as iterators of
the model's records, from a ``Graph`` in memory or from a JSON Lines build on disk (one line at a time).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, BinaryIO

from kg.errors import GraphFormatError
from kg.model import SCHEMA_VERSION, Document, Entity, Graph, Relation

KINDS = ("documents", "entities", "relations")
INDEX = "graph.index.json"
GRAPH_JSON = "graph.json"
# What every record of a kind has, checked as it is read (a shard edited by hand fails on its line).
_REQUIRED = {"documents": frozenset({"id"}), "entities": frozenset({"id", "type", "name"}),
             "relations": frozenset({"id", "subject", "type", "object"})}
_SINGULAR = {"documents": "a document", "entities": "an entity", "relations": "a relation"}
_MODELS: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "documents": Document.from_dict, "entities": Entity.from_dict, "relations": Relation.from_dict}


# ---------------------------------------------------------------------------------------------
# graph.json, written record by record


def write_graph_json(fh: BinaryIO, parts: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[str, int]:
    """Write ``graph.json`` from the records of each kind (``to_dict`` forms, each kind sorted by id):
    the same bytes as ``Graph.to_json``, without the whole graph in memory. Returns the counts."""
    counts = {}
    fh.write(f'{{\n  "schema_version": {SCHEMA_VERSION},\n'.encode())
    for i, kind in enumerate(KINDS):
        fh.write(f'  "{kind}": ['.encode())
        n = 0
        for record in parts[kind]:
            text = json.dumps(record, ensure_ascii=False, indent=2)
            fh.write((",\n" if n else "\n").encode())
            fh.write("\n".join("    " + line for line in text.split("\n")).encode("utf-8"))
            n += 1
        fh.write(("\n  ]" if n else "]").encode())
        fh.write(b",\n" if i < len(KINDS) - 1 else b"\n")
        counts[kind] = n
    fh.write(b"}\n")
    return counts


# ---------------------------------------------------------------------------------------------
# The JSON Lines form


def record_line(record: Mapping[str, Any]) -> bytes:
    """One record as one line of the JSON Lines form."""
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Shard:
    """One file of one kind of record: its name (in the build folder), how many records, its sha256."""

    file: str
    records: int
    sha256: str


def shard_name(kind: str, number: int | None) -> str:
    return f"{kind}.jsonl" if number is None else f"{kind}-{number:05d}.jsonl"


def write_shard(folder: str | os.PathLike[str], kind: str, number: int | None,
                records: Iterable[Mapping[str, Any]]) -> Shard:
    """Write the records (``to_dict`` forms) of ``kind`` as one file of the build in ``folder``,
    atomically (a temporary file renamed into place). ``number`` is the shard's place in the order
    (``None``: the one file of the kind)."""
    from kg.loaders.base import write_atomic

    name = shard_name(kind, number)
    digest, count = hashlib.sha256(), 0

    def write(fh: BinaryIO) -> None:
        nonlocal count
        for record in records:
            line = record_line(record)
            digest.update(line)
            fh.write(line)
            count += 1

    write_atomic(Path(folder) / name, write)
    return Shard(name, count, digest.hexdigest())


def write_index(folder: str | os.PathLike[str], shards: Mapping[str, Sequence[Shard]]) -> Path:
    """Write ``graph.index.json`` (last: it makes the build complete), then remove what an earlier build
    left in the folder: shards the index does not list, and a ``graph.json``."""
    from kg.loaders.base import write_atomic

    folder = Path(folder)
    data = {"schema_version": SCHEMA_VERSION, "format": "jsonl",
            **{kind: [asdict(s) for s in shards.get(kind, ())] for kind in KINDS}}
    path = folder / INDEX
    write_atomic(path, lambda fh: fh.write((json.dumps(data, indent=1) + "\n").encode()), fsync=True)
    listed = {s.file for kind in KINDS for s in shards.get(kind, ())}
    for kind in KINDS:
        for stale in folder.glob(f"{kind}*.jsonl"):
            if stale.name not in listed and _is_shard_name(stale.name, kind):
                stale.unlink(missing_ok=True)
    (folder / GRAPH_JSON).unlink(missing_ok=True)
    return path


def _is_shard_name(name: str, kind: str) -> bool:
    rest = name[len(kind):]
    return rest == ".jsonl" or (rest.startswith("-") and rest[1:-len(".jsonl")].isdigit())


def remove_jsonl_build(folder: str | os.PathLike[str]) -> None:
    """Remove a JSON Lines build from ``folder`` (a ``graph.json`` build replaces it)."""
    folder = Path(folder)
    index = folder / INDEX
    if not index.exists():
        return
    index.unlink(missing_ok=True)
    for kind in KINDS:
        for stale in folder.glob(f"{kind}*.jsonl"):
            if _is_shard_name(stale.name, kind):
                stale.unlink(missing_ok=True)


def graph_records(graph: Graph) -> dict[str, Iterator[dict[str, Any]]]:
    """The records of each kind of an in-memory graph, sorted by id, as ``graph.json`` holds them."""
    return {
        "documents": (d.to_dict() for d in sorted(graph.documents, key=lambda d: d.id)),
        "entities": (e.to_dict() for e in sorted(graph.entities, key=lambda e: e.id)),
        "relations": (r.to_dict() for r in sorted(graph.relations, key=lambda r: r.id)),
    }


class JsonlSink:
    """Writes a graph in the JSON Lines form into a folder: one file a kind, then the index."""

    name = "jsonl"

    def __init__(self, out_dir: str | os.PathLike[str]) -> None:
        self.dir = Path(out_dir)

    def write(self, graph: Graph):
        from kg.errors import StoreError
        from kg.loaders.base import WriteReport

        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            shards = {kind: [write_shard(self.dir, kind, None, records)] for kind, records in graph_records(graph).items()}
            path = write_index(self.dir, shards)
        except OSError as exc:
            raise StoreError(f"cannot write {self.dir}: {exc.strerror or exc}") from exc
        return WriteReport(target=str(path), counts={kind: shards[kind][0].records for kind in KINDS})


# ---------------------------------------------------------------------------------------------
# Reading


class GraphSource:
    """A built graph read one record at a time: ``documents()``, ``entities()``, ``relations()`` (each
    may be iterated again). ``path`` is the file it was read from (``None`` for a graph in memory)."""

    path: str | None = None

    def records(self, kind: str) -> Iterator[dict[str, Any]]:
        raise NotImplementedError

    def documents(self) -> Iterator[Document]:
        return self._models("documents")

    def entities(self) -> Iterator[Entity]:
        return self._models("entities")

    def relations(self) -> Iterator[Relation]:
        return self._models("relations")

    def _models(self, kind: str) -> Iterator[Any]:
        return map(_MODELS[kind], self.records(kind))

    def graph(self) -> Graph:
        """The whole graph in memory (for what needs it: RDF, the page, evaluation)."""
        return Graph(documents=tuple(self.documents()), entities=tuple(self.entities()),
                     relations=tuple(self.relations()))


class MemorySource(GraphSource):
    """A ``Graph`` in memory, as a source."""

    def __init__(self, graph: Graph, path: str | None = None) -> None:
        self._graph = graph
        self.path = path

    def records(self, kind: str) -> Iterator[dict[str, Any]]:
        return graph_records(self._graph)[kind]

    def documents(self) -> Iterator[Document]:
        return iter(self._graph.documents)

    def entities(self) -> Iterator[Entity]:
        return iter(self._graph.entities)

    def relations(self) -> Iterator[Relation]:
        return iter(self._graph.relations)

    def graph(self) -> Graph:
        return self._graph


class JsonlSource(GraphSource):
    """A JSON Lines build, read through its ``graph.index.json``. A file that is missing, holds a line
    that is not a record, or holds another number of records than the index says is a
    ``GraphFormatError`` naming the file (and line)."""

    def __init__(self, index: str | os.PathLike[str]) -> None:
        self.path = str(index)
        self.folder = Path(index).parent
        try:
            data = json.loads(Path(index).read_text(encoding="utf-8"))
        except OSError as exc:
            raise GraphFormatError(f"{index}: cannot read: {exc.strerror or exc}") from exc
        except ValueError as exc:
            raise GraphFormatError(f"{index}: not JSON: {exc}") from exc
        if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION or data.get("format") != "jsonl":
            raise GraphFormatError(f"{index}: not a graph index of schema_version {SCHEMA_VERSION}")
        try:
            self.shards = {kind: [Shard(**s) for s in data.get(kind, [])] for kind in KINDS}
        except TypeError as exc:
            raise GraphFormatError(f"{index}: malformed: {exc}") from exc

    def counts(self) -> dict[str, int]:
        return {kind: sum(s.records for s in self.shards[kind]) for kind in KINDS}

    def files(self) -> list[Path]:
        return [self.folder / s.file for kind in KINDS for s in self.shards[kind]]

    def shard_records(self, kind: str, shard: Shard) -> Iterator[dict[str, Any]]:
        """The records of one file of the build, checked against the index."""
        path = self.folder / shard.file
        n = 0
        try:
            with open(path, "rb") as fh:
                rest = b""
                while True:
                    data = fh.read(BLOCK)
                    block = rest + data
                    cut = block.rfind(b"\n") + 1 if data else len(block)
                    block, rest = block[:cut], block[cut:]
                    if block:
                        records = _parse_block(block, path, n)
                        required = _REQUIRED[kind]
                        for i, r in enumerate(records):
                            if not isinstance(r, dict) or not required <= r.keys():
                                missing = ", ".join(sorted(required - r.keys())) if isinstance(r, dict) else ""
                                raise GraphFormatError(f"{path}:{n + i + 1}: not {_SINGULAR[kind]} record"
                                                       + (f" (no {missing})" if missing else ""))
                        n += len(records)
                        yield from records
                    if not data:
                        break
        except OSError as exc:
            raise GraphFormatError(f"{path}: cannot read: {exc.strerror or exc}") from exc
        if n != shard.records:
            raise GraphFormatError(f"{path}: {n} records, the index {self.path} says {shard.records}: "
                                   f"the build was changed after it was written")

    def records(self, kind: str) -> Iterator[dict[str, Any]]:
        for shard in self.shards[kind]:
            yield from self.shard_records(kind, shard)

    def _models(self, kind: str) -> Iterator[Any]:
        make = _MODELS[kind]
        for shard in self.shards[kind]:
            for n, record in enumerate(self.shard_records(kind, shard), start=1):
                try:
                    yield make(record)
                except (KeyError, TypeError, ValueError) as exc:
                    raise GraphFormatError(f"{self.folder / shard.file}:{n}: not {_SINGULAR[kind]} record: {exc!r}") from exc

    def verify(self) -> bool:
        """Whether every file still holds what the index says (sha256)."""
        for kind in KINDS:
            for shard in self.shards[kind]:
                digest = hashlib.sha256()
                try:
                    with open(self.folder / shard.file, "rb") as fh:
                        for chunk in iter(lambda: fh.read(1 << 20), b""):
                            digest.update(chunk)
                except OSError:
                    return False
                if digest.hexdigest() != shard.sha256:
                    return False
        return True


BLOCK = 1 << 20
"""bytes of a JSON Lines file read and parsed at a time"""


def _parse_block(block: bytes, path: Path, before: int) -> list[Any]:
    """The JSON values of the lines of ``block``, parsed in one call (a line of JSON holds no raw line
    break, so the lines are the items of one array); a line that is not JSON is an error naming it (line
    numbers count from ``before``)."""
    try:
        text = block.decode("utf-8")
        return json.loads("[" + text.rstrip("\n").replace("\n", ",") + "]") if text.strip() else []
    except ValueError:
        for i, line in enumerate(block.split(b"\n"), start=before + 1):
            if i > before + block.count(b"\n") and not line:
                break
            try:
                json.loads(line.decode("utf-8"))
            except ValueError as exc:
                raise GraphFormatError(f"{path}:{i}: not a JSON line: {exc}") from exc
        raise GraphFormatError(f"{path}: after line {before}: not JSON Lines") from None


def graph_path(path: str | os.PathLike[str]) -> Path:
    """The file a build is read from: ``path`` itself, or in a build folder its ``graph.index.json`` or
    ``graph.json`` (the newer, when both are there)."""
    p = Path(path)
    if not p.is_dir():
        return p
    found = [f for f in (p / INDEX, p / GRAPH_JSON) if f.is_file()]
    if not found:
        raise GraphFormatError(f"{p}: holds no build (no {GRAPH_JSON} and no {INDEX})")
    return max(found, key=lambda f: f.stat().st_mtime_ns)


def is_index(path: str | os.PathLike[str]) -> bool:
    return Path(path).name.endswith(".index.json")


def open_graph(path: str | os.PathLike[str]) -> GraphSource:
    """A built graph to read: a ``graph.json`` (read whole), a ``graph.index.json`` (read a line at a
    time), or a build folder holding one of them."""
    p = graph_path(path)
    if is_index(p):
        return JsonlSource(p)
    return MemorySource(Graph.load(str(p)), str(p))


__all__ = ["GRAPH_JSON", "INDEX", "KINDS", "GraphSource", "JsonlSink", "JsonlSource", "MemorySource", "Shard",
           "graph_path", "graph_records", "open_graph", "record_line", "remove_jsonl_build", "write_graph_json",
           "write_index", "write_shard"]
