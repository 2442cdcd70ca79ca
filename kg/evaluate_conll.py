"""Scoring on public NER and relation data (``kg eval --conll``, ``kg eval --conll04``).

``evaluate_conll(path, ...)`` scores entity mentions on CoNLL-2003 data
(PER -> Person, ORG -> Organization, LOC -> Place; MISC has no node type),
for the full pipeline and for the raw spaCy model on the same text.
``evaluate_conll04(path, ...)`` scores HOLDS_POSITION and LOCATED_IN against
CoNLL04's Work_For and Located_In.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Iterator

from kg.evaluate import PRF, _total
from kg.model import Document
from kg.vocab import EntityType, RelationType

# --- CoNLL-2003 -------------------------------------------------------------------------------

CONLL_TYPES = {"PER": EntityType.PERSON, "ORG": EntityType.ORGANIZATION, "LOC": EntityType.PLACE}
RAW_LABELS = {"PERSON": EntityType.PERSON, "ORG": EntityType.ORGANIZATION, "GPE": EntityType.PLACE,
              "LOC": EntityType.PLACE, "FAC": EntityType.PLACE}


@dataclass(frozen=True)
class ConllDoc:
    document: Document
    spans: frozenset[tuple[int, int, EntityType]]


def read_conll(path: str) -> Iterator[ConllDoc]:
    """CoNLL-2003 documents as text (a sentence a line, tokens joined by spaces) and gold spans."""
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    docs: list[list[list[tuple[str, str]]]] = []
    sentence: list[tuple[str, str]] = []
    for line in lines + [""]:
        if line.startswith("-DOCSTART-"):
            docs.append([])
            continue
        if not line.strip():
            if sentence:
                if not docs:
                    docs.append([])
                docs[-1].append(sentence)
            sentence = []
            continue
        parts = line.split()
        sentence.append((parts[0], parts[-1]))
    for n, sentences in enumerate(docs):
        text_parts: list[str] = []
        spans: set[tuple[int, int, EntityType]] = set()
        pos = 0
        for sent in sentences:
            current: tuple[int, int, str] | None = None
            for i, (word, tag) in enumerate(sent):
                start = pos
                pos += len(word)
                text_parts.append(word)
                kind = tag[2:] if tag != "O" else None
                begins = tag.startswith("B-") or (kind and (current is None or current[2] != kind))
                if current and (kind is None or begins):
                    if current[2] in CONLL_TYPES:
                        spans.add((current[0], current[1], CONLL_TYPES[current[2]]))
                    current = None
                if kind:
                    current = (current[0], pos, kind) if current else (start, pos, kind)
                if i < len(sent) - 1:
                    text_parts.append(" ")
                    pos += 1
            if current and current[2] in CONLL_TYPES:
                spans.add((current[0], current[1], CONLL_TYPES[current[2]]))
            text_parts.append("\n")
            pos += 1
        doc = Document(id=f"conll-{n:04d}", text="".join(text_parts), source=f"{path}#{n}")
        yield ConllDoc(document=doc, spans=frozenset(spans))


def score_spans(pairs: Iterable[tuple[frozenset, set]]) -> dict[str, PRF]:
    table: dict[str, PRF] = defaultdict(PRF)
    for gold, pred in pairs:
        for t in EntityType:
            table[t.value].add({s for s in gold if s[2] is t}, {s for s in pred if s[2] is t})
    table["ALL"] = _total(table)
    return table


def evaluate_conll(path: str, model: str, limit: int | None = None) -> dict[str, dict[str, PRF]]:
    """Mention-level P/R/F1 of the raw model and of the pipeline on CoNLL-2003 data."""
    from kg import nlp as nlp_mod
    from kg.pipeline import Analyzer

    docs = list(read_conll(path))[:limit]
    nlp = nlp_mod.load(model)
    raw_pairs = []
    for cd, sdoc in zip(docs, nlp.pipe(d.document.text for d in docs)):
        pred = {(e.start_char, e.end_char, RAW_LABELS[e.label_]) for e in sdoc.ents if e.label_ in RAW_LABELS}
        raw_pairs.append((cd.spans, pred))
    analyzer = Analyzer(model)
    results = analyzer.analyze([d.document for d in docs])
    pipe_pairs = []
    for cd, res in zip(docs, results):
        pred: set[tuple[int, int, EntityType]] = set()
        if not isinstance(res, Exception):
            pred = {(m.start, m.end, e.type) for e in res.entities for m in e.mentions}
        pipe_pairs.append((cd.spans, pred))
    return {"raw_model": score_spans(raw_pairs), "pipeline": score_spans(pipe_pairs)}


# --- CoNLL04 relations ------------------------------------------------------------------------

CONLL04_TYPES = {"Work_For": RelationType.HOLDS_POSITION, "Located_In": RelationType.LOCATED_IN,
                 "OrgBased_In": RelationType.BASED_IN}
SCORED_AS = {RelationType.HOLDS_POSITION: RelationType.HOLDS_POSITION, RelationType.MEMBER_OF: RelationType.HOLDS_POSITION,
             RelationType.LOCATED_IN: RelationType.LOCATED_IN, RelationType.BASED_IN: RelationType.BASED_IN}
"""How a relation of the graph is scored: Work_For counts a post or a membership (person -> organisation)."""


def read_conll04(path: str) -> Iterator[tuple[Document, list[tuple[int, int]], set[tuple[RelationType, int, int]]]]:
    """CoNLL04 sentences: the document, its entity spans (char offsets) and gold relations by span index."""
    with open(path, encoding="utf-8") as fh:
        records = json.load(fh)
    for n, rec in enumerate(records):
        tokens, tags = rec["tokens"], rec["tags"]
        offsets, pos = [], 0
        for tok in tokens:
            offsets.append((pos, pos + len(tok)))
            pos += len(tok) + 1
        spans: list[tuple[int, int]] = []
        start = None
        for i, tag in enumerate(tags):
            if tag.startswith(("B-", "U-")):
                start = i
            if tag.startswith(("L-", "U-")) and start is not None:
                spans.append((offsets[start][0], offsets[i][1]))
                start = None
        gold = {(CONLL04_TYPES[r["type"]], r["head"], r["tail"]) for r in rec["relations"] if r["type"] in CONLL04_TYPES}
        doc = Document(id=f"conll04-{n:04d}", text=" ".join(tokens), source=f"{path}#{n}")
        yield doc, spans, gold


def evaluate_conll04(path: str, model: str) -> dict[str, PRF]:
    """HOLDS_POSITION and MEMBER_OF against Work_For, LOCATED_IN against Located_In and BASED_IN
    against OrgBased_In, matched by argument spans.

    Work_For links a person to an organisation, so only posts and memberships of a person in an
    Organization are scored (a post in a state has no CoNLL04 counterpart).
    """
    from kg.pipeline import Analyzer

    data = list(read_conll04(path))
    analyzer = Analyzer(model)
    results = analyzer.analyze([d for d, _, _ in data])
    table: dict[str, PRF] = defaultdict(PRF)
    for (doc, spans, gold), res in zip(data, results):
        if isinstance(res, Exception):
            continue
        mentions = {e.index: [(m.start, m.end) for m in e.mentions] for e in res.entities}

        def span_ids(entity: int) -> set[int]:
            return {k for k, (s, e) in enumerate(spans) for ms, me in mentions[entity] if ms < e and s < me}

        predicted = set()
        types = {e.index: e.type for e in res.entities}
        for r in res.relations:
            scored = SCORED_AS.get(r.type)
            if scored is None:
                continue
            if scored is RelationType.HOLDS_POSITION and (
                types[r.object] is not EntityType.ORGANIZATION or types[r.subject] is not EntityType.PERSON
            ):
                continue  # Work_For is person -> organisation only; a post in a state has no counterpart there
            for h in span_ids(r.subject) or {-1 - r.subject}:
                for t in span_ids(r.object) or {-1 - r.object}:
                    if h != t:  # "Memphis, Tenn." is one Loc span in CoNLL04: a relation inside it has no counterpart
                        predicted.add((scored, h, t))
        for rtype in CONLL04_TYPES.values():
            table[rtype.value].add({x for x in gold if x[0] is rtype}, {x for x in predicted if x[0] is rtype})
    table["ALL"] = _total(table)
    return dict(table)
