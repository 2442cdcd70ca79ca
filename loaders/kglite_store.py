"""The embedded store: kglite, a graph engine that runs in-process and keeps its file in the build folder.

Needs no server. ``kg build`` loads into it when no Neo4j is configured, and ``kg query`` reads it.
kglite runs the same Neo4j 5 Cypher the loader and ``queries/`` are written in; it is pinned in
``pyproject.toml`` and kept behind ``CypherRunner`` so that another engine can replace it.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kg.errors import StoreError
from loaders.cypher import DEFAULT_BATCH_SIZE, CypherStore, Row

FILENAME = "graph.kgl"


class KgliteRunner:
    """Runs Cypher on a kglite graph file; the file is created on first use and saved on ``close``."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        import kglite  # lazily: only this store needs it

        kglite.set_query_warning_policy("silent")  # advisories (e.g. a type absent so far) are not errors
        self._kglite = kglite
        self._errors: tuple[type[BaseException], ...] = (kglite.KgError,)
        self.path = Path(path)
        self.target = str(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._graph = kglite.open(str(self.path))
        except (OSError, *self._errors) as exc:
            raise StoreError(f"cannot open the embedded store {self.path}: {exc}") from exc
        self._dirty = False

    def _run(self, statement: str, params: Mapping[str, Any]) -> list[Row]:
        try:
            return self._graph.cypher(statement, params=dict(params)).to_list()
        except self._errors as exc:
            raise StoreError(f"{self.path}: {exc}") from exc

    def write(self, statement: str, params: Mapping[str, Any]) -> list[Row]:
        self._dirty = True
        return self._run(statement, params)

    def read(self, statement: str, params: Mapping[str, Any]) -> list[Row]:
        return self._run(statement, params)

    def close(self) -> None:
        if self._graph is None:
            return
        try:
            with warnings.catch_warnings():
                # kglite notes which columns a memory-mapped reopen would keep on the heap: not our concern.
                warnings.simplefilter("ignore", self._kglite.MappedFallbackWarning)
                if self._dirty:
                    self._graph.save()
                self._graph.close()
        except (OSError, *self._errors) as exc:
            raise StoreError(f"cannot save the embedded store {self.path}: {exc}") from exc
        finally:
            self._graph = None


def store_path(out_dir: str | os.PathLike[str]) -> Path:
    """Where the embedded store of a build folder lives."""
    return Path(out_dir) / FILENAME


def open_kglite(out_dir: str | os.PathLike[str], *, batch_size: int = DEFAULT_BATCH_SIZE) -> CypherStore:
    """The embedded store of the build folder ``out_dir`` (created if missing)."""
    return CypherStore(KgliteRunner(store_path(out_dir)), name="kglite", batch_size=batch_size)
