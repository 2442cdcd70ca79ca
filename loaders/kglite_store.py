"""The embedded store: kglite, a graph engine that runs in-process and keeps its file in the build folder.

Needs no server. ``kg build`` loads into it when no Neo4j is configured, and ``kg query`` reads it.
kglite runs the same Neo4j 5 Cypher the loader and ``queries/`` are written in; it is pinned in
``pyproject.toml`` and kept behind ``CypherRunner`` so that another engine can replace it.

A load is atomic as a user sees it: the store is read into memory, changed there, and written
as a new file that replaces the old one by a rename (``commit``). A process killed during a load
leaves the old file, whole; a reader (``kg query``) reads the file as it was when it opened it,
so it never sees half a load either. (kglite's own write-ahead log would replay half a load
after a crash: it is not used.)
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kg.errors import StoreError
from kg.graph_stream import GraphSource
from kg.model import Graph
from kg.loaders.base import WriteReport, save_atomic
from kg.loaders.cypher import DEFAULT_BATCH_SIZE, CypherStore, Row, as_source

FILENAME = "graph.kgl"


class KgliteRunner:
    """Runs Cypher on a kglite graph file.

    Writable (the default): the file is read into memory (or a new graph is started when there is
    none), and ``commit`` (or ``close`` after writes) replaces the file atomically; ``discard``
    drops the changes. ``create=False``: the file must exist. ``read_only``: the file must exist,
    and any statement that writes is refused by the engine (kglite's read-only mode) with a
    ``StoreError``.
    """

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False, create: bool = True) -> None:
        import kglite  # lazily: only this store needs it

        kglite.set_query_warning_policy("silent")  # advisories (e.g. a type absent so far) are not errors
        self._kglite = kglite
        self._errors: tuple[type[BaseException], ...] = (kglite.KgError, OverflowError)
        self.path = Path(path)
        self.target = str(self.path)
        self.read_only = read_only
        if read_only or not create:
            require(self.path)
        try:
            if self.path.exists():
                self._graph = kglite.load(str(self.path))
            else:
                self._graph = kglite.KnowledgeGraph()
            if read_only:
                self._graph.read_only(True)
        except (OSError, *self._errors) as exc:
            raise StoreError(f"cannot open the embedded store {self.path}: {exc}") from exc
        self._dirty = False

    def _run(self, statement: str, params: Mapping[str, Any]) -> list[Row]:
        try:
            return self._graph.cypher(statement, params=dict(params)).to_list()
        except self._kglite.ReadOnlyError:
            raise StoreError(f"{self.path}: the statement writes, and this store was opened read-only") from None
        except self._errors as exc:
            raise StoreError(f"{self.path}: {exc}") from exc

    def write(self, statement: str, params: Mapping[str, Any]) -> list[Row]:
        self._dirty = True
        return self._run(statement, params)

    def read(self, statement: str, params: Mapping[str, Any]) -> list[Row]:
        return self._run(statement, params)

    def commit(self) -> None:
        """Replace the store's file with the graph as it is now (a new file, renamed over the old)."""
        if not self._dirty or self._graph is None:
            return
        try:
            # A write-ahead log beside the file (left by earlier kg versions, which opened the store durably)
            # would be replayed over the new file by kglite.open: it goes first.
            Path(f"{self.path}-wal").unlink(missing_ok=True)
            with warnings.catch_warnings():
                # kglite notes which columns a memory-mapped reload would keep on the heap: not our concern.
                warnings.simplefilter("ignore", self._kglite.MappedFallbackWarning)
                save_atomic(self.path, lambda tmp: self._graph.save(str(tmp)), fsync=True)
        except (OSError, *self._errors) as exc:
            raise StoreError(f"cannot save the embedded store {self.path}: {exc}") from exc
        self._dirty = False

    def discard(self) -> None:
        """Forget the changes since the last commit: the file stays as it is."""
        self._dirty = False
        self._graph = None

    def close(self) -> None:
        if self._graph is None:
            return
        try:
            self.commit()
        finally:
            self._graph = None


def require(path: Path) -> None:
    """A ``StoreError`` saying so when there is no store at ``path``."""
    if not path.is_file():
        raise StoreError(f"no store at {path}: nothing was built or loaded into {path.parent} "
                         f"(`kg build PATHS --out {path.parent}` makes one)")


def store_path(out_dir: str | os.PathLike[str]) -> Path:
    """Where the embedded store of a build folder lives."""
    return Path(out_dir) / FILENAME


class KgliteStore(CypherStore):
    """The embedded store: loads go through kglite's bulk loaders when the store holds nothing but
    documents of the build (``kg.loaders.kglite_bulk``: a first load, a re-load), else through Cypher.
    ``last_path`` says which the last load took."""

    last_path: str | None = None

    def write(self, graph: Graph | GraphSource) -> WriteReport:
        from kg.loaders.kglite_bulk import bulk_write

        source = as_source(graph)
        if isinstance(self.runner, KgliteRunner) and not self.runner.read_only and self.runner._graph is not None:
            report = bulk_write(self.runner, source, self.batch_size)
            if report is not None:
                self.last_path = "bulk"
                return report
        self.last_path = "cypher"
        return super().write(source)


def open_kglite(out_dir: str | os.PathLike[str], *, batch_size: int = DEFAULT_BATCH_SIZE,
                read_only: bool = False, create: bool = True) -> CypherStore:
    """The embedded store of the build folder ``out_dir``: created on the first commit if missing,
    unless ``read_only`` or not ``create`` (then it must exist)."""
    runner = KgliteRunner(store_path(out_dir), read_only=read_only, create=create)
    return KgliteStore(runner, name="kglite", batch_size=batch_size)
