"""The store commands of ``kg``: ``kg load``, ``kg forget`` and ``kg query``."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli_common import fail, how, note, parse_params, reading, store_options, writing
from kg.errors import KGError
from kg.tables import FORMATS as TABLE_FORMATS


def load_graph(graph, source: str, out_dir: str, store: dict, command: str, *, locked: bool = False,
          abandon: bool = False):
    """Load a graph (read from ``source``) into the configured store, journalled
    (``kg.loaders.stores.load``); ``None`` when the store is ``none``."""
    from kg.loaders import stores

    with writing(out_dir, store, command, locked=locked) as target:
        if target is None:
            return None
        return stores.load(target, graph, source=source, note=note, how=how(out_dir, store), abandon=abandon,
                           command=command)


@click.command()
@click.argument("graph_path", default="out/graph.json", type=click.Path())
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False),
              help="Build folder holding the embedded store graph.kgl.")
@click.option("--abandon-unfinished", "abandon", is_flag=True,
              help="When the last load into Neo4j did not finish and its graph.json is gone, go on without "
                   "it (the store keeps what that load wrote).")
@store_options
def load(graph_path: str, out_dir: str, abandon: bool, **store: object) -> None:
    """Load a built graph into the store (merge; documents already there are replaced).

    GRAPH_PATH is a graph.json, or a JSON Lines build (kg build --format jsonl): its
    graph.index.json or its folder, read a line at a time.

    Loading the same file twice changes nothing. A second build merges into the
    first: entities they share become one node.

    A load is atomic as you see it. The embedded store's file is replaced by a
    rename only when the load is complete: killed half-way, it is left as it
    was. Into Neo4j each batch is a transaction, and a journal node records the
    load until it is done: if it stops half-way, every kg command says so, and
    the next `kg load` (or `kg forget`) finishes it first.

    \b
    Examples:
      kg load out/graph.json
      kg load other/graph.json --out out/           # merge another build into out/graph.kgl
      kg load big/ --out big/                       # a JSON Lines build, streamed
      NEO4J_URI=bolt://localhost:7687 NEO4J_USERNAME=neo4j NEO4J_PASSWORD=secret kg load out/graph.json
    """
    from kg.graph_stream import graph_path as built_file, open_graph

    if store["store_kind"] == "none":
        raise click.UsageError("--store none: nothing to load into")
    try:
        graph = open_graph(graph_path)
        report = load_graph(graph, str(built_file(graph_path)), out_dir, store, "kg load", abandon=abandon)
    except KGError as exc:
        fail(str(exc))
        return
    click.echo(f"loaded {graph_path} into {report.target}: "
               + ", ".join(f"{k} {v}" for k, v in report.counts.items()))


@click.command()
@click.argument("doc_ids", nargs=-1, required=True)
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False),
              help="Build folder holding the embedded store graph.kgl.")
@click.option("--abandon-unfinished", "abandon", is_flag=True,
              help="When the last load into Neo4j did not finish and its graph.json is gone, go on without it.")
@store_options
def forget(doc_ids: tuple[str, ...], out_dir: str, abandon: bool, **store: object) -> None:
    """Remove documents from the store, with every mention, evidence and relation only they stated.

    DOC_IDS are document ids: the file name without extension.

    \b
    Examples:
      kg forget 000_0758136f7a40e787
      kg forget 000_0758136f7a40e787 001_ab34bc8552d6f4e9 --store neo4j
    """
    from kg.loaders import stores

    if store["store_kind"] == "none":
        raise click.UsageError("--store none: nothing to forget from")
    try:
        with writing(out_dir, store, "kg forget", create=False) as target:
            removed = stores.forget(target, doc_ids, note=note, how=how(out_dir, store), abandon=abandon,
                                    command="kg forget")
    except KGError as exc:
        fail(str(exc))
        return
    click.echo(f"removed from {target.runner.target}: " + ", ".join(f"{k} {v}" for k, v in removed.items()))


@click.command()
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A query parameter; repeat for several.")
@click.option("--list", "list_only", is_flag=True, help="Describe the queries of the library and exit.")
@click.option("--sparql", is_flag=True, help="Run a SPARQL query (queries/sparql/, or your .rq file) on OUT/graph.ttl.")
@click.option("--format", "fmt", default="table", show_default=True, type=click.Choice(TABLE_FORMATS),
              help="Output format.")
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False),
              help="Build folder holding the embedded store graph.kgl.")
@click.option("--write", "allow_write", is_flag=True,
              help="Allow a query that changes the store (CREATE, SET, DELETE, MERGE, a procedure CALL …).")
@store_options
def query(name: str | None, params: tuple[str, ...], list_only: bool, sparql: bool, fmt: str, out_dir: str,
          allow_write: bool, **store: object) -> None:
    """Run a query of the library (or your own .cypher file) against the store.

    NAME is a query of `kg query --list` or a path to a .cypher file, which may
    declare parameters in its header the same way (see queries/README.md).

    Queries are read-only: one that would change the store is refused (exit 2)
    unless --write is given. The embedded store is opened read-only and must
    exist (a folder without a build is an error, and nothing is created); Neo4j
    runs the query in a read transaction. A query runs while a load is running:
    on the embedded store it answers from the store as it was before the load;
    on Neo4j it waits for the load to finish.

    \b
    Examples:
      kg query --list
      kg query met_with
      kg query entity --param name=Ivanov
      kg query shortest_path -p from=Rasmussen -p to=Kabul --format json
      kg query my_query.cypher -p limit=5 --format csv
      kg query --sparql offered_aid                 # the SPARQL twin, on OUT/graph.ttl
    """
    import kg.queries as library
    from kg.tables import render

    if list_only:
        for q in (library.sparql_library() if sparql else library.library()).values():
            click.echo(f"{q.name}\n    {q.description}")
            for p in q.params:
                default = "required" if p.required else f"default {p.default!r}"
                bounds = f", {p.range}" if p.range else ""
                click.echo(f"    --param {p.name}=<{p.type}>  ({default}{bounds}) {p.help}")
        return
    if not name:
        raise click.UsageError("give a query NAME or --list")
    values = parse_params(params)
    try:
        if sparql:
            from kg.loaders import rdf

            q = library.find_sparql(name)
            rows = rdf.sparql(rdf.parse(Path(out_dir) / "graph.ttl", "turtle"), q.text, q.bind(values))
            click.echo(render(rows, fmt))
            return
        q = library.find(name)
        bound = q.bind(values)
        if q.writes and not allow_write:
            fail(f"query {q.name} changes the store ({', '.join(q.writes)}), and kg query is read-only: "
                 f"pass --write to change the store on purpose")
        if allow_write:
            rows = _write_query(q.text, bound, out_dir, store)
        else:
            with reading(out_dir, store, "query") as target:
                rows = target.query(q.text, bound)
    except KGError as exc:
        fail(str(exc))
        return
    click.echo(render(rows, fmt))


def _write_query(text: str, params: dict, out_dir: str, store: dict) -> list[dict]:
    """``kg query --write``: one statement in a write transaction; on the embedded store, which must
    exist, under the folder's lock and committed by replacing its file."""
    from kg.loaders import stores

    if store["store_kind"] == "none":
        raise click.UsageError("--store none: nothing to query")
    with writing(out_dir, store, "kg query --write", create=False) as target:
        stores.settle(target, note=note, how=how(out_dir, store))
        rows = target.runner.write(text, params)
        stores.commit(target)
    return rows
