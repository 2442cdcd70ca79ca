"""``graph.json``: the build's canonical output (format in ONTOLOGY.md)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kg.errors import StoreError
from kg.model import Graph
from loaders.base import WriteReport


class JsonSink:
    """Writes ``graph.json`` into a folder, atomically: a reader never sees half a file."""

    name = "json"

    def __init__(self, out_dir: str | os.PathLike[str], filename: str = "graph.json") -> None:
        self.path = Path(out_dir) / filename

    def write(self, graph: Graph) -> WriteReport:
        text = graph.to_json()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".graph-", suffix=".json.tmp")
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            os.replace(tmp, self.path)
        except OSError as exc:
            raise StoreError(f"cannot write {self.path}: {exc.strerror or exc}", retryable=False) from exc
        return WriteReport(
            target=str(self.path),
            counts={
                "documents": len(graph.documents),
                "entities": len(graph.entities),
                "relations": len(graph.relations),
            },
        )
