"""Scoring against hand annotation: splits, spread and merges of entities."""

from __future__ import annotations

from kg.evaluate import evaluate_gold
from kg.model import Entity, Graph, Mention
from kg.vocab import EntityType

P = EntityType.PERSON


def person(entity_id, name, *mentions):
    return Entity(id=entity_id, type=P, name=name, aliases=(name,),
                  mentions=tuple(Mention(doc=d, start=s, end=s + len(t), text=t) for d, s, t in mentions))


GOLD = {
    "entities": {
        "ann_rook": {"type": "Person", "name": "Ann Rook", "aliases": ["Ann Rook", "Ms Rook"]},
        "tom_rook": {"type": "Person", "name": "Tom Rook", "aliases": ["Tom Rook", "Mr Rook"]},
    },
    "documents": {
        "a": {"required": ["ann_rook"]},
        "b": {"required": ["ann_rook", "tom_rook"]},
        "c": {"required": ["tom_rook"]},
    },
}


def test_evaluate_counts_a_split_inside_an_article_and_spread_across_articles():
    graph = Graph(entities=(
        person("person:ann-rook", "Ann Rook", ("a", 0, "Ann Rook"), ("b", 0, "Ann Rook")),
        person("person:ms-rook", "Ms Rook", ("b", 20, "Ms Rook")),
        person("person:tom-rook", "Tom Rook", ("b", 40, "Tom Rook")),
        person("person:tom-rook-2", "Tom Rook", ("c", 0, "Tom Rook")),
    ))
    report = evaluate_gold(graph, GOLD)
    assert report.splits == ["b: ann_rook is 2 nodes: person:ann-rook, person:ms-rook"]
    assert report.spread == ["tom_rook is 2 nodes across articles: person:tom-rook, person:tom-rook-2"]
    assert report.merges == []


def test_evaluate_counts_one_node_for_two_people_as_a_merge():
    graph = Graph(entities=(
        person("person:rook", "Rook", ("a", 0, "Ann Rook"), ("c", 0, "Tom Rook")),
        person("person:ann-rook", "Ann Rook", ("b", 0, "Ann Rook")),
        person("person:tom-rook", "Tom Rook", ("b", 20, "Tom Rook")),
    ))
    report = evaluate_gold(graph, GOLD)
    assert report.merges == ["person:rook stands for ann_rook, tom_rook"]
    assert report.splits == []


def test_evaluate_relation_precision_by_confidence_band():
    from kg.model import Evidence, Relation
    from kg.vocab import RelationType

    def rel(rid, subject, obj, confidence):
        return Relation(id=rid, subject=subject, type=RelationType.MET_WITH, object=obj, confidence=confidence,
                        evidence=(Evidence(doc="b", start=0, end=5, sentence="x", trigger="met"),))

    graph = Graph(
        entities=(person("person:ann-rook", "Ann Rook", ("b", 0, "Ann Rook")),
                  person("person:tom-rook", "Tom Rook", ("b", 20, "Tom Rook")),
                  person("person:eve-hale", "Eve Hale", ("b", 40, "Eve Hale"))),
        relations=(rel("rel:1", "person:ann-rook", "person:tom-rook", 0.92),
                   rel("rel:2", "person:ann-rook", "person:eve-hale", 0.85),
                   rel("rel:3", "person:eve-hale", "person:tom-rook", 0.55)),
    )
    gold = {**GOLD, "entities": {**GOLD["entities"], "eve_hale": {"type": "Person", "name": "Eve Hale"}},
            "documents": {"b": {"required": ["ann_rook", "tom_rook", "eve_hale"], "relations": [
                {"subject": "ann_rook", "type": "MET_WITH", "object": "tom_rook", "polarity": "positive"}]}}}
    bands = evaluate_gold(graph, gold).bands
    assert (bands["0.9-1.0"].tp, bands["0.9-1.0"].fp) == (1, 0)
    assert (bands["0.8-0.9"].tp, bands["0.8-0.9"].fp) == (0, 1)
    assert (bands["≥0.8"].tp, bands["≥0.8"].fp) == (1, 1)
    assert (bands["0.5-0.6"].tp, bands["0.5-0.6"].fp) == (0, 1)


def test_evaluate_polarity_flips_are_reported_both_ways():
    from kg.model import Evidence, Relation
    from kg.vocab import Polarity, RelationType

    ev = (Evidence(doc="b", start=0, end=5, sentence="x", trigger="met"),)
    graph = Graph(
        entities=(person("person:ann-rook", "Ann Rook", ("b", 0, "Ann Rook")),
                  person("person:tom-rook", "Tom Rook", ("b", 20, "Tom Rook"))),
        relations=(Relation(id="rel:1", subject="person:ann-rook", type=RelationType.MET_WITH,
                            object="person:tom-rook", polarity=Polarity.NEGATIVE, evidence=ev),),
    )
    stated = {"subject": "ann_rook", "type": "MET_WITH", "object": "tom_rook", "polarity": "positive"}
    gold = {**GOLD, "documents": {"b": {"required": ["ann_rook", "tom_rook"], "relations": [stated]}}}
    report = evaluate_gold(graph, gold)
    assert len(report.positive_as_negative) == 1 and not report.negative_as_positive
    denied = {**stated, "polarity": "negative"}
    graph = Graph(entities=graph.entities, relations=(
        Relation(id="rel:2", subject="person:ann-rook", type=RelationType.MET_WITH, object="person:tom-rook",
                 evidence=ev),))
    report = evaluate_gold(graph, {**gold, "documents": {"b": {"required": ["ann_rook", "tom_rook"],
                                                                "relations": [denied]}}})
    assert len(report.negative_as_positive) == 1 and not report.positive_as_negative
