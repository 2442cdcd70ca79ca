"""Which entities are named together: in the same article, and in the same sentence.

Computed from the entities' mentions (``doc``, ``start``, ``end``) when the page is written.

*Same article* is exact: two entities are named in one article when each has a mention in it.

*Same sentence* needs sentence boundaries, and ``graph.json`` records them only for the sentences
that state a relation: each relation's evidence carries its sentence's offsets, as spaCy split it.
So the sentence count of a pair is the number of those sentences (distinct ``doc``/``start``/``end``)
that contain a mention of each entity. It never counts a pair that is not in one sentence; it misses
sentences that state no relation. (Guessing the other boundaries from character distances would
count pairs across sentence ends, and the document text is not in ``graph.json``.)

The ``limit`` strongest pairs (most sentences, then most articles) go to the page: all of them for
a few hundred articles, and no million pairs for a corpus where every article names forty entities.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from kg.model import Entity, Relation

DEFAULT_LIMIT = 20_000
SENTENCE_EXAMPLES = 3


@dataclass(frozen=True)
class CoMention:
    """Entities ``a < b`` (list positions) named together in ``articles`` articles and ``sentences``
    recorded sentences; ``examples`` are up to three of those sentences as (relation position,
    evidence position, marks), marks being ``[start, end, "s"|"o"]`` spans of ``a`` ("s") and ``b``
    ("o") relative to the sentence."""

    a: int
    b: int
    articles: int
    sentences: int
    examples: tuple[tuple[int, int, tuple[tuple[int, int, str], ...]], ...] = ()


def comentions(entities: list[Entity], relations: list[Relation], *,
               limit: int = DEFAULT_LIMIT) -> list[CoMention]:
    """The co-mentioned pairs of ``entities``, strongest first; ``relations`` (in page order) supply
    the sentence boundaries (see the module's text).

    >>> from kg.model import Mention
    >>> from kg.vocab import EntityType
    >>> e = lambda i, *docs: Entity(i, EntityType.PERSON, i, mentions=tuple(Mention(d, 0, 1, "x") for d in docs))
    >>> [(c.a, c.b, c.articles) for c in comentions([e("a", "d1", "d2"), e("b", "d1", "d2"), e("c", "d1")], [])]
    [(0, 1, 2), (0, 2, 1), (1, 2, 1)]
    """
    keys_a, articles = _article_counts(entities)
    sentences = _sentence_pairs(entities, relations)
    keys_s = np.array(sorted(sentences), dtype=np.int64)
    keys = np.union1d(keys_a, keys_s)
    n_articles = np.zeros(len(keys), dtype=np.int64)
    n_articles[np.searchsorted(keys, keys_a)] = articles
    n_sentences = np.zeros(len(keys), dtype=np.int64)
    n_sentences[np.searchsorted(keys, keys_s)] = [len(sentences[k]) for k in keys_s.tolist()]
    order = np.lexsort((keys, -n_articles, -n_sentences))[:limit]  # most sentences, then articles, then id
    n = len(entities)
    out = []
    for k in order.tolist():
        a, b = divmod(int(keys[k]), n)
        found = sentences.get(int(keys[k]), [])
        out.append(CoMention(a, b, int(n_articles[k]), int(n_sentences[k]), tuple(found[:SENTENCE_EXAMPLES])))
    return out


def _article_counts(entities: list[Entity]) -> tuple[np.ndarray, np.ndarray]:
    """The pairs ``a·n + b`` (sorted) and the number of articles naming both (numpy: a corpus
    yields millions of pairs)."""
    n = len(entities)
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(entities):
        for doc in sorted({m.doc for m in e.mentions}):
            by_doc[doc].append(i)
    chunks = []
    for members in by_doc.values():
        if len(members) < 2:
            continue
        idx = np.asarray(members, dtype=np.int64)
        a, b = np.triu_indices(len(idx), k=1)
        chunks.append(idx[a] * n + idx[b])
    if not chunks:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.unique(np.concatenate(chunks), return_counts=True)


def _sentence_pairs(entities: list[Entity], relations: list[Relation]):
    """``a·n + b`` → the recorded sentences naming both, each once, in page order."""
    n = len(entities)
    mentions: dict[str, list[tuple[int, int, int]]] = defaultdict(list)  # doc -> (start, end, entity)
    for i, e in enumerate(entities):
        for m in e.mentions:
            mentions[m.doc].append((m.start, m.end, i))
    starts: dict[str, list[int]] = {}
    for doc, spans in mentions.items():
        spans.sort()
        starts[doc] = [s for s, _, _ in spans]
    seen: set[tuple[str, int, int]] = set()
    out: dict[int, list] = defaultdict(list)
    for r_pos, rel in enumerate(relations):
        for e_pos, ev in enumerate(sorted(rel.evidence, key=lambda e: (e.doc, e.start, e.end))):
            where = (ev.doc, ev.start, ev.end)
            if where in seen:
                continue
            seen.add(where)
            inside: dict[int, list[tuple[int, int]]] = defaultdict(list)
            spans = mentions.get(ev.doc, [])
            for k in range(bisect_left(starts.get(ev.doc, []), ev.start), len(spans)):
                start, end, i = spans[k]
                if start >= ev.end:
                    break
                if end <= ev.end:
                    inside[i].append((start - ev.start, end - ev.start))
            named = sorted(inside)
            for x, a in enumerate(named):
                for b in named[x + 1:]:
                    marks = tuple(sorted([(s, t, "s") for s, t in inside[a]] + [(s, t, "o") for s, t in inside[b]]))
                    out[a * n + b].append((r_pos, e_pos, marks))
    return out
