"""Parameter rows: pure functions from ``graph.json`` records (the ``to_dict`` forms, as a ``GraphSource``
yields them) to the rows the store statements and the neo4j-admin files take. One record at a time, so
a graph is loaded or exported without being held whole."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kg.model import evidence_id

Row = dict[str, Any]
Record = Mapping[str, Any]

ENTITY_ATTRIBUTES = ("honorific", "wikidata", "geonames_id", "iso_3166", "country", "latitude", "longitude")
"""Entity attributes stored as they are (``latitude``/``longitude`` become the ``location`` point)."""


def document_row(d: Record) -> Row:
    return {"id": d["id"], "title": d.get("title"), "source": d.get("source"), "url": d.get("url"),
            "published": d.get("published")}


def entity_row(e: Record) -> Row:
    attrs = e.get("attributes") or {}
    titles = attrs.get("titles")
    return {
        "id": e["id"], "type": e["type"], "name": e["name"], "aliases": list(e.get("aliases", ())),
        "title": attrs.get("title"), "titles": list(titles) if titles else None, "acronym": attrs.get("acronym"),
        **{key: attrs.get(key) for key in ENTITY_ATTRIBUTES},
    }


def mention_rows(e: Record) -> Iterator[Row]:
    """One row per document that mentions the entity: the offsets and texts of its mentions there."""
    by_doc: dict[str, list] = {}
    for m in e.get("mentions", ()):
        by_doc.setdefault(m["doc"], []).append(m)
    for doc in sorted(by_doc):
        ms = sorted(by_doc[doc], key=lambda m: (m["start"], m["end"]))
        yield {"doc": doc, "entity": e["id"], "count": len(ms), "starts": [m["start"] for m in ms],
               "ends": [m["end"] for m in ms], "texts": [m["text"] for m in ms]}


def relation_row(r: Record) -> Row:
    attrs = r.get("attributes") or {}
    evidence = r["evidence"]
    return {
        "docs": sorted({ev["doc"] for ev in evidence}), "evidence_count": len(evidence),
        "id": r["id"], "subject": r["subject"], "object": r["object"],
        "polarity": r["polarity"], "modality": r["modality"],
        "confidence": r["confidence"], "cameo": attrs.get("cameo"), "title": attrs.get("title"),
        "predicate": attrs.get("predicate"), "reported_by": r.get("reported_by"), "former": attrs.get("former"),
        "time": attrs.get("when"), "time_text": attrs.get("when_text"),
    }


def evidence_rows(r: Record) -> Iterator[Row]:
    for ev in r["evidence"]:
        yield {
            "id": evidence_id(r["id"], ev["doc"], ev["start"], ev["end"]), "relation": r["id"], "type": r["type"],
            "subject": r["subject"], "object": r["object"], "doc": ev["doc"], "sentence": ev["sentence"],
            "start_offset": ev["start"], "end_offset": ev["end"], "trigger": ev["trigger"],
        }
