"""The per-document models as plain data and back: what a spaCy Doc keeps in ``doc._.kg_data``.

``EntityMention``, ``LocalEntity`` and ``LocalRelation`` become dicts of strings, numbers, booleans,
``None`` and lists (an entity names its mentions by their position in the document's mention list),
which msgpack and JSON carry, so a Doc with kg's results stays serialisable. ``x == model(data(x))``.
"""

from __future__ import annotations

from typing import Any, Sequence

from kg.model import EntityMention, Evidence, LocalEntity, LocalRelation
from kg.vocab import EntityType, Modality, Polarity, RelationType


def mention_data(m: EntityMention) -> dict[str, Any]:
    return {"start": m.start, "end": m.end, "text": m.text, "name": m.name, "type": m.type.value,
            "label": m.label, "tokens": list(m.tokens), "sentence": m.sentence, "title": m.title,
            "headline": m.headline, "honorific": m.honorific, "canonical": m.canonical,
            "cue": None if m.cue is None else m.cue.value, "team": m.team}


def mention(d: dict[str, Any]) -> EntityMention:
    return EntityMention(**{**d, "type": EntityType(d["type"]), "tokens": tuple(d["tokens"]),
                            "cue": None if d["cue"] is None else EntityType(d["cue"])})


def entity_data(e: LocalEntity, index: dict[EntityMention, int]) -> dict[str, Any]:
    return {"index": e.index, "type": e.type.value, "name": e.name, "aliases": list(e.aliases),
            "mentions": [index[m] for m in e.mentions], "titles": list(e.titles), "acronym": e.acronym,
            "scoped": e.scoped, "honorific": e.honorific, "ids": [list(pair) for pair in e.ids]}


def entity(d: dict[str, Any], mentions: Sequence[EntityMention]) -> LocalEntity:
    return LocalEntity(index=d["index"], type=EntityType(d["type"]), name=d["name"], aliases=tuple(d["aliases"]),
                       mentions=tuple(mentions[i] for i in d["mentions"]), titles=tuple(d["titles"]),
                       acronym=d["acronym"], scoped=d["scoped"], honorific=d["honorific"],
                       ids=tuple(tuple(pair) for pair in d["ids"]))


def relation_data(r: LocalRelation) -> dict[str, Any]:
    ev = r.evidence
    return {"subject": r.subject, "type": r.type.value, "object": r.object, "polarity": r.polarity.value,
            "modality": r.modality.value, "confidence": r.confidence, "attributes": dict(r.attributes),
            "reported_by": r.reported_by,
            "evidence": {"doc": ev.doc, "start": ev.start, "end": ev.end, "sentence": ev.sentence, "trigger": ev.trigger}}


def relation(d: dict[str, Any]) -> LocalRelation:
    return LocalRelation(subject=d["subject"], type=RelationType(d["type"]), object=d["object"],
                         polarity=Polarity(d["polarity"]), modality=Modality(d["modality"]),
                         confidence=d["confidence"], evidence=Evidence(**d["evidence"]),
                         attributes=dict(d["attributes"]), reported_by=d["reported_by"])
