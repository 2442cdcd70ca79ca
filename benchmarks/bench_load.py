"""Benchmark: loading a synthetic graph into the embedded store (kglite), first load and re-load.

The graph has the shape of a large build: N entities over D documents, R relations each stated by
one evidence sentence, every entity mentioned in two documents. Prints relations/s for both loads,
round trips and rows per round trip (what a Neo4j server would receive with the same batch size),
the store's file size, and peak RSS.

    python benchmarks/bench_load.py                       # 50k entities, 200k relations
    python benchmarks/bench_load.py --entities 5000 --relations 20000
"""

from __future__ import annotations

import argparse
import random
import resource
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entities", type=int, default=50_000)
    ap.add_argument("--relations", type=int, default=200_000)
    ap.add_argument("--documents", type=int, default=10_000)
    ap.add_argument("--batch-rows", type=int, default=DEFAULT_BATCH_SIZE)
    args = ap.parse_args()

    t0 = time.perf_counter()
    graph = synthetic(args.entities, args.relations, args.documents)
    print(f"synthetic graph: {len(graph.documents):,} documents, {len(graph.entities):,} entities, "
          f"{len(graph.relations):,} relations ({time.perf_counter() - t0:.1f} s to make)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.kgl"
        for label in ("first load", "re-load"):
            runner = CountingRunner(KgliteRunner(path))
            store = CypherStore(runner, name="kglite", batch_size=args.batch_rows)
            t = time.perf_counter()
            store.write(graph)
            store.close()  # includes saving the file
            dt = time.perf_counter() - t
            print(f"{label:10}: {dt:6.1f} s  {len(graph.relations) / dt:10,.0f} relations/s  "
                  f"{runner.calls:,} round trips, {runner.rows / max(runner.calls, 1):,.0f} rows each on average")
        store = CypherStore(KgliteRunner(path), name="kglite")
        counts = store.counts()
        store.close()
        size = sum(f.stat().st_size for f in Path(tmp).iterdir() if f.is_file())
        print(f"store holds: {counts['nodes']}  relationships {sum(counts['relationships'].values()):,}; "
              f"files {size / 1e6:.1f} MB")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
