"""The ``kg`` command: a thin layer over ``kg.pipeline`` and ``kg.evaluate``.

Exit codes: 0 all went well; 1 some inputs were skipped (the rest was built); 2 a usage error or
a fatal error (a store or folder in use, a store that is missing or did not finish loading, a
query refused). No traceback reaches the user: an error says what failed in one line.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from kg import __version__
from kg.errors import KGError
from kg.ingest import DEFAULT_MAX_BYTES
from kg.nlp import DEFAULT_MODEL
from kg.pipeline import DEFAULT_BATCH
from kg.cli_common import EXIT_PARTIAL, building, fail, report_build, store_options
from kg.cli_scale import DASK_HELP, FORMAT_HELP, BuildCommand, build_scaled
from kg.cli_store import forget, load, load_graph, query
from kg.cli_viz import viz, write_page
from kg.loaders.base import RDF_FORMATS


class _Group(click.Group):
    """The command group; an error nothing else caught is one line on stderr and exit 2, not a traceback
    (``KG_DEBUG=1`` shows the traceback)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except KGError as exc:
            fail(str(exc))
        except Exception as exc:
            if os.environ.get("KG_DEBUG"):
                raise
            fail(f"{type(exc).__name__}: {exc} (this is a bug in kg: please report it; KG_DEBUG=1 shows where)")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """Turn news articles into a named-entity knowledge graph.

    \b
    Start with:
      kg build seeds/            # writes out/graph.json
      kg eval --gold gold.json   # scores out/graph.json against hand annotation

    \b
    Exit codes: 0 all done; 1 some inputs were skipped (the rest was built);
    2 a usage or fatal error (one line on stderr says which).
    """


@main.command(cls=BuildCommand)
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False),
              help="Folder for graph.json.")
@click.option("--model", default=DEFAULT_MODEL, show_default=True,
              help="Installed spaCy pipeline name or path; it needs a parser and NER.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes for parsing (each loads the model once).")
@click.option("--batch-size", default=DEFAULT_BATCH, show_default=True, type=click.IntRange(1, 10_000),
              help="Documents parsed together.")
@click.option("--max-bytes", default=DEFAULT_MAX_BYTES, show_default=True, type=click.IntRange(1),
              help="Skip files larger than this.")
@click.option("--strict", is_flag=True, help="Stop at the first unreadable file instead of skipping it.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (default: on when stderr is a terminal and there are many files).")
@click.option("--summary-json", is_flag=True, help="Print the summary as JSON instead of text.")
@click.option("--entities", "entity_files", multiple=True, type=click.Path(dir_okay=False),
              help="JSON Lines file of known entities (name, type, aliases, ids) added to the packaged one; "
                   "repeatable.")
@click.option("--min-confidence", default=0.0, show_default=True, type=click.FloatRange(0.0, 1.0),
              help="Leave out relations below this confidence (kg eval --gold prints precision by confidence).")
@click.option("--rdf/--no-rdf", "write_rdf", default=True, show_default=True,
              help="Also write OUT/graph.ttl (the RDF export, base http://example.org/kg/).")
@click.option("--viz/--no-viz", "write_viz", default=True, show_default=True,
              help="Also write OUT/graph.html (the interactive page of `kg viz`) and OUT/graph.grass.")
@click.option("--cache", "cache_dir", default=None, type=click.Path(file_okay=False),
              help="Folder keeping fetched feeds and pages, so a re-run does not fetch them again  "
                   "[default: the user's cache folder, ~/.cache/kg-news/fetch on Linux]")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Seconds a web server may take to answer (a timeout is retried 3 times, with back-off).")
@click.option("--refresh", is_flag=True, help="Fetch URLs again even when the cache holds them.")
@click.option("--dask", "dask_address", is_flag=False, flag_value="local", default=None, metavar="[ADDRESS]",
              help=DASK_HELP)
@click.option("--format", "fmt", default="json", show_default=True, type=click.Choice(["json", "jsonl"]),
              help=FORMAT_HELP)
@store_options
def build(paths: tuple[str, ...], out_dir: str, model: str, workers: int, batch_size: int, max_bytes: int,
          strict: bool, progress: bool | None, summary_json: bool, entity_files: tuple[str, ...],
          min_confidence: float, write_rdf: bool, write_viz: bool, cache_dir: str | None, timeout: float,
          refresh: bool, dask_address: str | None, fmt: str, **store: object) -> None:
    """Build the graph of PATHS (files, directories, globs, URLs) into OUT/graph.json, graph.ttl, graph.html and a store.

    The store is Neo4j when NEO4J_URI is set, else the embedded file OUT/graph.kgl
    that `kg query` reads. Loading merges: documents already in the store are
    replaced, others are kept (`kg forget` removes one).

    Reads .txt (UTF-8), .html (article text via trafilatura) and .jsonl (one
    {"text": ..., "id": ..., "title": ..., "url": ..., "published": ...} a line),
    and http(s) URLs: an RSS or Atom feed (each item's page is fetched) or an
    article's page. Fetched answers are kept in --cache, so a re-run makes no
    request. A file or page that cannot be read, or a text that is not prose
    (no sentence end for 10,000 characters), is reported with the reason and
    skipped; the exit code is then 1. A document over 1,000,000 characters is
    read in sections.

    A build holds OUT for its whole run: a second `kg build` (or `kg load`,
    `kg forget`) into the same OUT fails at once, saying which process holds
    it (exit 2). `kg query` reads the store meanwhile: a load replaces the
    store's file atomically, so a query sees it before or after the load.

    \b
    Examples:
      kg build seeds/
      kg build 'news/**/*.txt' extra.jsonl --out build/ --workers 2
      kg build page.html --strict
      kg build https://feeds.bbci.co.uk/news/world/rss.xml --out world/
      kg build https://news.example.org/world/article.html --timeout 10 --cache ~/kg-cache
      kg build news/ --entities my-entities.jsonl
      NEO4J_URI=bolt://localhost:7687 kg build seeds/ --store neo4j
      kg build news/ --dask --workers 2                       # on a local Dask cluster
      kg build s3://bucket/news/ --dask tcp://scheduler:8786 --format jsonl --out /shared/kg/
    """
    if dask_address is not None or fmt == "jsonl":
        return build_scaled(click.get_current_context().params)
    from kg.fetch import Fetcher
    from kg.pipeline import build as run_build
    from kg.loaders.json_file import JsonSink

    with building(out_dir, store, progress) as bar:
        graph, stats = run_build(
            list(paths), model=model, workers=workers, batch_size=batch_size, max_bytes=max_bytes,
            strict=strict, on_result=(lambda _: bar.update(1)) if bar is not None else None,
            entity_files=entity_files, min_confidence=min_confidence,
            fetcher=Fetcher(cache=cache_dir, timeout=timeout, refresh=refresh, max_bytes=max_bytes),
        )
        report = JsonSink(out_dir).write(graph)
        rdf_report = None
        if write_rdf:
            from kg.loaders.rdf import RdfSink

            rdf_report = RdfSink(Path(out_dir) / "graph.ttl").write(graph)
        viz_report = write_page(graph, out_dir) if write_viz else None
        store_report = load_graph(graph, report.target, out_dir, store, "kg build", locked=True)
    summary = stats.summary(graph)
    summary["output"] = report.target
    summary["rdf"] = rdf_report.target if rdf_report else None
    summary["page"] = viz_report.target if viz_report else None
    summary["store"] = store_report.target if store_report else None
    report_build(summary, stats.failures, summary_json)


@main.command(name="eval")
@click.option("--gold", type=click.Path(exists=True, dir_okay=False),
              help="Hand annotation in the form of shared/gold/seeds.json.")
@click.option("--conll", type=click.Path(exists=True, dir_okay=False),
              help="CoNLL-2003 NER file: scores the pipeline and the raw model on it.")
@click.option("--conll04", type=click.Path(exists=True, dir_okay=False),
              help="CoNLL04 relation data: scores HOLDS_POSITION and MEMBER_OF (Work_For), LOCATED_IN (Located_In) "
                   "and BASED_IN (OrgBased_In).")
@click.option("--graph", "graph_path", default=None, type=click.Path(dir_okay=False),
              help="graph.json to score against --gold  [default: OUT/graph.json]")
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False),
              help="Build folder holding graph.json.")
@click.option("--model", default=DEFAULT_MODEL, show_default=True, help="spaCy pipeline for --conll.")
@click.option("--limit", type=click.IntRange(1), default=None, help="Score only the first N CoNLL documents.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def evaluate(gold: str | None, conll: str | None, conll04: str | None, graph_path: str | None, out_dir: str, model: str,
             limit: int | None, as_json: bool) -> None:
    """Score a build against gold annotation, or the NER against CoNLL-2003.

    \b
    Examples:
      kg build seeds/ && kg eval --gold ../shared/gold/seeds.json
      kg eval --conll ../shared/data/conll2003/eng.testa
      kg eval --conll04 ../shared/data/conll04/conll04_dev.json
    """
    from kg import evaluate as ev
    from kg import evaluate_conll as ev_conll

    if not gold and not conll and not conll04:
        raise click.UsageError("give --gold FILE, --conll FILE or --conll04 FILE")
    try:
        if gold:
            from kg.model import Graph

            graph = Graph.load(graph_path or str(Path(out_dir) / "graph.json"))
            report = ev.evaluate_gold(graph, ev.load_gold(gold))
            click.echo(json.dumps(report.to_dict(), indent=2) if as_json else ev.format_gold_report(report))
        if conll:
            tables = ev_conll.evaluate_conll(conll, model, limit=limit)
            if as_json:
                click.echo(json.dumps({k: {t: v.to_dict() for t, v in tab.items()} for k, tab in tables.items()},
                                      indent=2))
            else:
                click.echo(ev.format_table(tables["raw_model"], f"Raw spaCy model ({model}) on {conll}"))
                click.echo(ev.format_table(tables["pipeline"], f"kg pipeline on {conll}"))
        if conll04:
            table = ev_conll.evaluate_conll04(conll04, model)
            if as_json:
                click.echo(json.dumps({t: v.to_dict() for t, v in table.items()}, indent=2))
            else:
                click.echo(ev.format_table(table, f"Relations on {conll04} (Work_For, Located_In, OrgBased_In)"))
    except KGError as exc:
        fail(str(exc))


@main.command()
@click.option("--format", "fmt", default="turtle", show_default=True,
              type=click.Choice([*RDF_FORMATS, "neo4j-csv"]),
              help="An RDF format, or neo4j-csv: the files `neo4j-admin database import full` reads.")
@click.option("--graph", "graph_path", default="out/graph.json", show_default=True, type=click.Path(),
              help="The built graph.json to export (or a JSON Lines build: its graph.index.json or folder).")
@click.option("--dask", "dask_address", is_flag=False, flag_value="local", default=None, metavar="[ADDRESS]",
              help="neo4j-csv from a JSON Lines build: each shard is written by a worker of a Dask cluster "
                   "(local, or the scheduler at ADDRESS).")
@click.option("--out", "target", default=None,
              help="File to write (a folder for neo4j-csv)  [default: beside --graph: graph.<ext>, neo4j-import/]")
@click.option("--base-iri", default=None, help="IRI prefix of the exported entities, documents and claims  "
              "[default: http://example.org/kg/]")
@click.option("--validate", is_flag=True, help="Check the RDF export with the SHACL shapes; exit 1 on a violation.")
@click.option("--ontology", is_flag=True, help="Write the vocabulary (classes, properties, domains, ranges) "
              "instead of the graph.")
def export(fmt: str, graph_path: str, target: str | None, base_iri: str | None, validate: bool,
           ontology: bool, dask_address: str | None) -> None:
    """Write a built graph as RDF (Turtle, JSON-LD, N-Triples, TriG) or as neo4j-admin import files.

    \b
    Examples:
      kg export                                     # out/graph.ttl
      kg export --format json-ld --out graph.jsonld --base-iri https://news.example.org/kg/
      kg export --format nt --validate
      kg export --ontology --out kg-vocab.ttl
      kg export --format neo4j-csv                  # out/neo4j-import/*.csv and import.sh
      kg export --format neo4j-csv --graph big/ --dask tcp://scheduler:8786
    """
    from kg.model import Graph
    from kg.loaders import rdf

    base = base_iri or rdf.DEFAULT_BASE
    try:
        if ontology:
            if fmt == "neo4j-csv":
                raise click.UsageError("--ontology is written in an RDF format")
            path = Path(target or f"kg-vocab.{RDF_FORMATS[fmt]}")
            path.write_bytes(rdf.serialize(rdf.vocabulary(), fmt, base=base))
            click.echo(f"wrote {path}")
            return
        if fmt == "neo4j-csv":
            from kg.cli_scale import export_csv

            report = export_csv(graph_path, target, dask_address)
        else:
            graph = Graph.load(graph_path)
            path = target or str(Path(graph_path).parent / f"graph.{RDF_FORMATS[fmt]}")
            report = rdf.RdfSink(path, fmt, base).write(graph)
    except KGError as exc:
        fail(str(exc))
        return
    click.echo(f"wrote {report.target}: " + ", ".join(f"{k} {v}" for k, v in report.counts.items()))
    if validate:
        if fmt == "neo4j-csv":
            raise click.UsageError("--validate checks an RDF export")
        conforms, text = rdf.validate(rdf.parse(report.target, fmt))
        if not conforms:
            click.echo(text, err=True)
            sys.exit(EXIT_PARTIAL)
        click.echo("SHACL: conforms")


main.add_command(viz)
for _command in (load, forget, query):
    main.add_command(_command)

if __name__ == "__main__":  # pragma: no cover
    main()
