"""Benchmark: loading a synthetic graph into the embedded store (kglite), first load and re-load.

The graph has the shape of a large build: N entities over D documents, R relations each stated by
one evidence sentence, every entity mentioned in two documents. It is written as a JSON Lines build
(``kg build --format jsonl``), then loaded twice into one store, each load in a process of its own as
``kg load BUILD/`` runs it. Prints relations/s of both loads, the store's file size, and peak RSS (the
larger of the two loading processes). ``--cypher`` loads through the Cypher statements every store runs
(and prints round trips and rows per round trip, what a Neo4j server would receive with the same batch
size); ``--source memory`` loads the graph made in the loading process.

    python benchmarks/bench_load.py                       # 50k entities, 200k relations
    python benchmarks/bench_load.py --cypher              # the Cypher path (the embedded store's before)
    python benchmarks/bench_load.py --entities 5000 --relations 20000
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.model import Document, Entity, Evidence, Graph, Mention, Relation, relation_id  # noqa: E402
from kg.vocab import EntityType, Modality, Polarity, RelationType  # noqa: E402
from kg.loaders.cypher import DEFAULT_BATCH_SIZE, CypherStore  # noqa: E402
from kg.loaders.kglite_store import KgliteRunner  # noqa: E402


def synthetic(n_entities: int, n_relations: int, n_docs: int, seed: int = 7) -> Graph:
    rng = random.Random(seed)
    types = list(EntityType)
    rel_types = [t for t in RelationType if t is not RelationType.RELATED_TO]
    docs = tuple(Document(id=f"doc{i:06d}", text="", source=f"synthetic/doc{i:06d}.txt", title=f"Article {i}")
                 for i in range(n_docs))
    entities = []
    for i in range(n_entities):
        name = f"Entity {i}"
        mentions = tuple(Mention(docs[(i + k * 7919) % n_docs].id, 10 * k, 10 * k + len(name), name) for k in (0, 1))
        entities.append(Entity(id=f"{types[i % 3].prefix}:entity-{i}", type=types[i % 3], name=name,
                               aliases=(name, f"E{i}"), mentions=mentions))
    relations = {}
    while len(relations) < n_relations:
        s, o = rng.randrange(n_entities), rng.randrange(n_entities)
        if s == o:
            continue
        t = rng.choice(rel_types)
        pol = Polarity.NEGATIVE if rng.random() < 0.05 else Polarity.POSITIVE
        mod = rng.choice(list(Modality))
        rid = relation_id(entities[s].id, t, entities[o].id, pol, mod)
        doc = entities[s].mentions[0].doc
        start = rng.randrange(5000)
        sentence = f"{entities[s].name} and {entities[o].name} were linked by a sentence of ordinary news length here."
        relations[rid] = Relation(id=rid, subject=entities[s].id, type=t, object=entities[o].id, polarity=pol,
                                  modality=mod, confidence=0.8, attributes={"cameo": t.cameo} if t.cameo else {},
                                  evidence=(Evidence(doc, start, start + len(sentence), sentence, "linked"),))
    return Graph(docs, tuple(entities), tuple(relations[k] for k in sorted(relations)))


class CountingRunner:
    def __init__(self, inner):
        self.inner, self.target = inner, inner.target
        self.calls = self.rows = 0

    def write(self, statement, params):
        self.calls += 1
        self.rows += sum(len(v) for v in params.values() if isinstance(v, list))
        return self.inner.write(statement, params)

    def read(self, statement, params):
        return self.inner.read(statement, params)

    def close(self):
        self.inner.close()


def phase_load(build: Path, store_dir: Path, source: str, cypher: bool, batch_rows: int) -> dict:
    """One load of the build into the store in ``store_dir``, as `kg load` does it, timed from opening the store
    to its file replaced. ``source``: ``jsonl`` (read a line at a time) or ``memory`` (the graph made here first,
    outside the timing). ``cypher``: the Cypher path every store runs, not the embedded store's bulk path."""
    from kg.graph_stream import open_graph
    from kg.loaders.kglite_store import KgliteStore, store_path

    if source == "memory":
        graph = synthetic(*json.loads((build / "shape.json").read_text()))
    else:
        graph = open_graph(build)
    t = time.perf_counter()
    runner = KgliteRunner(store_path(store_dir))
    if cypher:
        runner = CountingRunner(runner)
        store = CypherStore(runner, name="kglite", batch_size=batch_rows)
    else:
        store = KgliteStore(runner, name="kglite", batch_size=batch_rows)
    report = store.write(graph)
    store.close()  # includes saving the file
    out = {"seconds": time.perf_counter() - t, "relations": report.counts["relations"],
           "path": "cypher" if cypher else store.last_path,
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if cypher:
        out["round_trips"], out["rows"] = runner.calls, runner.rows
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entities", type=int, default=50_000)
    ap.add_argument("--relations", type=int, default=200_000)
    ap.add_argument("--documents", type=int, default=10_000)
    ap.add_argument("--batch-rows", type=int, default=DEFAULT_BATCH_SIZE)
    ap.add_argument("--source", choices=["jsonl", "memory"], default="jsonl",
                    help="load the JSON Lines build (default), or the graph made in the loading process")
    ap.add_argument("--cypher", action="store_true",
                    help="load through Cypher, as into Neo4j (the embedded store's path before its bulk loader)")
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("--build", help=argparse.SUPPRESS)
    ap.add_argument("--store", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.phase:
        print(json.dumps(phase_load(Path(args.build), Path(args.store), args.source, args.cypher, args.batch_rows)))
        return

    from kg.graph_stream import JsonlSink

    shape = [args.entities, args.relations, args.documents]
    t0 = time.perf_counter()
    graph = synthetic(*shape)
    print(f"synthetic graph: {len(graph.documents):,} documents, {len(graph.entities):,} entities, "
          f"{len(graph.relations):,} relations ({time.perf_counter() - t0:.1f} s to make)")
    with tempfile.TemporaryDirectory() as tmp:
        build, store_dir = Path(tmp) / "build", Path(tmp) / "store"
        JsonlSink(build).write(graph)
        (build / "shape.json").write_text(json.dumps(shape))
        del graph
        print(f"loading {'the graph made in the loading process' if args.source == 'memory' else 'the JSON Lines build'}"
              f" through {'Cypher' if args.cypher else 'the embedded store (kglite bulk path where it applies)'}, "
              f"each load in a process of its own")
        peak = 0.0
        for label in ("first load", "re-load"):
            cmd = [sys.executable, __file__, "--phase", "load", "--build", str(build), "--store", str(store_dir),
                   "--source", args.source, "--batch-rows", str(args.batch_rows)] + (["--cypher"] if args.cypher else [])
            r = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()[-1])
            extra = (f"  {r['round_trips']:,} round trips, {r['rows'] / max(r['round_trips'], 1):,.0f} rows each"
                     if args.cypher else f"  ({r['path']} path)")
            print(f"{label}: {r['relations'] / r['seconds']:,.0f} relations/s  ({r['seconds']:.1f} s, "
                  f"peak RSS {r['peak_rss_mb']:.0f} MB){extra}")
            peak = max(peak, r["peak_rss_mb"])
        store = CypherStore(KgliteRunner(store_dir / "graph.kgl"), name="kglite")
        counts = store.counts()
        store.close()
        size = sum(f.stat().st_size for f in store_dir.iterdir() if f.is_file())
        print(f"store holds: {counts['nodes']}  relationships {sum(counts['relationships'].values()):,}; "
              f"files {size / 1e6:.1f} MB")
    print(f"peak RSS: {peak:.0f} MB")


if __name__ == "__main__":
    main()
