"""What the commands share: exit codes, the store options, opening a store to read or to write
(with the build folder's lock and the load journal), reading --param KEY=VALUE, and the frame and
the report of ``kg build`` (in one process, or with ``--dask``/``--format jsonl``)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import click

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_FATAL = 2


def fail(message: str) -> None:
    click.secho(f"error: {message}", fg="red", err=True)
    sys.exit(EXIT_FATAL)


def note(message: str) -> None:
    """A warning on stderr that does not change the exit code."""
    click.secho(f"note: {message}", fg="yellow", err=True)


def store_options(func):
    """The options every command that talks to a store takes."""
    options = [
        click.option("--store", "store_kind", default="auto", show_default=True,
                     type=click.Choice(["auto", "kglite", "neo4j", "none"]),
                     help="auto: Neo4j when NEO4J_URI is set, else the embedded kglite file OUT/graph.kgl."),
        click.option("--neo4j-uri", envvar="NEO4J_URI", help="Neo4j URI  [env NEO4J_URI]"),
        click.option("--neo4j-user", envvar="NEO4J_USERNAME", help="Neo4j user  [env NEO4J_USERNAME]"),
        click.option("--neo4j-password", envvar="NEO4J_PASSWORD", help="Neo4j password  [env NEO4J_PASSWORD]"),
        click.option("--neo4j-database", envvar="NEO4J_DATABASE", help="Neo4j database  [env NEO4J_DATABASE]"),
        click.option("--batch-rows", default=1000, show_default=True, type=click.IntRange(1, 100_000),
                     help="Rows sent per write statement (one round trip)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _neo4j(store: dict) -> dict:
    return {"uri": store["neo4j_uri"], "username": store["neo4j_user"], "password": store["neo4j_password"],
            "database": store["neo4j_database"]}


def store_kind(store: dict) -> str:
    """``kglite``, ``neo4j`` or ``none``: what ``--store`` (and ``NEO4J_URI``) resolve to."""
    from kg.loaders import stores
    from kg.loaders.neo4j_store import Neo4jConfig

    return stores.resolve(store["store_kind"], Neo4jConfig.from_env(**_neo4j(store)))


def how(out_dir: str, store: dict) -> str:
    """The options to repeat in a command the user is told to run (``--out OUT`` for the embedded store)."""
    if store_kind(store) == "kglite":
        return f" --out {out_dir}"
    given = "" if store["store_kind"] == "auto" else f" --store {store['store_kind']}"
    if store["neo4j_uri"] and store["neo4j_uri"] != os.environ.get("NEO4J_URI"):
        given += f" --neo4j-uri {store['neo4j_uri']}"
    return given


def open_store(out_dir: str, *, read_only: bool = False, create: bool = True, **store: Any):
    """The store the options name, opened (``None`` for ``--store none``)."""
    from kg.loaders import stores

    return stores.open_store(str(store["store_kind"]), out_dir=out_dir, batch_size=int(store["batch_rows"]),
                             neo4j=_neo4j(store), read_only=read_only, create=create)


@contextmanager
def writing(out_dir: str, store: dict, command: str, *, create: bool = True, locked: bool = False) -> Iterator:
    """The configured store, opened to change it, and closed after; ``None`` for ``--store none``.

    The embedded store is changed under the build folder's lock (``locked``: the caller holds it
    already), so a second writer fails at once. ``create=False``: the embedded store must exist.
    """
    from kg.loaders.kglite_store import require, store_path
    from kg.loaders.outdir import FolderLock

    embedded = store_kind(store) == "kglite"
    if embedded and not create:
        require(store_path(out_dir))  # before the lock, which would create the folder
    lock = FolderLock(Path(out_dir), command) if embedded and not locked else nullcontext()
    with lock:
        target = open_store(out_dir, create=create, **store)
        if target is None:
            yield None
            return
        try:
            yield target
        except BaseException:
            discard = getattr(target.runner, "discard", None)
            if discard is not None:  # the embedded store keeps its file as it was
                discard()
            raise
        finally:
            target.close()


@contextmanager
def reading(out_dir: str, store: dict, doing: str) -> Iterator:
    """The configured store, opened to read it: the embedded store must exist and refuses writes,
    and a load that is running or did not finish is waited for, noted or refused
    (``kg.loaders.stores.check_readable``). A usage error for ``--store none``."""
    from kg.loaders import stores

    target = open_store(out_dir, read_only=True, **store)
    if target is None:
        raise click.UsageError(f"--store none: nothing to {doing}")
    with target:
        stores.check_readable(target, note=note, how=how(out_dir, store))
        yield target


def required_store(out_dir: str, store: dict, doing: str):
    """The configured store, opened to read it (see ``reading``)."""
    return reading(out_dir, store, doing)


def parse_params(items: tuple[str, ...]) -> dict[str, str]:
    """``("name=Ivanov", "depth=2")`` as ``{"name": "Ivanov", "depth": "2"}``; a malformed one is a usage error."""
    values = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.UsageError(f"--param wants KEY=VALUE, got {item!r}")
        values[key.strip()] = value
    return values


@contextmanager
def building(out_dir: str, store: dict, progress: bool | None) -> Iterator[Any]:
    """The frame of ``kg build``: the output folder held for the whole build, an unfinished load into
    Neo4j finished before this build replaces its graph, and a progress bar (``None`` when it is not
    shown: ``--no-progress``, or stderr is no terminal). A ``KGError`` is the one error line, exit 2."""
    from kg.errors import KGError
    from kg.loaders import stores
    from kg.loaders.outdir import FolderLock

    bar = None
    show = progress if progress is not None else sys.stderr.isatty()
    try:
        with FolderLock(Path(out_dir), "kg build"):
            if store_kind(store) == "neo4j":
                with writing(out_dir, store, "kg build", locked=True) as target:
                    stores.settle(target, note=note, how=how(out_dir, store))
            if show:
                from tqdm import tqdm

                bar = tqdm(unit="doc", file=sys.stderr, mininterval=0.5, disable=None)
            yield bar
    except KGError as exc:
        fail(str(exc))
    finally:
        if bar is not None:
            bar.close()


def report_build(summary: dict, failures: list, as_json: bool) -> None:
    """Print what ``kg build`` did (or its JSON), then each skipped input; exit 1 when there was one."""
    click.echo(json.dumps(summary, indent=2) if as_json else format_summary(summary))
    for failure in failures:
        click.secho(f"skipped {failure.source}: {failure.reason}", fg="yellow", err=True)
    if failures:
        sys.exit(EXIT_PARTIAL)


def format_summary(summary: dict) -> str:
    def counts(d: dict) -> str:
        return ", ".join(f"{k} {v}" for k, v in d.items()) or "none"

    lines = [
        "wrote " + ", ".join(filter(None, [summary["output"], summary.get("rdf"), summary.get("page")]))
        + (f" and loaded {summary['store']}" if summary.get("store") else ""),
        f"documents: {summary['documents']}",
        f"entities:  {sum(summary['entities'].values())} ({counts(summary['entities'])})",
        f"relations: {sum(summary['relations'].values())} ({counts(summary['relations'])})",
        f"skipped:   {len(summary['skipped'])}",
    ]
    return "\n".join(lines)
