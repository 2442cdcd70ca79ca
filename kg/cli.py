"""The ``kg`` command: a thin layer over ``kg.pipeline`` and ``kg.evaluate``.

Exit codes: 0 all went well; 1 some inputs were skipped (the rest was built);
2 a usage error or a fatal error (nothing written).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg import __version__
from kg.errors import KGError
from kg.ingest import DEFAULT_MAX_BYTES
from kg.nlp import DEFAULT_MODEL
from kg.pipeline import DEFAULT_BATCH

EXIT_PARTIAL = 1
EXIT_FATAL = 2


def _fail(message: str) -> None:
    click.secho(f"error: {message}", fg="red", err=True)
    sys.exit(EXIT_FATAL)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """Turn news articles into a named-entity knowledge graph.

    \b
    Start with:
      kg build seeds/            # writes out/graph.json
      kg eval --gold gold.json   # scores out/graph.json against hand annotation
    """


@main.command()
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
def build(paths: tuple[str, ...], out_dir: str, model: str, workers: int, batch_size: int, max_bytes: int,
          strict: bool, progress: bool | None, summary_json: bool) -> None:
    """Build the graph of PATHS (files, directories, globs) into OUT/graph.json.

    Reads .txt (UTF-8), .html (article text via trafilatura) and .jsonl (one
    {"text": ..., "id": ..., "title": ..., "url": ..., "published": ...} a line).
    A file that cannot be read is reported with the reason and skipped; the
    exit code is then 1.

    \b
    Examples:
      kg build seeds/
      kg build 'news/**/*.txt' extra.jsonl --out build/ --workers 2
      kg build page.html --strict
    """
    from kg.pipeline import build as run_build
    from loaders.json_file import JsonSink

    bar = None
    show = progress if progress is not None else sys.stderr.isatty()
    if show:
        from tqdm import tqdm

        bar = tqdm(unit="doc", file=sys.stderr, mininterval=0.5, disable=None)
    try:
        graph, stats = run_build(
            list(paths), model=model, workers=workers, batch_size=batch_size, max_bytes=max_bytes,
            strict=strict, on_result=(lambda _: bar.update(1)) if bar is not None else None,
        )
        report = JsonSink(out_dir).write(graph)
    except KGError as exc:
        _fail(str(exc))
        return
    finally:
        if bar is not None:
            bar.close()
    summary = stats.summary(graph)
    summary["output"] = report.target
    if summary_json:
        click.echo(json.dumps(summary, indent=2))
    else:
        click.echo(_format_summary(summary))
    for failure in stats.failures:
        click.secho(f"skipped {failure.source}: {failure.reason}", fg="yellow", err=True)
    if stats.failures:
        sys.exit(EXIT_PARTIAL)


def _format_summary(summary: dict) -> str:
    def counts(d: dict) -> str:
        return ", ".join(f"{k} {v}" for k, v in d.items()) or "none"

    lines = [
        f"wrote {summary['output']}",
        f"documents: {summary['documents']}",
        f"entities:  {sum(summary['entities'].values())} ({counts(summary['entities'])})",
        f"relations: {sum(summary['relations'].values())} ({counts(summary['relations'])})",
        f"skipped:   {len(summary['skipped'])}",
    ]
    return "\n".join(lines)


@main.command(name="eval")
@click.option("--gold", type=click.Path(exists=True, dir_okay=False),
              help="Hand annotation in the form of shared/gold/seeds.json.")
@click.option("--conll", type=click.Path(exists=True, dir_okay=False),
              help="CoNLL-2003 NER file: scores the pipeline and the raw model on it.")
@click.option("--conll04", type=click.Path(exists=True, dir_okay=False),
              help="CoNLL04 relation data: scores HOLDS_POSITION (Work_For) and LOCATED_IN (Located_In).")
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
                click.echo(ev.format_table(table, f"Relations on {conll04} (Work_For, Located_In)"))
    except KGError as exc:
        _fail(str(exc))


if __name__ == "__main__":  # pragma: no cover
    main()
