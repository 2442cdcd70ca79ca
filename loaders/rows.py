"""Parameter rows: pure functions from ``graph.json`` records (the ``to_dict`` forms, as a ``GraphSource``
yields them) to the rows the store statements and the neo4j-admin files take. One record at a time, so
a graph is loaded or exported without being held whole.

Each kind has its columns (``*_KEYS``) and a function giving a record's values in that order
(``*_values``): the embedded store's bulk loader takes them as columns; the ``*_row`` functions make the
dictionaries the Cypher statements take from the same values.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kg.model import evidence_id

Row = dict[str, Any]
Record = Mapping[str, Any]

ENTITY_ATTRIBUTES = ("honorific", "wikidata", "geonames_id", "iso_3166", "country", "latitude", "longitude")
"""Entity attributes stored as they are (``latitude``/``longitude`` become the ``location`` point)."""

DOCUMENT_KEYS = ("id", "title", "source", "url", "published")
ENTITY_KEYS = ("id", "type", "name", "aliases", "title", "titles", "acronym", *ENTITY_ATTRIBUTES)
MENTION_KEYS = ("doc", "entity", "count", "starts", "ends", "texts")
RELATION_KEYS = ("subject", "object", "id", "polarity", "modality", "confidence", "cameo", "title", "predicate",
                 "reported_by", "former", "time", "time_text", "docs", "evidence_count")
EVIDENCE_KEYS = ("id", "relation", "type", "subject", "object", "doc", "sentence", "start_offset", "end_offset",
                 "trigger")


def document_values(d: Record) -> tuple:
    return d["id"], d.get("title"), d.get("source"), d.get("url"), d.get("published")


def entity_values(e: Record) -> tuple:
    attrs = e.get("attributes") or {}
    titles = attrs.get("titles")
    return (e["id"], e["type"], e["name"], list(e.get("aliases", ())), attrs.get("title"),
            list(titles) if titles else None, attrs.get("acronym"), *(attrs.get(key) for key in ENTITY_ATTRIBUTES))


def mention_values(e: Record) -> Iterator[tuple]:
    """One row per document that mentions the entity: the offsets and texts of its mentions there."""
    by_doc: dict[str, list] = {}
    for m in e.get("mentions", ()):
        by_doc.setdefault(m["doc"], []).append(m)
    entity = e["id"]
    for doc in sorted(by_doc):
        ms = by_doc[doc]
        if len(ms) > 1:
            ms.sort(key=lambda m: (m["start"], m["end"]))
        yield doc, entity, len(ms), [m["start"] for m in ms], [m["end"] for m in ms], [m["text"] for m in ms]


def relation_values(r: Record) -> tuple:
    attrs = r.get("attributes") or {}
    evidence = r["evidence"]
    docs = sorted({ev["doc"] for ev in evidence}) if len(evidence) > 1 else [evidence[0]["doc"]]
    return (r["subject"], r["object"], r["id"], r["polarity"], r["modality"], r["confidence"], attrs.get("cameo"),
            attrs.get("title"), attrs.get("predicate"), r.get("reported_by"), attrs.get("former"), attrs.get("when"),
            attrs.get("when_text"), docs, len(evidence))


def evidence_values(r: Record) -> Iterator[tuple]:
    rid, type_, subject, obj = r["id"], r["type"], r["subject"], r["object"]
    for ev in r["evidence"]:
        doc, start, end = ev["doc"], ev["start"], ev["end"]
        yield (evidence_id(rid, doc, start, end), rid, type_, subject, obj, doc, ev["sentence"], start, end,
               ev["trigger"])


def document_row(d: Record) -> Row:
    return dict(zip(DOCUMENT_KEYS, document_values(d)))


def entity_row(e: Record) -> Row:
    return dict(zip(ENTITY_KEYS, entity_values(e)))


def mention_rows(e: Record) -> Iterator[Row]:
    return (dict(zip(MENTION_KEYS, values)) for values in mention_values(e))


def relation_row(r: Record) -> Row:
    return dict(zip(RELATION_KEYS, relation_values(r)))


def evidence_rows(r: Record) -> Iterator[Row]:
    return (dict(zip(EVIDENCE_KEYS, values)) for values in evidence_values(r))
