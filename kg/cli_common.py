"""What the commands share: exit codes, the store options, and reading --param KEY=VALUE."""

from __future__ import annotations

import sys

import click

EXIT_PARTIAL = 1
EXIT_FATAL = 2


def fail(message: str) -> None:
    click.secho(f"error: {message}", fg="red", err=True)
    sys.exit(EXIT_FATAL)


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


def open_store(out_dir: str, store_kind: str, neo4j_uri: str | None, neo4j_user: str | None,
                neo4j_password: str | None, neo4j_database: str | None, batch_rows: int):
    from loaders import stores

    return stores.open_store(store_kind, out_dir=out_dir, batch_size=batch_rows, neo4j={
        "uri": neo4j_uri, "username": neo4j_user, "password": neo4j_password, "database": neo4j_database})


def required_store(out_dir: str, store: dict, doing: str):
    """The configured store, opened; a usage error when it is ``--store none``."""
    target = open_store(out_dir, **store)
    if target is None:
        raise click.UsageError(f"--store none: nothing to {doing}")
    return target


def parse_params(items: tuple[str, ...]) -> dict[str, str]:
    """``("name=Ivanov", "depth=2")`` as ``{"name": "Ivanov", "depth": "2"}``; a malformed one is a usage error."""
    values = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.UsageError(f"--param wants KEY=VALUE, got {item!r}")
        values[key.strip()] = value
    return values
