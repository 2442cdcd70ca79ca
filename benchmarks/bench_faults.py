"""Benchmark: kill `kg load` at random moments of a load over a full store, and count how many kills
left the store partial and visible (it answers something that is neither the old store nor the new
one, with exit 0 and no word that the load did not finish). The goal is 0 of N.

The build is synthetic (``tests/synthetic.py``): the store holds build A, and build B restates the
same documents differently, so a load of B over A retracts and rewrites all of them. For each kill
the store is reset to A, ``kg load B`` is started and SIGKILLed after a random delay (uniform over
the time a whole load takes, process start included), and then ``kg query`` is asked for
everything the store holds (``tests/faults.py``). Into FalkorDB (the Bolt server of the tests,
through the neo4j driver), the load is ``tests/falkor_load.py``, the journalled load of `kg load`
with that server's workarounds, and the reset a GRAPH.COPY of A.

    python benchmarks/bench_faults.py                          # 20 kills each, embedded and FalkorDB
    python benchmarks/bench_faults.py --kills 50 --no-falkordb
    python benchmarks/bench_faults.py --repo /path/to/another/checkout --no-falkordb   # the same, on other code
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from faults import KG, ask, classify, kill_when, run, temp_files, write_dump  # noqa: E402
from kg.loaders.json_file import JsonSink  # noqa: E402
from synthetic import news_like  # noqa: E402


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def trials(kills: int, duration: float, rng: random.Random, reset, kill, answer, old: str, new: str):
    """Kill loads at random moments until ``kills`` kills landed while a load ran (at most 3 x
    ``kills`` tries); what the store answered after each of those, and when they landed."""
    outcomes, delays = [], []
    for _ in range(3 * kills):
        if len(outcomes) == kills:
            break
        reset()
        delay = rng.uniform(0, duration)
        running, _ = kill(delay)
        if running:
            delays.append(delay)
            outcomes.append(classify(answer(), old, new))
    return outcomes, delays


def median_duration(cmd: list[str], reset, runs: int = 3, **kw) -> float:
    times = []
    for _ in range(runs):
        reset()
        times.append(run(cmd, **kw))
    return sorted(times)[runs // 2]


def report(name: str, outcomes: list[str], delays: list[float], duration: float, extra: str = "") -> None:
    counts = Counter(o if o in ("old", "new", "refused") else "partial" if o.startswith("partial") else "error"
                     for o in outcomes)
    partial_visible = sum(1 for o in outcomes if o == "partial")
    print(f"{name}: {len(outcomes)} kills during loads, {min(delays):.1f}-{max(delays):.1f} s after the start "
          f"of loads taking {duration:.1f} s (median of 3)")
    print(f"  old store: {counts['old']}, new store: {counts['new']}, refused (says the load did not finish): "
          f"{counts['refused']}, partial: {counts['partial']}, other errors: {counts['error']}")
    for o in outcomes:
        if o not in ("old", "new", "refused"):
            print(f"    {o}")
    print(f"  partial and visible: {partial_visible} of {len(outcomes)}{extra}")


def bench_kglite(folder: Path, kills: int, rng: random.Random, repo: Path) -> None:
    out = folder / "kglite"
    load_b = [*KG, "load", str(folder / "b.json"), "--out", str(out)]
    dump = write_dump(folder)
    run([*KG, "load", str(folder / "a.json"), "--out", str(out)], cwd=repo)
    saved = folder / "old.kgl"
    shutil.copy(out / "graph.kgl", saved)

    def answer():
        return ask([str(dump), "--out", str(out)], cwd=repo)

    old = answer()[1]

    def reset():
        shutil.copy(saved, out / "graph.kgl")

    duration = median_duration(load_b, reset, cwd=repo)
    new = answer()[1]
    left = 0

    def kill(delay):
        nonlocal left
        landed = kill_when(load_b, lambda p: True, delay=delay, cwd=repo)
        left += bool(temp_files(out))
        return landed

    outcomes, delays = trials(kills, duration, rng, reset, kill, answer, old, new)
    run(load_b, cwd=repo)
    cleaned = not temp_files(out) and answer()[1] == new
    report("embedded store (kglite)", outcomes, delays, duration,
           f"; kills that left a .tmp file: {left}; the next load finished and removed them: {cleaned}")


def bench_falkordb(folder: Path, kills: int, rng: random.Random) -> None:
    from servers import FalkorServer, wipe

    server = FalkorServer()
    try:
        dump = write_dump(folder)
        load = [sys.executable, str(ROOT / "tests" / "falkor_load.py"), server.uri]

        def answer():
            return ask([str(dump), "--store", "neo4j", "--neo4j-uri", server.uri], before=server.prime,
                       timeout=30, tries=5)

        server.prime()
        wipe(server.store())
        run([*load, str(folder / "small-a.json")])
        server.snapshot("kg-old")
        old = answer()[1]

        def reset():
            server.restore("kg-old")
            server.prime()

        duration = median_duration([*load, str(folder / "small-b.json")], reset)
        new = answer()[1]
        outcomes, delays = trials(kills, duration, rng, reset,
                                  lambda delay: kill_when([*load, str(folder / "small-b.json")], lambda p: True,
                                                          delay=delay),
                                  answer, old, new)
        server.prime()
        run([*load, str(folder / "small-b.json")])
        finished = answer()
        report("FalkorDB through the neo4j driver", outcomes, delays, duration,
               f"; the next load finished the last one: {finished[:2] == (0, new)}")
    finally:
        server.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kills", type=int, default=20, help="kills per store")
    ap.add_argument("--documents", type=int, default=2500)
    ap.add_argument("--entities", type=int, default=10_000)
    ap.add_argument("--relations", type=int, default=25_000)
    ap.add_argument("--falkordb-scale", type=float, default=0.2,
                    help="the FalkorDB build is this share of the other (it takes 3 rows a statement)")
    ap.add_argument("--no-falkordb", action="store_true")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repo", type=Path, default=ROOT, help="the checkout whose kg is killed (default: this one)")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    print(f"load average at start: {load_average()}")
    with tempfile.TemporaryDirectory(prefix="kg-faults-") as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        sizes = (args.entities, args.relations, args.documents)
        small = tuple(max(10, int(n * args.falkordb_scale)) for n in sizes)
        for name, (e, r, d), seed in (("a", sizes, 11), ("b", sizes, 12), ("small-a", small, 11), ("small-b", small, 12)):
            JsonSink(folder, f"{name}.json").write(news_like(e, r, d, seed=seed))
        print(f"builds: {args.documents:,} documents, {args.entities:,} entities, {args.relations:,} relations "
              f"(FalkorDB: {small[2]:,}, {small[0]:,}, {small[1]:,}); made in {time.perf_counter() - t:.1f} s")
        bench_kglite(folder, args.kills, rng, args.repo.resolve())
        print(f"load average: {load_average()}")
        if not args.no_falkordb:
            bench_falkordb(folder, args.kills, rng)
            print(f"load average: {load_average()}")


if __name__ == "__main__":
    main()
