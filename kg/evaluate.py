"""Scoring a build against hand annotation (``kg eval --gold``).

``evaluate_gold(graph, gold)`` reads gold in the form of ``shared/gold/seeds.json``
(ONTOLOGY.md): entity precision/recall/F1 by type, forbidden strings that became
entities, identity checks, and relation precision and core recall by type, with
the misses and false hits listed. The CoNLL scorers are in ``kg.evaluate_conll``.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from kg.errors import GraphFormatError
from kg.model import Entity, Graph, Relation
from kg.resolve import norm
from kg.vocab import RelationType


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set, predicted: set) -> None:
        """Count one comparison of gold items with predicted items."""
        self.tp += len(gold & predicted)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class GoldReport:
    entities: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    entity_misses: list[str] = field(default_factory=list)
    entity_false: list[str] = field(default_factory=list)
    forbidden_found: list[str] = field(default_factory=list)
    identity: list[tuple[str, bool]] = field(default_factory=list)
    splits: list[str] = field(default_factory=list)
    """one gold entity that is two or more nodes inside one article"""
    spread: list[str] = field(default_factory=list)
    """one gold entity that is different nodes in different articles"""
    merges: list[str] = field(default_factory=list)
    """one node that stands for two or more gold entities"""
    relation_precision: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    """tp = predicted relations that match a gold relation (core or not), fp = the others"""
    relation_recall: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    """tp = core gold relations found, fn = core gold relations missed"""
    relation_misses: list[str] = field(default_factory=list)
    relation_false: list[str] = field(default_factory=list)
    negative_as_positive: list[str] = field(default_factory=list)
    positive_as_negative: list[str] = field(default_factory=list)
    modality_wrong: list[str] = field(default_factory=list)
    bands: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    """relation precision by confidence band ("0.8-0.9"), and "≥0.8" for everything from 0.8 up"""

    def to_dict(self) -> dict[str, Any]:
        return {
            "entities": {k: v.to_dict() for k, v in sorted(self.entities.items())},
            "entity_misses": self.entity_misses,
            "entity_false_hits": self.entity_false,
            "forbidden_found": self.forbidden_found,
            "identity": [{"check": c, "ok": ok} for c, ok in self.identity],
            "splits": self.splits,
            "spread": self.spread,
            "merges": self.merges,
            "relations": {
                k: {
                    "precision": round(self.relation_precision[k].precision, 4),
                    "predicted": self.relation_precision[k].tp + self.relation_precision[k].fp,
                    "core_recall": round(self.relation_recall[k].recall, 4),
                    "core": self.relation_recall[k].tp + self.relation_recall[k].fn,
                }
                for k in sorted(set(self.relation_precision) | set(self.relation_recall))
            },
            "relation_misses": self.relation_misses,
            "relation_false_hits": self.relation_false,
            "negative_reported_as_positive": self.negative_as_positive,
            "positive_reported_as_negative": self.positive_as_negative,
            "modality_wrong": self.modality_wrong,
            "confidence_bands": {k: {"precision": round(v.precision, 4), "predicted": v.tp + v.fp}
                                 for k, v in sorted(self.bands.items())},
        }


def _total(table: Mapping[str, PRF]) -> PRF:
    out = PRF()
    for k, v in table.items():
        if k != "ALL":
            out.tp, out.fp, out.fn = out.tp + v.tp, out.fp + v.fp, out.fn + v.fn
    return out


def load_gold(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as fh:
            gold = json.load(fh)
    except OSError as exc:
        raise GraphFormatError(f"{path}: cannot read: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise GraphFormatError(f"{path}: not JSON: {exc}") from exc
    if not isinstance(gold, dict) or "entities" not in gold or "documents" not in gold:
        raise GraphFormatError(f"{path}: gold needs 'entities' and 'documents'")
    return gold


class _Matcher:
    """Which predicted entities of a document stand for which gold keys."""

    def __init__(self, graph: Graph, gold: Mapping[str, Any]) -> None:
        self.gold_entities = gold["entities"]
        self.names = {
            k: {norm(n) for n in [v["name"], *v.get("aliases", [])]} for k, v in self.gold_entities.items()
        }
        self.by_doc: dict[str, list[Entity]] = defaultdict(list)
        for e in graph.entities:
            for doc in sorted({m.doc for m in e.mentions}):
                self.by_doc[doc].append(e)

    def forms(self, e: Entity, doc: str) -> set[str]:
        return {norm(e.name)} | {norm(m.text) for m in e.mentions if m.doc == doc}

    def matches(self, e: Entity, doc: str, key: str, typed: bool = True) -> bool:
        g = self.gold_entities[key]
        if typed and g["type"] != e.type.value:
            return False
        return bool(self.forms(e, doc) & self.names[key])

    def assigned(self, e: Entity, doc: str, candidates: Sequence[str]) -> set[str]:
        """The gold entities a node stands for in ``doc``: each mention (and the name) that names
        exactly one of the document's gold entities counts; a form that names several counts for none."""
        keys: set[str] = set()
        for form in self.forms(e, doc):
            named = [k for k in candidates if form in self.names[k]]
            if len(named) == 1:
                keys.add(named[0])
        return keys

    def entities_for(self, doc: str, keys: str | Sequence[str], candidates: Sequence[str]) -> set[str]:
        wanted = [keys] if isinstance(keys, str) else list(keys)
        scope = [k for k in wanted if k in candidates] or wanted
        return {e.id for e in self.by_doc.get(doc, []) for k in scope if self.matches(e, doc, k)}


def evaluate_gold(graph: Graph, gold: Mapping[str, Any]) -> GoldReport:
    report = GoldReport()
    matcher = _Matcher(graph, gold)
    for doc_id, spec in sorted(gold["documents"].items()):
        required, optional = list(spec.get("required", [])), list(spec.get("optional", []))
        predicted = matcher.by_doc.get(doc_id, [])
        for key in required:
            gtype = gold["entities"][key]["type"]
            if any(matcher.matches(e, doc_id, key) for e in predicted):
                report.entities[gtype].tp += 1
            else:
                report.entities[gtype].fn += 1
                report.entity_misses.append(f"{doc_id}: {key} ({gtype})")
        for e in predicted:
            if not any(matcher.matches(e, doc_id, k) for k in required + optional):
                report.entities[e.type.value].fp += 1
                report.entity_false.append(f"{doc_id}: {e.name} ({e.type.value}, {e.id})")
        for bad in spec.get("forbidden", []):
            pattern = re.compile(rf"(?<!\w){re.escape(norm(bad))}(?!\w)")
            hits = sorted({m.text for e in predicted for m in e.mentions if m.doc == doc_id and pattern.search(norm(m.text))})
            report.forbidden_found.extend(f"{doc_id}: {bad!r} in mention {h!r}" for h in hits)
        _score_relations(report, graph, matcher, doc_id, spec, required + optional)
    _splits_and_merges(report, matcher, gold)
    report.entities["ALL"] = _total(report.entities)
    report.relation_precision["ALL"] = _total(report.relation_precision)
    report.relation_recall["ALL"] = _total(report.relation_recall)
    _identity(report, matcher, gold)
    return report


def _splits_and_merges(report: GoldReport, matcher: _Matcher, gold: Mapping[str, Any]) -> None:
    """Splits (one gold entity, several nodes in one article), spread (several nodes across
    articles) and merges (one node, several gold entities), from the unambiguous forms of each node."""
    per_doc: dict[str, list[set[str]]] = defaultdict(list)
    keys_of: dict[str, set[str]] = defaultdict(set)
    for doc_id, spec in sorted(gold["documents"].items()):
        candidates = list(spec.get("required", [])) + list(spec.get("optional", []))
        in_doc: dict[str, set[str]] = defaultdict(set)
        for e in matcher.by_doc.get(doc_id, []):
            for key in matcher.assigned(e, doc_id, candidates):
                in_doc[key].add(e.id)
                keys_of[e.id].add(key)
        for key, ids in sorted(in_doc.items()):
            if len(ids) > 1:
                report.splits.append(f"{doc_id}: {key} is {len(ids)} nodes: {', '.join(sorted(ids))}")
            per_doc[key].append(ids)
    for key, groups in sorted(per_doc.items()):
        # articles whose nodes for this entity share none: the entity is apart across them
        components: list[set[str]] = []
        for ids in groups:
            joined = [c for c in components if c & ids]
            components = [c for c in components if not c & ids] + [set(ids).union(*joined)]
        if len(components) > 1:
            nodes = sorted(set().union(*components))
            report.spread.append(f"{key} is {len(nodes)} nodes across articles: {', '.join(nodes)}")
    for node, keys in sorted(keys_of.items()):
        if len(keys) > 1:
            report.merges.append(f"{node} stands for {', '.join(sorted(keys))}")


def _identity(report: GoldReport, matcher: _Matcher, gold: Mapping[str, Any]) -> None:
    docs = gold["documents"]

    def ids(key: str, doc: str) -> set[str]:
        return {e.id for e in matcher.by_doc.get(doc, []) if matcher.matches(e, doc, key)}

    for key, d1, d2 in gold.get("identity", {}).get("same", []):
        a, b = ids(key, d1), ids(key, d2)
        report.identity.append((f"same {key}: {d1} = {d2}", bool(a) and a == b))
    for k1, k2 in gold.get("identity", {}).get("different", []):
        a = set().union(*[ids(k1, d) for d, s in docs.items() if k1 in s.get("required", []) + s.get("optional", [])])
        b = set().union(*[ids(k2, d) for d, s in docs.items() if k2 in s.get("required", []) + s.get("optional", [])])
        report.identity.append((f"different {k1} / {k2}", bool(a) and bool(b) and not (a & b)))


def _score_relations(
    report: GoldReport, graph: Graph, matcher: _Matcher, doc_id: str, spec: Mapping[str, Any], candidates: list[str]
) -> None:
    gold_rels = spec.get("relations", [])
    predicted = [r for r in graph.relations if any(ev.doc == doc_id for ev in r.evidence)]
    matched_pred: set[str] = set()
    for g in gold_rels:
        hits = [r for r in predicted if _rel_matches(r, g, matcher, doc_id, candidates, polarity=True)]
        if g.get("core", True):
            if hits:
                report.relation_recall[g["type"]].tp += 1
            else:
                report.relation_recall[g["type"]].fn += 1
                report.relation_misses.append(f"{doc_id}: {_describe_gold(g)}")
        matched_pred.update(r.id for r in hits)
        want = g.get("modality", "asserted")
        if hits and all(r.modality.value != want for r in hits):
            got = ", ".join(sorted({r.modality.value for r in hits}))
            report.modality_wrong.append(f"{doc_id}: {_describe_gold(g)}: want {want}, got {got}")
        flipped = [r for r in predicted if _rel_matches(r, g, matcher, doc_id, candidates, polarity=False)
                   and r.polarity.value != g.get("polarity", "positive")]
        for r in flipped:
            if r.polarity.value == "positive":
                report.negative_as_positive.append(f"{doc_id}: {_describe_gold(g)} as {r.id}")
            elif not hits:  # the text states it, the build denies it
                report.positive_as_negative.append(f"{doc_id}: {_describe_gold(g)} as {r.id}")
    for r in predicted:
        band = BANDS[min(int(r.confidence * 10), 9)]
        ok = r.id in matched_pred
        for key in (band, "≥0.8") if r.confidence >= 0.8 else (band,):
            if ok:
                report.bands[key].tp += 1
            else:
                report.bands[key].fp += 1
        if ok:
            report.relation_precision[r.type.value].tp += 1
            continue
        report.relation_precision[r.type.value].fp += 1
        ev = next(e for e in r.evidence if e.doc == doc_id)
        report.relation_false.append(
            f"{doc_id}: {r.subject} {r.type.value} {r.object} [{r.polarity.value}, {r.modality.value}] "
            f"trigger {ev.trigger!r}: {ev.sentence[:100]!r}"
        )


BANDS = tuple(f"{n / 10:.1f}-{(n + 1) / 10:.1f}" for n in range(10))


def _rel_matches(
    r: Relation, g: Mapping[str, Any], matcher: _Matcher, doc_id: str, candidates: list[str], *, polarity: bool
) -> bool:
    if r.type.value != g["type"]:
        return False
    if polarity and r.polarity.value != g.get("polarity", "positive"):
        return False
    subj = matcher.entities_for(doc_id, g["subject"], candidates)
    obj = matcher.entities_for(doc_id, g["object"], candidates)
    if r.subject in subj and r.object in obj:
        return True
    return RelationType(g["type"]).symmetric and r.subject in obj and r.object in subj


def _describe_gold(g: Mapping[str, Any]) -> str:
    subj = g["subject"] if isinstance(g["subject"], str) else "|".join(g["subject"])
    obj = g["object"] if isinstance(g["object"], str) else "|".join(g["object"])
    return f"{subj} {g['type']} {obj} [{g.get('polarity', 'positive')}] ({g.get('evidence', '')[:70]!r})"


def format_table(table: Mapping[str, PRF], title: str) -> str:
    rows = [f"{title}", f"  {'type':<14}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}"]
    for k in sorted(table, key=lambda k: (k == "ALL", k)):
        v = table[k]
        rows.append(f"  {k:<14}{v.precision:>7.3f}{v.recall:>7.3f}{v.f1:>7.3f}{v.tp:>6}{v.fp:>6}{v.fn:>6}")
    return "\n".join(rows)


def format_gold_report(report: GoldReport) -> str:
    out = [format_table(report.entities, "Entities (required = recall, required+optional = precision)")]
    out.append(_listing("entity misses", report.entity_misses))
    out.append(_listing("entity false hits", report.entity_false))
    out.append(_listing("forbidden strings found as entities", report.forbidden_found))
    ok = sum(1 for _, good in report.identity if good)
    out.append(f"Identity checks: {ok}/{len(report.identity)} right")
    out.extend(f"  {'ok  ' if good else 'FAIL'} {c}" for c, good in report.identity)
    out.append(_listing("split inside an article (one entity, several nodes)", report.splits))
    out.append(_listing("spread across articles (one entity, several nodes)", report.spread))
    out.append(_listing("wrong merges (one node, several entities)", report.merges))
    out.append(_relation_table(report))
    out.append(_listing("relation misses (core)", report.relation_misses))
    out.append(_listing("relation false hits", report.relation_false))
    out.append(_listing("negative relations reported as positive", report.negative_as_positive))
    out.append(_listing("positive relations reported as negative", report.positive_as_negative))
    out.append(_listing("modality differs from gold", report.modality_wrong))
    out.append("Relation precision by confidence")
    out.extend(f"  {k:<9}{v.precision:>7.3f}{v.tp + v.fp:>6}" for k, v in sorted(report.bands.items()))
    return "\n".join(out)


def _relation_table(report: GoldReport) -> str:
    rows = [
        "Relations (precision over every predicted relation, recall over core gold relations)",
        f"  {'type':<20}{'P':>7}{'pred':>6}{'coreR':>7}{'core':>6}",
    ]
    keys = sorted(set(report.relation_precision) | set(report.relation_recall), key=lambda k: (k == "ALL", k))
    for k in keys:
        p, r = report.relation_precision[k], report.relation_recall[k]
        rows.append(f"  {k:<20}{p.precision:>7.3f}{p.tp + p.fp:>6}{r.recall:>7.3f}{r.tp + r.fn:>6}")
    return "\n".join(rows)


def _listing(title: str, items: Sequence[str]) -> str:
    if not items:
        return f"{title}: none"
    return "\n".join([f"{title}: {len(items)}", *(f"  - {i}" for i in items)])
