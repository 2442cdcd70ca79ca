"""The Python API: build a graph, load it into a store, query the store, export it. What ``kg build``,
``kg load``, ``kg query`` and ``kg export`` do, as functions (``import kg``; ``kg.build`` …).

A store is named the way the CLI names it: a build folder for the embedded store (``"out"`` holds
``out/graph.kgl``), a Neo4j URI (``"bolt://localhost:7687"``, credentials from ``NEO4J_USERNAME``,
``NEO4J_PASSWORD``, ``NEO4J_DATABASE``) or a ``Neo4jConfig`` with them. Loads take the build folder's
lock and go through the load journal, as ``kg load`` does; queries are read-only, as ``kg query``'s.
Errors are ``kg.errors.KGError``s saying what failed.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from contextlib import nullcontext
from pathlib import Path
from typing import Any, Union

from kg.errors import KGError
from kg.fetch import DEFAULT_TIMEOUT
from kg.ingest import DEFAULT_MAX_BYTES
from kg.loaders.neo4j_store import Neo4jConfig
from kg.model import Graph

PathLike = Union[str, "os.PathLike[str]"]
Store = Union[str, "os.PathLike[str]", Neo4jConfig]
EXPORT_SUFFIXES = {".json": "json", ".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt", ".trig": "trig",
                   ".html": "html"}


class SkippedInput(UserWarning):
    """An input ``kg.build`` could not use (a bad file, a page that failed to fetch): it was left out."""


def build(paths: PathLike | Iterable[PathLike], *, model: str | None = None, workers: int = 1,
          entities: Iterable[PathLike] = (), min_confidence: float = 0.0, max_bytes: int = DEFAULT_MAX_BYTES,
          strict: bool = False, cache: PathLike | None = None, timeout: float = DEFAULT_TIMEOUT,
          refresh: bool = False) -> Graph:
    """The graph of ``paths``: files, folders (walked for .txt, .html, .jsonl), globs and http(s) URLs
    of feeds and pages, as ``kg build`` reads them.

    ``model``: an installed spaCy pipeline (name or path) with a parser and NER; ``workers``: parsing
    processes; ``entities``: entity files added to the packaged one; ``min_confidence``: relations
    below it are left out. URLs are fetched with ``timeout`` seconds a request, through the ``cache``
    folder (default: the user's cache folder; ``refresh`` fetches again). An input that cannot be used
    is left out with a ``SkippedInput`` warning naming it and the reason, or, with ``strict``, raises
    ``InputError``.

    >>> graph = build("seeds/")                                  # doctest: +SKIP
    >>> sorted({e.type.value for e in graph.entities})           # doctest: +SKIP
    ['Organization', 'Person', 'Place']
    """
    from kg.fetch import Fetcher
    from kg.pipeline import build as run

    fetcher = Fetcher(cache=Path(cache) if cache is not None else None, timeout=timeout, refresh=refresh,
                      max_bytes=max_bytes)
    graph, stats = run(_paths(paths), model=model, workers=workers, max_bytes=max_bytes, strict=strict,
                       entity_files=[str(p) for p in entities], min_confidence=min_confidence, fetcher=fetcher)
    for failure in stats.failures:
        warnings.warn(SkippedInput(f"skipped {failure.source}: {failure.reason}"), stacklevel=2)
    return graph


def load(graph: Graph | PathLike, store: Store = "out", *, batch_rows: int = 1000) -> dict[str, int]:
    """Merge ``graph`` (or the build at that path: a ``graph.json``, a JSON Lines build's
    ``graph.index.json``, or the folder holding either) into ``store``; the counts written.

    As ``kg load``: documents already in the store are replaced, others kept; the embedded store is
    replaced atomically under its folder's lock (``StoreError`` at once while another process writes
    there); an unfinished earlier load is finished or reported first.
    """
    from kg.loaders import stores
    from kg.loaders.outdir import FolderLock

    from kg.graph_stream import graph_path, open_graph

    source: str | None = None
    data: Any = graph
    if not isinstance(graph, Graph):  # a graph.json, a JSON Lines build's index, or a build folder
        source = str(graph_path(graph))
        data = open_graph(source)
    kind, folder, config = _store(store)
    lock = FolderLock(Path(folder), "kg.load()") if kind == "kglite" else nullcontext()
    with lock:
        target = _open(kind, folder, config, batch_rows=batch_rows)
        try:
            report = stores.load(target, data, source=source, note=_note, command="kg.load()")
        except BaseException:
            discard = getattr(target.runner, "discard", None)
            if discard is not None:
                discard()
            raise
        finally:
            target.close()
    return dict(report.counts)


def query(store: Store, name: str, /, **params: Any) -> list[dict[str, Any]]:
    """The rows of a query of the library (``kg query --list``), or of a ``.cypher`` file, on ``store``.

    ``params`` are the query's parameters, as Python values (checked against its header: an unknown,
    missing or out-of-range one is a ``QueryError``); ``store`` and ``name`` are positional, so a query
    may have parameters of those names. Read-only: a query that would change the store is refused.

    >>> query("out", "entity", name="Ivanov")[0]["name"]         # doctest: +SKIP
    'Igor Ivanov'
    """
    import kg.queries as library
    from kg.loaders import stores

    q = library.find(str(name))
    bound = q.bind(params)
    if q.writes:
        raise library.QueryError(f"query {q.name} changes the store ({', '.join(q.writes)}): kg.query is read-only")
    kind, folder, config = _store(store)
    with _open(kind, folder, config, read_only=True) as target:
        stores.check_readable(target, note=_note)
        return [dict(row) for row in target.query(q.text, bound)]


def export(graph: Graph | PathLike, path: PathLike, *, format: str | None = None,
           base_iri: str | None = None) -> Path:
    """Write ``graph`` (or the ``graph.json`` at that path) to ``path``; the path written.

    ``format``: ``json`` (graph.json), an RDF format (``turtle``, ``json-ld``, ``nt``, ``trig``; IRIs
    under ``base_iri``), ``html`` (the page of ``kg viz``, with ``graph.grass`` beside it) or
    ``neo4j-csv`` (a folder of neo4j-admin import files); by default, from the file's suffix.
    """
    from kg.loaders.base import RDF_FORMATS

    if not isinstance(graph, Graph):
        graph = Graph.load(str(graph))
    target = Path(path)
    fmt = format or EXPORT_SUFFIXES.get(target.suffix.lower())
    if fmt is None:
        raise KGError(f"cannot tell the format of {target} from its suffix: pass format= one of "
                      f"json, {', '.join(RDF_FORMATS)}, html, neo4j-csv")
    if fmt == "json":
        from kg.loaders.json_file import JsonSink

        return Path(JsonSink(target.parent, target.name).write(graph).target)
    if fmt in RDF_FORMATS:
        from kg.loaders import rdf

        return Path(rdf.RdfSink(target, fmt, base_iri or rdf.DEFAULT_BASE).write(graph).target)
    if fmt == "html":
        from kg.loaders.viz import HtmlSink

        return Path(HtmlSink(target).write(graph).target)
    if fmt == "neo4j-csv":
        from kg.loaders.neo4j_csv import Neo4jCsvSink

        return Path(Neo4jCsvSink(str(target)).write(graph).target)
    raise KGError(f"unknown export format {fmt!r}: choose json, {', '.join(RDF_FORMATS)}, html or neo4j-csv")


def _paths(paths: PathLike | Iterable[PathLike]) -> list[str]:
    if isinstance(paths, (str, os.PathLike)):
        return [os.fspath(paths)]
    return [os.fspath(p) for p in paths]


def _store(store: Store) -> tuple[str, str, Neo4jConfig | None]:
    """(kind, build folder, Neo4j configuration) of a store as the API names it."""
    if isinstance(store, Neo4jConfig):
        return "neo4j", "", store
    text = os.fspath(store)
    if "://" in text:
        config = Neo4jConfig.from_env(uri=text)
        assert config is not None
        return "neo4j", "", config
    return "kglite", text, None


def _open(kind: str, folder: str, config: Neo4jConfig | None, *, read_only: bool = False, batch_rows: int = 1000):
    if kind == "neo4j":
        from kg.loaders.neo4j_store import open_neo4j

        assert config is not None
        return open_neo4j(config, batch_size=batch_rows)
    from kg.loaders.kglite_store import open_kglite

    return open_kglite(folder, batch_size=batch_rows, read_only=read_only, create=not read_only)


def _note(message: str) -> None:
    warnings.warn(message, stacklevel=3)


__all__ = ["Neo4jConfig", "SkippedInput", "build", "export", "load", "query"]
