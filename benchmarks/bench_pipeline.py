"""Benchmark: the kg pipeline against raw ``nlp.pipe`` on the same texts, in one run.

Builds a corpus of N copies of the seed articles (each copy its own document),
then runs, each in a fresh child process so peak RSS is its own:

- raw:      ``nlp.pipe`` over the document texts (same model, same batch size);
- pipeline: ``kg.pipeline.build`` over the same documents written as files,
            i.e. reading, clean-up, parsing, mentions, resolution and merge.

Prints words/s (whitespace words of the input files) and peak RSS of each, and
the pipeline/raw speed ratio.

    python benchmarks/bench_pipeline.py --copies 200
    python benchmarks/bench_pipeline.py --copies 200 --workers 2
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


def phase_pipeline(folder: Path, batch_size: int, workers: int) -> dict:
    from kg import nlp as nlp_mod
    from kg.pipeline import build

    nlp_mod.kg_pipeline(nlp_mod.DEFAULT_MODEL)  # the pipeline build runs, loaded outside the timing as in the raw phase
    t0 = time.perf_counter()
    graph, stats = build([str(folder)], batch_size=batch_size, workers=workers)
    return {"docs": stats.documents, "seconds": time.perf_counter() - t0, "entities": len(graph.entities)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=100, help="copies of the five seed articles")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--workers", type=int, default=1, help="pipeline worker processes")
    ap.add_argument("--phase", choices=["raw", "pipeline"], help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.phase:
        folder = Path(args.corpus)
        if args.phase == "raw":
            out = phase_raw(folder, args.batch_size)
        else:
            out = phase_pipeline(folder, args.batch_size, args.workers)
        out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(out))
        return

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        words = make_corpus(folder, args.copies)
        results = {}
        for phase in ("raw", "pipeline"):
            cmd = [sys.executable, __file__, "--phase", phase, "--corpus", tmp, "--batch-size", str(args.batch_size),
                   "--workers", str(args.workers)]
            proc = subprocess.run(cmd, check=True, capture_output=True, text=True)
            results[phase] = json.loads(proc.stdout.strip().splitlines()[-1])
    docs = results["raw"]["docs"]
    print(f"corpus: {args.copies} copies x 5 seeds = {docs} documents, {words} words; batch {args.batch_size}, "
          f"pipeline workers {args.workers}")
    for phase, r in results.items():
        print(f"{phase:<9} {words / r['seconds']:>10,.0f} words/s  {r['seconds']:>8.2f} s  "
              f"peak RSS {r['peak_rss_mb']:>7.0f} MB")
    ratio = results["raw"]["seconds"] / results["pipeline"]["seconds"]
    print(f"pipeline/raw speed ratio: {ratio:.2f}")


if __name__ == "__main__":
    main()
