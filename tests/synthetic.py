"""A synthetic build shaped like a large news graph, for the page's scale test and benchmark.

Degrees are heavy-tailed (preferential attachment: a few entities are in many relations, most in a
few), as in news, where capitals and alliances collect most relations. Seeded: the same call gives
the same graph.
"""

from __future__ import annotations

import random

from kg.model import Document, Entity, Evidence, Graph, Mention, Relation, relation_id
from kg.vocab import EntityType, Modality, Polarity, RelationType


def news_like(n_entities: int, n_relations: int, n_docs: int = 1000, seed: int = 11) -> Graph:
    rng = random.Random(seed)
    docs = tuple(Document(id=f"doc{i:05d}", text="", source=f"synthetic/doc{i:05d}.txt", title=f"Article {i}")
                 for i in range(n_docs))
    types = [EntityType.PERSON] * 4 + [EntityType.ORGANIZATION] * 3 + [EntityType.PLACE] * 3
    entities = []
    for i in range(n_entities):
        type_ = types[i % len(types)]
        name = f"{type_.value} {i}"
        mentions = tuple(Mention(docs[(i * 31 + k * 7919) % n_docs].id, 40 * k, 40 * k + len(name), name)
                         for k in range(1 + i % 3))
        entities.append(Entity(id=f"{type_.prefix}:synthetic-{i:05d}", type=type_, name=name,
                               aliases=(name, f"E{i}"), mentions=mentions))
    ends = list(range(n_entities))  # every entity once, then once more per relation it is in
    rel_types = [t for t in RelationType if t is not RelationType.RELATED_TO]
    relations: dict[str, Relation] = {}
    while len(relations) < n_relations:
        s, o = rng.choice(ends), rng.choice(ends)
        if s == o:
            continue
        t = rng.choice(rel_types)
        polarity = Polarity.NEGATIVE if rng.random() < 0.05 else Polarity.POSITIVE
        modality = rng.choices(list(Modality), weights=(8, 1, 1))[0]
        rid = relation_id(entities[s].id, t, entities[o].id, polarity, modality)
        if rid in relations:
            continue
        ends += (s, o)
        doc = entities[s].mentions[0].doc
        sentence = f"{entities[s].name} was linked to {entities[o].name} in a sentence of ordinary length."
        start = rng.randrange(5000)
        relations[rid] = Relation(
            id=rid, subject=entities[s].id, type=t, object=entities[o].id, polarity=polarity, modality=modality,
            confidence=0.8, attributes={"cameo": t.cameo} if t.cameo else {},
            evidence=(Evidence(doc, start, start + len(sentence), sentence, "linked"),))
    return Graph(docs, tuple(entities), tuple(relations[k] for k in sorted(relations)))
