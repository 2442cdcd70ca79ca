"""Benchmark: RDF export of a large build (the synthetic graph of bench_load.py).

Prints, for each format, the export time, the file size and the peak RSS of a child process that
does only that export (so each figure is its own), and the triple count.

    python benchmarks/bench_rdf.py                        # 10k documents, 50k entities, 200k relations
    python benchmarks/bench_rdf.py --documents 1000 --entities 5000 --relations 20000
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
sys.path.insert(0, str(ROOT))


def child(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_load import synthetic

    from kg.loaders.rdf import RdfSink

    graph = synthetic(args.entities, args.relations, args.documents)
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    report = RdfSink(args.path, args.format).write(graph)
    dt = time.perf_counter() - t
    print(json.dumps({"seconds": dt, "triples": report.counts["triples"], "bytes": Path(args.path).stat().st_size,
                      "rss_before_mb": base_rss,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entities", type=int, default=50_000)
    ap.add_argument("--relations", type=int, default=200_000)
    ap.add_argument("--documents", type=int, default=10_000)
    ap.add_argument("--formats", default="nt,turtle")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--format", help=argparse.SUPPRESS)
    ap.add_argument("--path", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
        return
    print(f"synthetic build: {args.documents:,} documents, {args.entities:,} entities, {args.relations:,} relations")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats.split(","):
            path = Path(tmp) / f"graph.{fmt}"
            out = subprocess.run(
                [sys.executable, __file__, "--child", "--format", fmt, "--path", str(path),
                 "--entities", str(args.entities), "--relations", str(args.relations),
                 "--documents", str(args.documents)], capture_output=True, text=True, check=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{fmt:7}: {r['seconds']:6.1f} s  {r['triples'] / r['seconds']:9,.0f} triples/s  "
                  f"{r['triples']:,} triples  {r['bytes'] / 1e6:6.1f} MB  "
                  f"RSS {r['rss_before_mb']:.0f} MB with the graph loaded, {r['peak_rss_mb']:.0f} MB peak")


if __name__ == "__main__":
    main()
