"""``neo4j-admin database import full`` files: for graphs too large to load by transactions.

Writes one CSV file per kind of node and relationship, with the header the import tool reads, and
``import.sh`` with the command. The property graph is the one ``kg.loaders.cypher`` builds, so a graph
imported this way answers the query library the same as one loaded with ``kg load``.
"""

from __future__ import annotations

import csv
import os
import shlex
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from kg.errors import StoreError
from kg.model import Graph
from kg.vocab import RelationType
from kg.loaders.base import WriteReport
from kg.loaders.cypher import Rows

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


def _records(graph: Graph) -> dict[str, Iterable[Sequence[Any]]]:
    rows = Rows.of(graph)

    def fields(row: dict, header: list[str]) -> list[Any]:
        """The row's values for the property columns of ``header`` (``name:type`` → ``row[name]``)."""
        return [row[h.split(":")[0]] for h in header if not h.startswith(":") and "(" not in h]

    def entity(label: str, r: dict) -> list[Any]:
        return [r["id"], f"Entity;{label}", *fields(r, NODE_FILES["entities.csv"])]

    def relation(type_: RelationType, r: dict) -> list[Any]:
        return [r["subject"], r["object"], type_.value, *fields(r, RELATIONSHIP_FILES["relations.csv"])]

    def evidence(r: dict) -> list[Any]:
        return [r["id"], "Evidence", *fields(r, NODE_FILES["evidence.csv"])]

    return {
        "documents.csv": ([d["id"], "Document", *fields(d, NODE_FILES["documents.csv"])] for d in rows.documents),
        "entities.csv": (entity(label.value, r) for label, rs in sorted(rows.entities.items()) for r in rs),
        "evidence.csv": (evidence(r) for r in rows.evidence),
        "relations.csv": (relation(t, r) for t, rs in sorted(rows.relations.items()) for r in rs),
        "mentions.csv": ([m["doc"], m["entity"], "MENTIONS", m["count"], m["starts"], m["ends"], m["texts"]]
                         for m in rows.mentions),
        "states.csv": ([ev["doc"], ev["id"], "STATES"] for ev in rows.evidence),
    }


def import_command(database: str = "neo4j") -> str:
    """The ``neo4j-admin`` command that imports the files, run from their folder."""
    parts = ["neo4j-admin", "database", "import", "full", database, f"--array-delimiter={ARRAY_DELIMITER_ARG}"]
    parts += [f"--nodes={name}" for name in NODE_FILES]
    parts += [f"--relationships={name}" for name in RELATIONSHIP_FILES]
    return shlex.join(parts)


class Neo4jCsvSink:
    """Writes the import files into a folder."""

    name = "neo4j-csv"

    def __init__(self, out_dir: str | os.PathLike[str]) -> None:
        self.dir = Path(out_dir)

    def write(self, graph: Graph) -> WriteReport:
        counts = {}
        headers = NODE_FILES | RELATIONSHIP_FILES
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            for name, records in _records(graph).items():
                n = 0
                with open(self.dir / name, "w", encoding="utf-8", newline="") as fh:
                    writer = csv.writer(fh, lineterminator="\n")
                    writer.writerow(headers[name])
                    for record in records:
                        writer.writerow([_cell(v) for v in record])
                        n += 1
                counts[name.removesuffix(".csv")] = n
            script = self.dir / "import.sh"
            script.write_text(
                "#!/bin/sh\n# Import into an empty database (stop it first); run from this folder.\n"
                f'cd "$(dirname "$0")" && {import_command()}\n', encoding="utf-8")
            script.chmod(0o755)
        except OSError as exc:
            raise StoreError(f"cannot write {self.dir}: {exc.strerror or exc}") from exc
        return WriteReport(target=str(self.dir), counts=counts)
