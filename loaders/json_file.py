"""``graph.json``: the build's canonical output (format in ONTOLOGY.md)."""

from __future__ import annotations

import os
from pathlib import Path

from kg.errors import StoreError
from kg.graph_stream import GRAPH_JSON, remove_jsonl_build
from kg.model import Graph
from kg.loaders.base import WriteReport, write_atomic


class JsonSink:
    """Writes ``graph.json`` into a folder, atomically: a reader never sees half a file."""

    name = "json"

    def __init__(self, out_dir: str | os.PathLike[str], filename: str = "graph.json") -> None:
        self.path = Path(out_dir) / filename

    def write(self, graph: Graph) -> WriteReport:
        data = graph.to_json().encode("utf-8")
        try:
            write_atomic(self.path, lambda fh: fh.write(data))
            if self.path.name == GRAPH_JSON:
                remove_jsonl_build(self.path.parent)  # the folder holds one build
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
