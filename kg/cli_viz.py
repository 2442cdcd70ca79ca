"""``kg viz``: the graph, or a query's result, as one self-contained HTML page."""

from __future__ import annotations

import re
from pathlib import Path

import click

from kg.cli_common import fail, parse_params, required_store, store_options
from kg.errors import KGError

# The columns that make a query's result drawable: an edge list naming relations by id.
EDGE_COLUMNS = ("source", "target", "id")


@click.command()
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False),
              help="Build folder: reads graph.json (or the store) there and writes the page there.")
@click.option("--graph", "graph_path", default=None, type=click.Path(dir_okay=False),
              help="graph.json to draw  [default: OUT/graph.json]")
@click.option("--query", "query_name", default=None,
              help="Draw the result of this library query (or .cypher file) run on the store instead.")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of --query; repeat for several.")
@click.option("--html", "html_path", default=None, type=click.Path(dir_okay=False),
              help="Page to write  [default: OUT/graph.html, or OUT/<query>.html with --query]")
@click.option("--title", default=None, help="Heading of the page  [default: Knowledge graph, or the query's name]")
@store_options
def viz(out_dir: str, graph_path: str | None, query_name: str | None, params: tuple[str, ...],
        html_path: str | None, title: str | None, **store: object) -> None:
    """Write the graph as one interactive HTML page that opens offline, and graph.grass for Neo4j Browser.

    The page opens on the entities that take part in relations, sized by their
    number of relations and laid out with ForceAtlas2 (computed here, so the
    same graph gives the same page); the most connected are labelled first.
    Entities without relations, and a layer of who is named with whom in the
    same article or sentence, are a click away. Negative relations are red and
    dashed, future and possible ones dotted. Click an entity for its aliases,
    titles, documents and relations, a relation for every sentence that states
    it. Search, filters by entity type, relation type, polarity, modality,
    period (attributes.when) and document, the neighbourhood of an entity
    (depth 1 to 3), and a map of the places that have coordinates. Drawn with
    WebGL (sigma); fluid at 20,000 entities.

    With --query, the page shows a query's result: a query that returns an edge
    list with the columns source, target and id (entity ids and the relation id,
    like `neighbourhood`). Those relations, their evidence and their entities
    are read from the store.

    \b
    Examples:
      kg viz                                        # out/graph.html from out/graph.json
      kg viz --out build/ --title "Baltic news"
      kg viz --query neighbourhood -p name=Rasmussen -p depth=2   # out/neighbourhood.html
    """
    from kg.loaders.viz import HtmlSink

    out = Path(out_dir)
    try:
        if query_name:
            graph, subtitle = _query_graph(query_name, parse_params(params), out_dir, store)
            stem = re.sub(r"[^\w.-]+", "_", Path(query_name).stem)
            target = Path(html_path) if html_path else out / f"{stem}.html"
            sink = HtmlSink(target, title=title or f"Query: {query_name}", subtitle=subtitle, grass_file=False)
        else:
            from kg.model import Graph

            graph = Graph.load(graph_path or str(out / "graph.json"))
            target = Path(html_path) if html_path else out / "graph.html"
            sink = HtmlSink(target, title=title or "Knowledge graph")
        report = sink.write(graph)
    except KGError as exc:
        fail(str(exc))
        return
    click.echo(f"wrote {report.target}: entities {report.counts['entities']}, relations {report.counts['relations']}"
               + ("" if query_name else f"; Neo4j Browser style {Path(report.target).with_suffix('.grass')}"))


def _query_graph(name: str, values: dict[str, str], out_dir: str, store: dict):
    """Run a query on the store; the subgraph its edge-list result names, and a line saying what it is."""
    import kg.queries as library
    from kg.loaders.readback import subgraph

    q = library.find(name)
    bound = q.bind(values)
    with required_store(out_dir, store, "query") as target:
        rows = target.query(q.text, bound)
        columns = list(rows[0]) if rows else []
        missing = [c for c in EDGE_COLUMNS if c not in columns]
        if rows and missing:
            raise click.UsageError(
                f"query {q.name} returns {', '.join(columns)}: a page needs an edge list with the columns "
                f"{', '.join(EDGE_COLUMNS)} (missing {', '.join(missing)}); `neighbourhood` is one")
        graph = subgraph(target, [r["id"] for r in rows], [r[c] for r in rows for c in ("source", "target")])
    shown = ", ".join(f"{k}={v}" for k, v in bound.items() if v is not None)
    return graph, " ".join(filter(None, [q.description, shown and f"({shown})", f"· {len(rows)} rows"]))


def write_page(graph, out_dir: str):
    """For ``kg build``: OUT/graph.html and graph.grass, or ``None`` with a warning when the page cannot
    be made (the graph library is not installed): the build's other outputs stand."""
    from kg.loaders.viz import HtmlSink, SetupError

    try:
        return HtmlSink(Path(out_dir) / "graph.html").write(graph)
    except SetupError as exc:
        click.secho(f"warning: graph.html not written: {exc}", fg="yellow", err=True)
        return None
