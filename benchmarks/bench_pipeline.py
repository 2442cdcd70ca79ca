"""Benchmark: the kg pipeline against raw ``nlp.pipe`` on the same texts, in one run.

Builds a corpus of N copies of the seed articles (each copy its own document),
then runs, each in a fresh child process so peak RSS is its own:

- raw:      ``nlp.pipe`` over the document texts (same model, same batch size);
- pipeline: ``kg.pipeline.build`` over the same documents written as files,
            i.e. reading, clean-up, parsing, mentions, resolution and merge,
            then ``graph.json`` written;
- with ``--dask``, also ``workers2``: the same with ``--workers 2`` (worker
  processes), and ``dask``: ``kg build --dask`` on a LocalCluster of 2 worker
  processes (``kg.distributed``), timed once its workers have loaded the model
  (the time to start the cluster and load it is printed apart, as the other
  phases load the model before their timing) to ``graph.json`` written; the
  graphs are compared byte for byte.

Prints words/s (whitespace words of the input files) and peak RSS of each (for
the Dask build, of the client process; the workers' are printed apart), and the
speed ratios.

    python benchmarks/bench_pipeline.py --copies 200
    python benchmarks/bench_pipeline.py --copies 200 --workers 2
    python benchmarks/bench_pipeline.py --copies 100 --dask
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_corpus(folder: Path, copies: int) -> int:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    words = 0
    for n in range(copies):
        for seed in seeds:
            text = seed.read_text(encoding="utf-8")
            (folder / f"{seed.stem}-{n:05d}.txt").write_text(text, encoding="utf-8")
            words += len(text.split())
    return words


def phase_raw(folder: Path, batch_size: int) -> dict:
    from kg import nlp as nlp_mod

    nlp = nlp_mod.load(nlp_mod.DEFAULT_MODEL)
    texts = (p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt")))
    t0 = time.perf_counter()
    n = sum(1 for _ in nlp.pipe(texts, batch_size=batch_size))
    return {"docs": n, "seconds": time.perf_counter() - t0}


def phase_pipeline(folder: Path, batch_size: int, workers: int, out: Path) -> dict:
    from kg import nlp as nlp_mod
    from kg.loaders.json_file import JsonSink
    from kg.pipeline import build

    nlp_mod.kg_pipeline(nlp_mod.DEFAULT_MODEL)  # the pipeline build runs, loaded outside the timing as in the raw phase
    t0 = time.perf_counter()
    graph, stats = build([str(folder)], batch_size=batch_size, workers=workers)
    JsonSink(out).write(graph)
    return {"docs": stats.documents, "seconds": time.perf_counter() - t0, "entities": len(graph.entities)}


def phase_dask(folder: Path, batch_size: int, workers: int, out: Path) -> dict:
    from kg import distributed

    from kg.nlp import DEFAULT_MODEL

    t0 = time.perf_counter()
    client = distributed.connect(None, workers)
    try:
        # the workers load the model before the timing, as the other phases load it before theirs
        plugin = distributed.AnalyzerPlugin(DEFAULT_MODEL, ())
        client.register_plugin(plugin, name=plugin.name)
        started = time.perf_counter() - t0
        t0 = time.perf_counter()
        done = distributed.build_on_cluster(client, [str(folder)], out, batch_size=batch_size)
        seconds = time.perf_counter() - t0
        rss = client.run(lambda: __import__("resource").getrusage(__import__("resource").RUSAGE_SELF).ru_maxrss / 1024)
    finally:
        distributed.close(client)
    return {"docs": done.documents, "seconds": seconds, "start_seconds": started,
            "worker_peak_rss_mb": max(rss.values())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=100, help="copies of the five seed articles")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--workers", type=int, default=1, help="pipeline worker processes")
    ap.add_argument("--dask", action="store_true",
                    help="also the build with --workers 2 and on a local Dask cluster of 2 workers")
    ap.add_argument("--phase", choices=["raw", "pipeline", "workers2", "dask"], help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.phase:
        folder, out = Path(args.corpus) / "in", Path(args.out)
        if args.phase == "raw":
            result = phase_raw(folder, args.batch_size)
        elif args.phase == "pipeline":
            result = phase_pipeline(folder, args.batch_size, args.workers, out)
        elif args.phase == "workers2":
            result = phase_pipeline(folder, args.batch_size, 2, out)
        else:
            result = phase_dask(folder, args.batch_size, 2, out)
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return

    phases = ("raw", "pipeline", "workers2", "dask") if args.dask else ("raw", "pipeline")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "in").mkdir()
        words = make_corpus(Path(tmp) / "in", args.copies)
        results = {}
        for phase in phases:
            cmd = [sys.executable, __file__, "--phase", phase, "--corpus", tmp, "--out", str(Path(tmp) / phase),
                   "--batch-size", str(args.batch_size), "--workers", str(args.workers)]
            proc = subprocess.run(cmd, check=True, capture_output=True, text=True)
            results[phase] = json.loads(proc.stdout.strip().splitlines()[-1])
        same = [p for p in phases[2:] if (Path(tmp) / p / "graph.json").read_bytes()
                == (Path(tmp) / "pipeline" / "graph.json").read_bytes()]
    docs = results["raw"]["docs"]
    print(f"corpus: {args.copies} copies x 5 seeds = {docs} documents, {words} words; batch {args.batch_size}, "
          f"pipeline workers {args.workers}")
    names = {"raw": "raw", "pipeline": "pipeline", "workers2": "--workers 2", "dask": "--dask (2)"}
    for phase, r in results.items():
        extra = (f"  (cluster start and model load {r['start_seconds']:.1f} s; worker peak RSS {r['worker_peak_rss_mb']:.0f} MB)"
                 if phase == "dask" else "")
        print(f"{names[phase]:<11} {words / r['seconds']:>10,.0f} words/s  {r['seconds']:>8.2f} s  "
              f"peak RSS {r['peak_rss_mb']:>7.0f} MB{extra}")
    ratio = results["raw"]["seconds"] / results["pipeline"]["seconds"]
    print(f"pipeline/raw speed ratio: {ratio:.2f}")
    if args.dask:
        print(f"--workers 2/raw speed ratio: {results['raw']['seconds'] / results['workers2']['seconds']:.2f}")
        print(f"dask/raw speed ratio: {results['raw']['seconds'] / results['dask']['seconds']:.2f}")
        print(f"dask/pipeline speed ratio: {results['pipeline']['seconds'] / results['dask']['seconds']:.2f}")
        print(f"dask/--workers 2 speed ratio: {results['workers2']['seconds'] / results['dask']['seconds']:.2f}")
        print(f"graph.json byte-identical to the single-process build: {', '.join(names[p] for p in same) or 'none'}"
              + ("" if len(same) == 2 else "  ** DIFFERS **"))


if __name__ == "__main__":
    main()
