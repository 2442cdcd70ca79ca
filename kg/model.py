"""The one data model every stage consumes and produces.

All records are frozen dataclasses holding tuples, so a stage cannot change
what an earlier stage made. ``Graph.to_dict`` gives the ``graph.json`` form of
ONTOLOGY.md, with a fixed order, so the same graph always serialises to the
same bytes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from kg.errors import GraphFormatError
from kg.vocab import EntityType, Modality, Polarity, RelationType

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Document:
    """One input text. ``text`` is the text exactly as read (after decoding)."""

    id: str
    text: str
    source: str
    title: str | None = None
    url: str | None = None
    published: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "title": self.title, "source": self.source}
        if self.url is not None:
            out["url"] = self.url
        out["published"] = self.published
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Document:
        """A document record of ``graph.json`` (without its text)."""
        return cls(id=d["id"], text="", source=d.get("source", ""), title=d.get("title"), url=d.get("url"),
                   published=d.get("published"))


@dataclass(frozen=True, order=True)
class Mention:
    """A surface form of an entity: ``text == document.text[start:end]``."""

    doc: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"doc": self.doc, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Entity:
    id: str
    type: EntityType
    name: str
    aliases: tuple[str, ...] = ()
    attributes: Mapping[str, Any] = field(default_factory=dict)
    mentions: tuple[Mention, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type.value,
            "name": self.name,
            "aliases": list(self.aliases),
            "attributes": dict(sorted(self.attributes.items())),
            "mentions": [m.to_dict() for m in self.mentions],
        }

    @classmethod
    def from_dict(cls, e: Mapping[str, Any]) -> Entity:
        return cls(id=e["id"], type=EntityType(e["type"]), name=e["name"], aliases=tuple(e.get("aliases", ())),
                   attributes=dict(e.get("attributes", {})), mentions=tuple(Mention(**m) for m in e.get("mentions", ())))


@dataclass(frozen=True, order=True)
class Evidence:
    """One place that states a relation: the sentence and its offsets in the document text."""

    doc: str
    start: int
    end: int
    sentence: str
    trigger: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "trigger": self.trigger,
        }


@dataclass(frozen=True)
class Relation:
    id: str
    subject: str
    type: RelationType
    object: str
    polarity: Polarity = Polarity.POSITIVE
    modality: Modality = Modality.ASSERTED
    confidence: float = 1.0
    attributes: Mapping[str, Any] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()
    reported_by: str | None = None

    def __post_init__(self) -> None:
        if not self.evidence:
            raise ValueError(f"relation {self.id} has no evidence")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"relation {self.id}: confidence {self.confidence} outside 0..1")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "subject": self.subject,
            "type": self.type.value,
            "object": self.object,
            "polarity": self.polarity.value,
            "modality": self.modality.value,
            "confidence": round(self.confidence, 4),
            "attributes": dict(sorted(self.attributes.items())),
        }
        if self.reported_by is not None:
            out["reported_by"] = self.reported_by
        out["evidence"] = [e.to_dict() for e in self.evidence]
        return out

    @classmethod
    def from_dict(cls, r: Mapping[str, Any]) -> Relation:
        return cls(id=r["id"], subject=r["subject"], type=RelationType(r["type"]), object=r["object"],
                   polarity=Polarity(r["polarity"]), modality=Modality(r["modality"]), confidence=float(r["confidence"]),
                   attributes=dict(r.get("attributes", {})), evidence=tuple(Evidence(**ev) for ev in r["evidence"]),
                   reported_by=r.get("reported_by"))


def evidence_id(relation_id: str, doc: str, start: int, end: int) -> str:
    """Deterministic id of one evidence sentence of one relation (stores and exports name it by this)."""
    return hashlib.sha1(f"{relation_id}|{doc}|{start}|{end}".encode()).hexdigest()[:20]


def relation_id(
    subject: str, type_: RelationType, object_: str, polarity: Polarity, modality: Modality, predicate: str = ""
) -> str:
    """A content-derived id: the same five facts always give the same id.

    >>> relation_id("a", RelationType.MET_WITH, "b", Polarity.POSITIVE, Modality.ASSERTED)[:4]
    'rel:'
    """
    key = "\x1f".join((subject, type_.value, object_, polarity.value, modality.value, predicate))
    return "rel:" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Graph:
    documents: tuple[Document, ...] = ()
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "documents": [d.to_dict() for d in sorted(self.documents, key=lambda d: d.id)],
            "entities": [e.to_dict() for e in sorted(self.entities, key=lambda e: e.id)],
            "relations": [r.to_dict() for r in sorted(self.relations, key=lambda r: r.id)],
        }

    def to_json(self) -> str:
        """The ``graph.json`` text: UTF-8, two-space indent, fixed key order, final newline."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def entity(self, entity_id: str) -> Entity:
        for e in self.entities:
            if e.id == entity_id:
                return e
        raise KeyError(entity_id)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Graph:
        """Read the ``graph.json`` form back. Documents come back without their text."""
        try:
            if data.get("schema_version") != SCHEMA_VERSION:
                raise GraphFormatError(f"unsupported schema_version {data.get('schema_version')!r}")
            documents = tuple(Document.from_dict(d) for d in data["documents"])
            entities = tuple(Entity.from_dict(e) for e in data["entities"])
            relations = tuple(Relation.from_dict(r) for r in data["relations"])
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, GraphFormatError):
                raise
            raise GraphFormatError(f"not a graph.json: {exc!r}") from exc
        return cls(documents=documents, entities=entities, relations=relations)

    @classmethod
    def load(cls, path: str) -> Graph:
        """A ``graph.json``; or a JSON Lines build: its ``graph.index.json`` or its folder (``kg.graph_stream``)."""
        import os

        if os.path.isdir(path) or str(path).endswith(".index.json"):
            from kg.graph_stream import open_graph

            return open_graph(path).graph()
        try:
            with open(path, encoding="utf-8") as fh:
                return cls.from_dict(json.load(fh))
        except OSError as exc:
            raise GraphFormatError(f"{path}: cannot read: {exc.strerror}") from exc
        except json.JSONDecodeError as exc:
            raise GraphFormatError(f"{path}: not JSON: {exc}") from exc


def unique_sorted(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(items)))


# Models passed between the per-document stages and the cross-document merge.


@dataclass(frozen=True)
class EntityMention:
    """One entity mention found in a document, before resolution.

    ``start``/``end`` point into the document text; ``name`` is the mention as the
    NLP text spells it, with articles and possessives removed; ``tokens`` are its
    token indices in the parsed document (for the relation stage).
    """

    start: int
    end: int
    text: str
    name: str
    type: EntityType
    label: str
    tokens: tuple[int, int]
    sentence: int
    title: str | None = None
    headline: bool = False
    honorific: str | None = None
    """the form of address written before a person's name ("Mr", "Lord"); not part of ``name``"""
    canonical: str | None = None
    """the entity file's name for this mention ("Conservative Party" for "Tories"), when it knows it"""
    cue: EntityType | None = None
    """the type a common noun beside the mention tells ("airline Virgin Blue")"""
    team: bool = False
    """named as a competitor in sport ("England beat Ireland", "Leeds 2 Hull 0")"""


@dataclass(frozen=True)
class LocalEntity:
    """An entity as resolved inside one document.

    ``scoped`` marks a bare surname (or other single name of a person) that the
    document never gives in full: it must not be merged with other documents.
    """

    index: int
    type: EntityType
    name: str
    aliases: tuple[str, ...]
    mentions: tuple[EntityMention, ...]
    titles: tuple[str, ...] = ()
    acronym: str | None = None
    scoped: bool = False
    honorific: str | None = None
    ids: tuple[tuple[str, str], ...] = ()
    """external identifiers the entity file gives ("wikidata", "Q9624")"""


@dataclass(frozen=True)
class LocalRelation:
    """A relation found in one document; subject and object are ``LocalEntity.index`` values."""

    subject: int
    type: RelationType
    object: int
    polarity: Polarity
    modality: Modality
    confidence: float
    evidence: Evidence
    attributes: Mapping[str, Any] = field(default_factory=dict)
    reported_by: int | None = None


@dataclass(frozen=True)
class DocResult:
    """What one document contributes: its record (text dropped), entities and relations."""

    document: Document
    entities: tuple[LocalEntity, ...]
    relations: tuple[LocalRelation, ...] = ()
