"""The load journal: a record, made before a load or a forget changes a store and removed after it,
so that one that did not finish (the process was killed, the machine went down) is known.

- Neo4j (and any Bolt server): a load is many transactions, one per batch, so a load that stops
  half-way leaves half of it in the store. The journal is a node in the store itself,
  ``(:KgLoad {id: 'last', op, graph, sha256, docs, owner})``, so every client of the server sees
  it. The next load completes the unfinished one first: it loads the same ``graph.json`` again
  (when that file is still there unchanged) or forgets the same documents, then repairs what the
  interrupted run left half-done (``stores.repair``); until then every command says that the
  last load did not finish and how to finish it.
- kglite: a load replaces the store's file atomically, so there is never half a load to see. The
  journal is a file beside the store (``graph.kgl.journal``) that records which file the load
  started from: when it is still there, the load did not finish and ``kg query`` says so (the
  answers are those of the store before that load).

``owner`` names the process (``kg.loaders.outdir.owner``), so a load that is still running is told
from one that was killed.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kg.loaders.base import write_atomic
from kg.loaders.outdir import describe

LABEL = "KgLoad"
JOURNAL_ID = "last"

READ = """
MATCH (j:KgLoad {id: $id})
RETURN j.op AS op, j.graph AS graph, j.sha256 AS sha256, j.docs AS docs, j.owner AS owner
"""
BEGIN = """
MERGE (j:KgLoad {id: $id})
SET j.op = $op, j.graph = $graph, j.sha256 = $sha256, j.docs = $docs, j.owner = $owner
"""
END = """
MATCH (j:KgLoad {id: $id})
DELETE j
"""
# What a repair reads: every relationship between entities and every entity (see ``stores.repair``).
ALL_RELATIONSHIPS = """
MATCH (s:Entity)-[r]->(o:Entity)
WHERE r.id IS NOT NULL
RETURN r.id AS relation, s.id AS subject, o.id AS object
"""
ALL_ENTITIES = "MATCH (e:Entity) RETURN e.id AS id"
STATEMENTS = (READ, BEGIN, END, ALL_RELATIONSHIPS, ALL_ENTITIES)
PROPERTY_KEYS = ("op", "graph", "sha256", "docs", "owner")


def sha256(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Entry:
    """One load (``op`` "load": the ``graph.json`` at ``graph`` with digest ``sha256``) or forget
    (``op`` "forget": the document ids ``docs``) that was started and not yet finished."""

    op: str
    owner: dict[str, Any]
    graph: str | None = None
    sha256: str | None = None
    docs: tuple[str, ...] = ()
    before: list[int] | None = field(default=None, compare=False)
    """kglite: (inode, size, mtime) of the store's file when the load started; None when there was none"""

    def describe(self) -> str:
        """``load of out/graph.json by kg build (pid 4711, since …)``: put "the" or "the last" before it."""
        what = f"load of {self.graph}" if self.op == "load" else f"forget of {', '.join(self.docs)}"
        return f"{what} by {describe(self.owner)}"

    def how_to_finish(self, store_args: str) -> str:
        if self.op == "forget":
            return f"`kg forget {' '.join(self.docs)}{store_args}` finishes it"
        return f"`kg load {self.graph}{store_args}` finishes it"

    def file_unchanged(self) -> bool:
        """Whether the graph.json (or JSON Lines build) this load read is still there, byte for byte."""
        if self.op != "load" or not self.graph or not self.sha256:
            return self.op == "forget"
        try:
            if sha256(self.graph) != self.sha256:
                return False
        except OSError:
            return False
        if self.graph.endswith(".index.json"):  # a JSON Lines build: the files it lists, too
            from kg.errors import GraphFormatError
            from kg.graph_stream import JsonlSource

            try:
                return JsonlSource(self.graph).verify()
            except GraphFormatError:
                return False
        return True


class FileJournal:
    """The journal of the embedded store at ``store``: ``<store>.journal``."""

    def __init__(self, store: Path) -> None:
        self.store = Path(store)
        self.path = Path(f"{store}.journal")

    def _identity(self) -> list[int] | None:
        try:
            st = self.store.stat()
        except OSError:
            return None
        return [st.st_ino, st.st_size, st.st_mtime_ns]

    def read(self) -> Entry | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return Entry(data["op"], data["owner"], data.get("graph"), data.get("sha256"), tuple(data.get("docs", ())),
                         data.get("before"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            return Entry("load", {}, "an unknown graph.json")  # unreadable: say so rather than guess

    def finished(self, entry: Entry) -> bool:
        """The store's file was replaced since the entry was made: the load got to its end."""
        return self._identity() != entry.before

    def begin(self, entry: Entry) -> None:
        data = {**asdict(entry), "docs": list(entry.docs), "before": self._identity()}
        write_atomic(self.path, lambda fh: fh.write(json.dumps(data, indent=1).encode()))

    def end(self) -> None:
        self.path.unlink(missing_ok=True)


class StoreJournal:
    """The journal of a store on a server: one ``KgLoad`` node in it."""

    def __init__(self, runner: Any) -> None:
        self.runner = runner

    def read(self) -> Entry | None:
        rows = self.runner.read(READ, {"id": JOURNAL_ID})
        if not rows:
            return None
        row = rows[0]
        try:
            owner = json.loads(row.get("owner") or "{}")
        except ValueError:
            owner = {}
        return Entry(row.get("op") or "load", owner, row.get("graph"), row.get("sha256"), tuple(row.get("docs") or ()))

    def finished(self, entry: Entry) -> bool:
        return False

    def begin(self, entry: Entry) -> None:
        self.runner.write(BEGIN, {"id": JOURNAL_ID, "op": entry.op, "graph": entry.graph, "sha256": entry.sha256,
                                  "docs": list(entry.docs), "owner": json.dumps(entry.owner, sort_keys=True)})

    def end(self) -> None:
        self.runner.write(END, {"id": JOURNAL_ID})
