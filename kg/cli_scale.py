"""``kg build`` past one machine: ``--dask [ADDRESS]`` (the build on a Dask cluster) and ``--format jsonl``
(the graph in the JSON Lines form). ``kg.cli.build`` hands over to ``build_scaled`` when either is given."""

from __future__ import annotations

import re
from pathlib import Path

import click
from click.core import ParameterSource

from kg.cli_common import building, report_build, store_kind
from kg.errors import KGError

DASK_HELP = ("Build on a Dask cluster: a local one of --workers processes, or the scheduler at ADDRESS "
             "(tcp://host:8786; default: $DASK_SCHEDULER_ADDRESS). Workers read the PATHS (local paths they can "
             "reach, fsspec URLs such as s3://bucket/news/, and http(s) feeds and pages, fetched as without --dask).")
FORMAT_HELP = ("json: OUT/graph.json; jsonl: OUT/documents.jsonl, entities.jsonl, relations.jsonl (sharded by the "
               "workers with --dask) and graph.index.json, read a line at a time by kg load and kg export "
               "(with jsonl, graph.ttl and graph.html are written only when asked: --rdf, --viz).")


SCHEMES = ("tcp://", "tls://", "ucx://", "inproc://", "ws://", "wss://")


def is_address(value: str) -> bool:
    """``tcp://host:8786``, ``host:8786``: a Dask scheduler address (anything else is taken for a path)."""
    return value.startswith(SCHEMES) or bool(re.fullmatch(r"[\w.-]+:\d+", value))


class BuildCommand(click.Command):
    """``kg build``: ``--dask`` takes an optional ADDRESS, so ``kg build --dask seeds/`` must not read the
    path as the address: a value that is no scheduler address is left among the PATHS."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        args = list(args)
        for i, arg in enumerate(args):
            if arg == "--":
                break
            if arg == "--dask" and (i + 1 == len(args) or not is_address(args[i + 1])):
                args[i] = "--dask=local"
        return super().parse_args(ctx, args)


def build_scaled(params: dict) -> None:
    """The build of ``kg build`` with ``--dask`` or ``--format jsonl`` (``params``: the command's)."""
    from kg.cli_store import load_graph
    from kg.graph_stream import open_graph

    ctx = click.get_current_context()
    jsonl = params["fmt"] == "jsonl"
    asked = {name: ctx.get_parameter_source(name) is not ParameterSource.DEFAULT for name in ("write_rdf", "write_viz")}
    write_rdf = params["write_rdf"] and (asked["write_rdf"] or not jsonl)
    write_viz = params["write_viz"] and (asked["write_viz"] or not jsonl)
    out_dir, store = params["out_dir"], {k: params[k] for k in params if k.startswith(("store_", "neo4j_", "batch_"))}
    with building(out_dir, store, params["progress"]) as bar:
        summary, failures, target = _run(params, bar)
        rdf_report = viz_report = store_report = None
        if write_rdf or write_viz:
            graph = open_graph(target).graph()
            if write_rdf:
                from kg.loaders.rdf import RdfSink

                rdf_report = RdfSink(Path(out_dir) / "graph.ttl").write(graph)
            if write_viz:
                from kg.cli_viz import write_page

                viz_report = write_page(graph, out_dir)
            del graph
        if store_kind(store) != "none":  # a JSON Lines build is read a record at a time; a graph.json whole
            store_report = load_graph(open_graph(target), target, out_dir, store, "kg build", locked=True)
    summary.update(output=target, rdf=rdf_report.target if rdf_report else None,
                   page=viz_report.target if viz_report else None,
                   store=store_report.target if store_report else None)
    report_build(summary, failures, params["summary_json"])


def _run(params: dict, bar) -> tuple[dict, list, str]:
    """Build, on a cluster or in this process, and write the graph: (summary, skipped inputs, file written)."""
    options = dict(model=params["model"], batch_size=params["batch_size"], max_bytes=params["max_bytes"],
                   strict=params["strict"], entity_files=params["entity_files"],
                   min_confidence=params["min_confidence"])
    fetch = dict(cache=params["cache_dir"], timeout=params["timeout"], refresh=params["refresh"])
    if params["dask_address"] is not None:
        from kg import distributed

        address = None if params["dask_address"] == "local" else params["dask_address"]
        client = distributed.connect(address, params["workers"])
        try:
            done = distributed.build_on_cluster(
                client, list(params["paths"]), params["out_dir"], fmt=params["fmt"],
                progress=(lambda n: bar.update(n)) if bar is not None else None, fetch=fetch, **options)
        except (distributed.cluster_errors()) as exc:
            raise KGError(f"the Dask cluster failed: {type(exc).__name__}: {exc}") from exc
        finally:
            distributed.close(client)
        return done.summary(), done.failures, done.target
    from kg.fetch import Fetcher
    from kg.graph_stream import JsonlSink
    from kg.pipeline import build as run_build

    graph, stats = run_build(list(params["paths"]), workers=params["workers"],
                             on_result=(lambda _: bar.update(1)) if bar is not None else None,
                             fetcher=Fetcher(max_bytes=params["max_bytes"], **fetch), **options)
    report = JsonlSink(params["out_dir"]).write(graph)
    return stats.summary(graph), stats.failures, report.target


def export_csv(graph: str, target: str | None, dask_address: str | None):
    """``kg export --format neo4j-csv``: the import files of a build, read a record at a time; with
    ``--dask``, those of a JSON Lines build written by the workers of a cluster, a part per shard."""
    from kg.graph_stream import JsonlSource, graph_path, open_graph
    from kg.loaders.neo4j_csv import Neo4jCsvSink

    path = graph_path(graph)
    out = target or str(path.parent / "neo4j-import")
    source = open_graph(path)
    if dask_address is None:
        return Neo4jCsvSink(out).write(source)
    if not isinstance(source, JsonlSource):
        raise click.UsageError(f"--dask writes the import files of a JSON Lines build (kg build --format jsonl); "
                               f"{path} is a graph.json")
    from kg import distributed
    from kg.pipeline import default_workers

    client = distributed.connect(None if dask_address == "local" else dask_address, default_workers())
    try:
        return distributed.export_csv_on_cluster(client, source, out)
    except distributed.cluster_errors() as exc:
        raise KGError(f"the Dask cluster failed: {type(exc).__name__}: {exc}") from exc
    finally:
        distributed.close(client)
