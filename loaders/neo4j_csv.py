"""``neo4j-admin database import full`` files: for graphs too large to load by transactions.

Writes one CSV file per kind of node and relationship, with the header the import tool reads, and
``import.sh`` with the command; the graph is read a record at a time. On a cluster each worker writes the
parts of the shards it reads (``write_part``: ``entities-00003.csv``…) and ``write_script`` the header
files and the command that imports them all. The property graph is the one ``kg.loaders.cypher`` builds, so a graph
imported this way answers the query library the same as one loaded with ``kg load``.
"""

from __future__ import annotations

import csv
import os
import shlex
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from kg.errors import StoreError
from kg.graph_stream import GraphSource
from kg.model import Graph
from kg.vocab import EntityType, RelationType
from kg.loaders.base import WriteReport
from kg.loaders.rows import document_row, entity_row, evidence_rows, mention_rows, relation_row

# Lists are joined with the ASCII unit separator, which news text does not contain (it is removed if it does).
ARRAY_DELIMITER = "\x1f"
ARRAY_DELIMITER_ARG = "U+001F"

# (file, header) in import order; header fields follow the import tool's "name:type" form.
NODE_FILES = {
    "documents.csv": ["id:ID(Document)", ":LABEL", "title", "source", "url", "published"],
    "entities.csv": ["id:ID(Entity)", ":LABEL", "type", "name", "aliases:string[]", "title", "titles:string[]",
                     "acronym"],
    "evidence.csv": ["id:ID(Evidence)", ":LABEL", "relation", "type", "subject", "object", "doc", "sentence",
                     "start_offset:int", "end_offset:int", "trigger"],
}
RELATIONSHIP_FILES = {
    "relations.csv": [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "id", "polarity", "modality",
                      "confidence:float", "cameo", "title", "predicate", "reported_by", "docs:string[]",
                      "evidence_count:int"],
    "mentions.csv": [":START_ID(Document)", ":END_ID(Entity)", ":TYPE", "count:int", "starts:int[]", "ends:int[]",
                     "texts:string[]"],
    "states.csv": [":START_ID(Document)", ":END_ID(Evidence)", ":TYPE"],
}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ARRAY_DELIMITER.join(_cell(v) for v in value)
    return str(value).replace(ARRAY_DELIMITER, " ")


def _fields(row: dict, header: list[str]) -> list[Any]:
    """The row's values for the property columns of ``header`` (``name:type`` → ``row[name]``)."""
    return [row[h.split(":")[0]] for h in header if not h.startswith(":") and "(" not in h]


def csv_records(kind: str, record: Mapping[str, Any]) -> Iterator[tuple[str, list[Any]]]:
    """The (file, cells) lines one ``graph.json`` record of ``kind`` gives: a document its node; an entity
    its node and its mentions; a relation its relationship, its evidence nodes and their STATES."""
    if kind == "documents":
        d = document_row(record)
        yield "documents.csv", [d["id"], "Document", *_fields(d, NODE_FILES["documents.csv"])]
    elif kind == "entities":
        e = entity_row(record)
        label = EntityType(record["type"]).value  # from the closed vocabulary only
        yield "entities.csv", [e["id"], f"Entity;{label}", *_fields(e, NODE_FILES["entities.csv"])]
        for m in mention_rows(record):
            yield "mentions.csv", [m["doc"], m["entity"], "MENTIONS", m["count"], m["starts"], m["ends"], m["texts"]]
    else:
        r = relation_row(record)
        type_ = RelationType(record["type"]).value  # from the closed vocabulary only
        yield "relations.csv", [r["subject"], r["object"], type_, *_fields(r, RELATIONSHIP_FILES["relations.csv"])]
        for ev in evidence_rows(record):
            yield "evidence.csv", [ev["id"], "Evidence", *_fields(ev, NODE_FILES["evidence.csv"])]
            yield "states.csv", [ev["doc"], ev["id"], "STATES"]


FILES_OF = {"documents": ("documents.csv",), "entities": ("entities.csv", "mentions.csv"),
            "relations": ("relations.csv", "evidence.csv", "states.csv")}


def write_part(out_dir: str | os.PathLike[str], kind: str, number: int, records: Iterable[Mapping[str, Any]]
               ) -> dict[str, tuple[str, int]]:
    """The files of one shard of ``kind`` (``entities-00003.csv``, ``mentions-00003.csv``…), without
    headers (``write_script`` writes them apart): what a cluster worker writes for the shard it reads.
    Returns, per file of the import, the part's name and its number of rows."""
    folder = Path(out_dir)
    names = {name: f"{name.removesuffix('.csv')}-{number:05d}.csv" for name in FILES_OF[kind]}
    counts = _write_rows({name: folder / part for name, part in names.items()}, {}, [(kind, records)])
    return {name: (names[name], counts[name]) for name in names}


def _write_rows(paths: Mapping[str, Path], headers: Mapping[str, Sequence[str]],
                kinds: Iterable[tuple[str, Iterable[Mapping[str, Any]]]]) -> dict[str, int]:
    """Write the CSV files ``paths`` (file of the import -> where), each with its header if ``headers`` has
    one, from the records of each (kind, records); the rows written to each file."""
    counts = dict.fromkeys(paths, 0)
    handles = {name: open(path, "w", encoding="utf-8", newline="") for name, path in paths.items()}
    try:
        writers = {name: csv.writer(fh, lineterminator="\n") for name, fh in handles.items()}
        for name, header in headers.items():
            writers[name].writerow(header)
        for kind, records in kinds:
            for record in records:
                for name, cells in csv_records(kind, record):
                    writers[name].writerow([_cell(v) for v in cells])
                    counts[name] += 1
    finally:
        for fh in handles.values():
            fh.close()
    return counts


def write_script(out_dir: str | os.PathLike[str], parts: dict[str, list[str]] | None = None) -> None:
    """``import.sh`` (and, for files in parts, ``<name>-header.csv``): the command that imports the folder."""
    folder = Path(out_dir)
    groups = {}
    for name in NODE_FILES | RELATIONSHIP_FILES:
        if parts is None:
            groups[name] = [name]
            continue
        header = f"{name.removesuffix('.csv')}-header.csv"
        with open(folder / header, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerow((NODE_FILES | RELATIONSHIP_FILES)[name])
        groups[name] = [header, *parts.get(name, [])]
    script = folder / "import.sh"
    script.write_text(
        "#!/bin/sh\n# Import into an empty database (stop it first); run from this folder.\n"
        f'cd "$(dirname "$0")" && {import_command(groups=groups)}\n', encoding="utf-8")
    script.chmod(0o755)


def import_command(database: str = "neo4j", groups: Mapping[str, Sequence[str]] | None = None) -> str:
    """The ``neo4j-admin`` command that imports the files, run from their folder. ``groups``: the files of
    each import file, when it is written in parts (a header file, then the parts)."""
    def files(name: str) -> str:
        return ",".join(groups[name]) if groups else name

    parts = ["neo4j-admin", "database", "import", "full", database, f"--array-delimiter={ARRAY_DELIMITER_ARG}"]
    parts += [f"--nodes={files(name)}" for name in NODE_FILES]
    parts += [f"--relationships={files(name)}" for name in RELATIONSHIP_FILES]
    return shlex.join(parts)


class Neo4jCsvSink:
    """Writes the import files into a folder."""

    name = "neo4j-csv"

    def __init__(self, out_dir: str | os.PathLike[str]) -> None:
        self.dir = Path(out_dir)

    def write(self, graph: Graph | GraphSource) -> WriteReport:
        """Write the import files of ``graph`` (a ``Graph`` or a ``GraphSource`` read a record at a time)."""
        from kg.loaders.cypher import as_source

        source = as_source(graph)
        headers = NODE_FILES | RELATIONSHIP_FILES
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            counts = _write_rows({name: self.dir / name for name in headers}, headers,
                                 ((kind, source.records(kind)) for kind in ("documents", "entities", "relations")))
            write_script(self.dir)
        except OSError as exc:
            raise StoreError(f"cannot write {self.dir}: {exc.strerror or exc}") from exc
        return WriteReport(target=str(self.dir), counts={k.removesuffix(".csv"): v for k, v in counts.items()})
