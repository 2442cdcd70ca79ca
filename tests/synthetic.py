"""Synthetic graphs for the page: ``news_like``, a build shaped like a large news graph, for the scale
test and the benchmark; ``contract_graph``, a small one with every field of graph.json's data
contract the page reads.

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


# ---------------------------------------------------------------------------------------------
# A small graph with every field the page reads from the data contract of graph.json: places with
# coordinates (latitude, longitude, geonames_id, iso_3166) and one without, relations dated to a day,
# a month and a year, and undated ones, RELATED_TO with a predicate, entity attributes the page does
# not know (honorific, acronym, wikidata), entities in no relation, and sentences naming three
# entities. The texts are written here; offsets are found in them, so every mention is real.

CONTRACT_DOCS = {
    "d1": ("2004-11-19", [
        "Tony Blair met Gordon Brown in London on Friday.",
        "Oxfam's Barbara Stocking said the G8 must double aid.",
        "Mr Blair will not meet Oxfam before the summit, Brown said.",
    ]),
    "d2": ("2005-02-03", [
        "Tony Blair visited Washington in February.",
        "Washington criticised Iraq, a row dating from 2003.",
        "Barbara Stocking praised Blair while Brown stayed in London.",
    ]),
    "d3": (None, [
        "Gordon Brown, the Labour chancellor, spoke in Brussels.",
        "Brussels was twinned with London in 1968, Blair recalled.",
        "Kabul and Atlantis were not mentioned again; the G8 was.",
    ]),
}

# id, type, name, surface forms, attributes
CONTRACT_ENTITIES = [
    ("person:tony-blair", EntityType.PERSON, "Tony Blair", ("Tony Blair", "Mr Blair", "Blair"),
     {"honorific": "Mr", "title": "Prime Minister", "wikidata": "Q9545"}),
    ("person:gordon-brown", EntityType.PERSON, "Gordon Brown", ("Gordon Brown", "Brown"),
     {"titles": ["chancellor", "Labour chancellor"]}),
    ("person:barbara-stocking", EntityType.PERSON, "Barbara Stocking", ("Barbara Stocking",), {}),
    ("organization:oxfam", EntityType.ORGANIZATION, "Oxfam", ("Oxfam",), {}),
    ("organization:labour", EntityType.ORGANIZATION, "Labour", ("Labour",), {"acronym": "Lab"}),
    ("organization:g8", EntityType.ORGANIZATION, "G8", ("G8",), {}),
    ("place:london", EntityType.PLACE, "London", ("London",),
     {"latitude": 51.50853, "longitude": -0.12574, "geonames_id": 2643743, "iso_3166": "GB"}),
    ("place:washington", EntityType.PLACE, "Washington", ("Washington",),
     {"latitude": 38.89511, "longitude": -77.03637, "geonames_id": 4140963, "iso_3166": "US-DC"}),
    ("place:iraq", EntityType.PLACE, "Iraq", ("Iraq",),
     {"latitude": 33.0, "longitude": 44.0, "geonames_id": 99237, "iso_3166": "IQ"}),
    ("place:brussels", EntityType.PLACE, "Brussels", ("Brussels",),
     {"latitude": 50.85045, "longitude": 4.34878, "iso_3166": "BE"}),
    ("place:kabul", EntityType.PLACE, "Kabul", ("Kabul",), {"latitude": 34.52813, "longitude": 69.17233}),
    ("place:atlantis", EntityType.PLACE, "Atlantis", ("Atlantis",), {}),
]

# subject, type, object, doc, sentence, trigger, attributes, polarity, modality
CONTRACT_RELATIONS = [
    ("person:tony-blair", RelationType.MET_WITH, "person:gordon-brown", "d1", 0, "met",
     {"when": "2004-11-19", "when_text": "on Friday"}, Polarity.POSITIVE, Modality.ASSERTED),
    ("person:tony-blair", RelationType.MET_WITH, "organization:oxfam", "d1", 2, "meet",
     {}, Polarity.NEGATIVE, Modality.FUTURE),
    ("person:tony-blair", RelationType.VISITED, "place:washington", "d2", 0, "visited",
     {"when": "2005-02", "when_text": "in February"}, Polarity.POSITIVE, Modality.ASSERTED),
    ("place:washington", RelationType.CRITICIZED, "place:iraq", "d2", 1, "criticised",
     {"when": "2003"}, Polarity.POSITIVE, Modality.ASSERTED),
    ("person:barbara-stocking", RelationType.RELATED_TO, "person:tony-blair", "d2", 2, "praised",
     {"predicate": "praise"}, Polarity.POSITIVE, Modality.ASSERTED),
    ("person:gordon-brown", RelationType.HOLDS_POSITION, "organization:labour", "d3", 0, ",",
     {"title": "chancellor"}, Polarity.POSITIVE, Modality.ASSERTED),
    ("place:brussels", RelationType.RELATED_TO, "place:london", "d3", 1, "twinned",
     {"predicate": "twin with", "when": "1968"}, Polarity.POSITIVE, Modality.ASSERTED),
]


def contract_graph() -> Graph:
    texts, published = {}, {}
    for doc_id, (date, sentences) in CONTRACT_DOCS.items():
        texts[doc_id] = " ".join(sentences)
        published[doc_id] = date
    documents = tuple(Document(id=d, text=texts[d], source=f"contract/{d}.txt", title=f"Article {d}",
                               published=published[d]) for d in sorted(texts))
    entities = []
    for eid, type_, name, forms, attrs in CONTRACT_ENTITIES:
        mentions = sorted({Mention(d, m.start(), m.end(), m.group(0))
                           for d, text in texts.items() for m in _find(text, forms)})
        entities.append(Entity(id=eid, type=type_, name=name, aliases=tuple(sorted(set(forms))),
                               attributes=attrs, mentions=tuple(mentions)))
    relations = []
    for s, t, o, doc, k, trigger, attrs, polarity, modality in CONTRACT_RELATIONS:
        sentence = CONTRACT_DOCS[doc][1][k]
        start = texts[doc].index(sentence)
        rid = relation_id(s, t, o, polarity, modality, attrs.get("predicate", ""))
        relations.append(Relation(id=rid, subject=s, type=t, object=o, polarity=polarity, modality=modality,
                                  confidence=0.85, attributes={**({"cameo": t.cameo} if t.cameo else {}), **attrs},
                                  evidence=(Evidence(doc, start, start + len(sentence), sentence, trigger),)))
    return Graph(documents, tuple(entities), tuple(sorted(relations, key=lambda r: r.id)))


def _find(text: str, forms):
    """Mentions of any of ``forms`` in ``text``, longest form first, never overlapping."""
    import re

    taken: list[tuple[int, int]] = []
    for form in sorted(forms, key=len, reverse=True):
        for m in re.finditer(r"(?<!\w)" + re.escape(form) + r"(?!\w)", text):
            if not any(a < m.end() and m.start() < b for a, b in taken):
                taken.append(m.span())
                yield m
