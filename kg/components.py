"""kg's stages as spaCy pipeline components: the seam between a spaCy user's pipeline and ``kg build``.

Two factories, registered through the ``spacy_factories`` entry point (so ``nlp.add_pipe`` finds them
once kg-news is installed, without importing kg), run on any English pipeline with a parser and NER:

- ``kg_entities`` (config ``entities``: extra entity JSON Lines files): the entity mentions of the
  parse (``kg.mentions``) resolved into the document's entities (``kg.resolve``).
- ``kg_relations`` (config ``lexicon``: a relation lexicon file, default the packaged one;
  ``min_confidence``): the relations the document states (``kg.relations``). Needs ``kg_entities``
  before it.

What they assign, read through ``Doc``/``Span`` extensions that return the shared models of
``kg.model``:

- ``doc._.kg_entities``: ``LocalEntity`` records (type, name, aliases, titles, ids, and their
  ``mentions``: ``EntityMention`` with character offsets into ``doc.text`` and ``tokens``, the token span);
- ``doc._.kg_mentions``: every ``EntityMention`` (also those of no entity);
- ``doc._.kg_relations``: ``LocalRelation`` records (type, ``subject``/``object`` as positions in
  ``doc._.kg_entities``, polarity, modality, confidence, attributes, evidence with offsets);
- ``doc.spans["kg_mentions"]``: the mentions of entities as spans labelled with the entity type, and
  ``span._.kg_entity`` the entity a span is a mention of (or ``None``).

``doc._.kg_published`` (an ISO date, set before the pipeline runs) is the date "on Friday" and
"last month" are resolved against; without it, a wire dateline at the top of the text gives it.

The results are kept in ``doc._.kg_data`` as plain lists and dicts (``kg.records``), so a Doc stays
serialisable (``doc.to_bytes``, ``DocBin``, ``nlp.pipe(n_process=2)``). A user's Doc is read as it
is: its text is the document (offsets map 1:1, evidence has ``doc == ""``, no headline is
recognised). ``kg build`` runs the same components on the text its clean-up made of a page,
handing each Doc its document and the offset map back into it through ``attach``. ``nlp.to_disk`` copies the
entity files and the lexicon into the pipeline folder, so a saved pipeline needs none of them.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, List, Optional, Sequence

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg import records
from kg.clean import CleanText, dateline_date
from kg.errors import GraphFormatError, ModelError
from kg.model import Document, EntityMention, LocalEntity, LocalRelation

SPANS_KEY = "kg_mentions"
_CFG = "cfg.json"


@dataclass(frozen=True)
class Source:
    """What ``kg build`` tells the components about a Doc: the document it is (part of), and the map from
    the Doc's text (the cleaned text of one section) back to the document's text."""

    document: Document
    clean: CleanText


def attach(doc: Doc, context: tuple[Document, CleanText]) -> None:
    """Give ``doc`` (made from ``context[1].text``) its document, before the components run."""
    doc._.kg_source = Source(*context)


def guard(nlp: Language, failures: dict[int, str]) -> None:
    """Make ``nlp.pipe`` leave out a Doc that one of kg's components fails on (a bug on one document must not
    stop a build), noting why in ``failures`` under ``id(document)`` of its ``attach``ed document. A Doc
    without one (a user's) still raises."""

    def on_error(name: str, proc: Any, docs: list[Doc], exc: Exception) -> None:
        for doc in docs:
            source = doc._.kg_source
            if source is None:
                raise exc
            failures[id(source.document)] = f"analysis failed in {name}: {exc!r}"

    nlp.default_error_handler = on_error


def _register() -> None:
    """The extensions, each registered once and only if missing."""
    values = {"kg_published": None, "kg_data": None, "kg_source": None}
    getters: dict[str, Callable[[Doc], Any]] = {"kg_mentions": mentions_of, "kg_entities": entities_of,
                                                "kg_relations": relations_of}
    for name, default in values.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, getter in getters.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, getter=getter)
    if not Span.has_extension("kg_entity"):
        Span.set_extension("kg_entity", getter=entity_of_span)


def _origin(doc: Doc) -> tuple[Document, CleanText]:
    """The document and offset map of ``doc``: from ``kg build`` (``attach``), else ``doc`` itself."""
    source = doc._.kg_source
    if source is not None:
        return source.document, source.clean
    published = doc._.kg_published
    if isinstance(published, (dt.date, dt.datetime)):
        published = published.isoformat()[:10]
    elif published is not None:
        published = str(published)
    text = doc.text
    document = Document(id="", text=text, source="", published=published)
    return document, CleanText(doc_id="", text=text, title=None, blocks=(), runs=((0, 0, len(text)),))


def _check_parsed(doc: Doc, name: str) -> None:
    missing = [what for what, attr in (("a dependency parse", "DEP"), ("named entities", "ENT_IOB"))
               if len(doc) and not doc.has_annotation(attr)]
    if missing:
        raise ModelError(f"{name} needs {' and '.join(missing)}: add it after the pipeline's parser and ner")


# ---------------------------------------------------------------------------------------------
# The mention and entity layer.


class EntityLayer:
    """``kg_entities``: mentions from the parse and the model's entities, resolved into the document's entities.

    ``entities``: JSON Lines files of known entities added to the packaged one (``kg.catalog``).
    """

    def __init__(self, nlp: Language, name: str = "kg_entities", entities: Sequence[str] = ()) -> None:
        self.nlp = nlp
        self.name = name
        self.entities = [str(p) for p in entities]
        # The files' texts: read now when they exist (a bad one is an error at once); a path that is not
        # there (a saved pipeline's config, on another machine) is read from the pipeline folder by from_disk.
        self._texts = _read_all(self.entities, _entity_text) if all(map(os.path.exists, self.entities)) else None
        self._catalog = self._compiled = None
        self._words: frozenset[str] | None = None
        if self._texts is not None:
            self._parse()  # a bad entry is an error at once, naming the file and line

    def add_files(self, paths: Iterable[str]) -> None:
        """More entity files, after those the component has."""
        paths = [str(p) for p in paths]
        self._texts = [*self._files(), *_read_all(paths, _entity_text)]
        self.entities += paths
        self._catalog = None
        self._parse()

    def _files(self) -> list[tuple[str, str]]:
        if self._texts is None:
            self._texts = _read_all(self.entities, _entity_text)  # raises, naming the missing file
        return self._texts

    def _parse(self):
        from kg.catalog import catalog_of

        if self._catalog is None:
            self._catalog, self._compiled = catalog_of(self._files()), False
        return self._catalog

    @property
    def catalog(self):
        """The entity files, compiled with the pipeline's tokenizer (when first used: the tokenizer of a
        pipeline being loaded is not read from disk yet when its components are made)."""
        catalog = self._parse()
        if not self._compiled:
            from kg.nlp import tokens

            catalog.compile(tokens(self.nlp))
            self._compiled = True
        return catalog

    @property
    def words(self) -> frozenset[str]:
        """Common English words: the lemmatizer's index (read once the pipeline is loaded)."""
        if self._words is None:
            from kg.nlp import common_words

            self._words = common_words(self.nlp)
        return self._words

    def __call__(self, doc: Doc) -> Doc:
        from kg.mentions import extract_mentions
        from kg.resolve import resolve_document

        _check_parsed(doc, self.name)
        document, clean = _origin(doc)
        found = extract_mentions(doc, clean, lexicon=self.words, catalog=self.catalog)
        mentions = [replace(m, text=document.text[m.start : m.end]) for m in found]
        entities = resolve_document(mentions, document.text, catalog=self.catalog)
        index = {m: i for i, m in reversed(list(enumerate(mentions)))}
        doc._.kg_data = {"mentions": [records.mention_data(m) for m in mentions],
                         "entities": [records.entity_data(e, index) for e in entities], "relations": None}
        doc.spans[SPANS_KEY] = [Span(doc, *m.tokens, label=e.type.value) for e in entities for m in e.mentions]
        return doc

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.msgpack_dumps({"entities": self.entities, "texts": self._files()})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> EntityLayer:
        saved = srsly.msgpack_loads(data)
        self.entities, self._texts = list(saved["entities"]), [tuple(t) for t in saved["texts"]]
        self._catalog = self._words = None
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """``cfg.json`` (the configured paths, and the copies' names) and a copy of each entity file."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        copies = []
        for n, (source, text) in enumerate(self._files()):
            copies.append(f"entities-{n}.jsonl")
            (path / copies[-1]).write_text(text, encoding="utf-8")
        srsly.write_json(path / _CFG, {"entities": self.entities, "copies": copies})

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> EntityLayer:
        path = Path(path)
        cfg = srsly.read_json(path / _CFG)
        self.entities = list(cfg["entities"])
        self._texts = [(source, _entity_text(path / copy)) for source, copy in zip(self.entities, cfg["copies"])]
        self._catalog = self._words = None
        return self


def _entity_text(path: str | Path) -> str:
    from kg.catalog import read_entity_file

    return read_entity_file(path)


def _read_all(paths: Sequence[str], read: Callable[[str], str]) -> list[tuple[str, str]]:
    return [(p, read(p)) for p in paths]


# ---------------------------------------------------------------------------------------------
# The relation layer.


class RelationLayer:
    """``kg_relations``: the relations a document states, between the entities of ``kg_entities``.

    ``lexicon``: a relation lexicon file (``kg/data/lexicon.json``'s schema); ``None``, the packaged one.
    ``min_confidence``: relations below it are left out (``kg build`` keeps all, and filters the merged graph).
    """

    def __init__(self, nlp: Language, name: str = "kg_relations", lexicon: str | None = None,
                 min_confidence: float = 0.0) -> None:
        if not 0.0 <= min_confidence <= 1.0:
            raise ValueError(f"{name}: min_confidence must be from 0 to 1, got {min_confidence!r}")
        self.name = name
        self.lexicon = None if lexicon is None else str(lexicon)
        self.min_confidence = float(min_confidence)
        self._text = _lexicon_text(self.lexicon) if self.lexicon and os.path.exists(self.lexicon) else None
        self._rules = None
        if self._text is not None:
            self._rules = _parse_lexicon(self._text, self.lexicon)  # a bad file is an error at once

    @property
    def rules(self):
        """The relation lexicon (``kg.lexicon.Lexicon``)."""
        if self._rules is None:
            from kg.lexicon import load_lexicon

            if self.lexicon is None:
                self._rules = load_lexicon()
            else:
                if self._text is None:
                    self._text = _lexicon_text(self.lexicon)
                self._rules = _parse_lexicon(self._text, self.lexicon)
        return self._rules

    def __call__(self, doc: Doc) -> Doc:
        from kg.relations import extract_relations
        from kg.timex import published_date

        data = doc._.kg_data
        if data is None:
            raise ModelError(f"{self.name} needs kg_entities before it: nlp.add_pipe('kg_entities') first")
        document, clean = _origin(doc)
        published = published_date(document.published or dateline_date(clean))
        found = extract_relations(doc, clean, document.text, mentions_of(doc), entities_of(doc), self.rules,
                                  published=published)
        data["relations"] = [records.relation_data(r) for r in found if r.confidence >= self.min_confidence]
        doc._.kg_source = None  # kg build's context is not kept: the Doc stays serialisable
        return doc

    def _cfg(self) -> dict[str, Any]:
        return {"lexicon": self.lexicon, "min_confidence": self.min_confidence}

    def _restore(self, cfg: dict[str, Any], text: str | None) -> RelationLayer:
        self.lexicon, self.min_confidence = cfg["lexicon"], float(cfg["min_confidence"])
        self._text, self._rules = text, None
        if text is not None:
            self._rules = _parse_lexicon(text, self.lexicon)
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.msgpack_dumps({"cfg": self._cfg(), "text": self._given_text()})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> RelationLayer:
        saved = srsly.msgpack_loads(data)
        return self._restore(saved["cfg"], saved["text"])

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """``cfg.json`` (lexicon path, min_confidence) and a copy of a user's lexicon as ``lexicon.json``."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        text = self._given_text()
        if text is not None:
            (path / "lexicon.json").write_text(text, encoding="utf-8")
        srsly.write_json(path / _CFG, self._cfg())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> RelationLayer:
        path = Path(path)
        copy = path / "lexicon.json"
        return self._restore(srsly.read_json(path / _CFG), copy.read_text(encoding="utf-8") if copy.exists() else None)

    def _given_text(self) -> str | None:
        """The text of a user's lexicon (``None`` for the packaged one)."""
        if self.lexicon is not None and self._text is None:
            self._text = _lexicon_text(self.lexicon)
        return self._text


def _lexicon_text(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GraphFormatError(f"{path}: cannot read the relation lexicon: {exc}") from exc


def _parse_lexicon(text: str, source: str | None):
    import json

    from kg.lexicon import parse_lexicon

    try:
        return parse_lexicon(json.loads(text))
    except (ValueError, KeyError, TypeError) as exc:
        raise GraphFormatError(f"{source}: not a valid lexicon: {exc}") from exc


# ---------------------------------------------------------------------------------------------
# The factories (spaCy validates their settings from these annotations).


@Language.factory("kg_entities", default_config={"entities": []},
                  requires=["doc.ents", "token.dep", "token.pos", "token.lemma", "doc.sents"],
                  assigns=["doc._.kg_data", "doc._.kg_entities", "doc._.kg_mentions", "doc.spans"])
def make_entities(nlp: Language, name: str, entities: List[str]) -> EntityLayer:
    return EntityLayer(nlp, name, entities)


@Language.factory("kg_relations", default_config={"lexicon": None, "min_confidence": 0.0},
                  requires=["doc._.kg_data", "token.dep", "token.lemma", "doc.sents"],
                  assigns=["doc._.kg_relations"])
def make_relations(nlp: Language, name: str, lexicon: Optional[str], min_confidence: float) -> RelationLayer:
    return RelationLayer(nlp, name, lexicon, min_confidence)


# ---------------------------------------------------------------------------------------------
# The extensions' getters: the shared models from the plain data.


def mentions_of(doc: Doc) -> tuple[EntityMention, ...]:
    data = doc._.kg_data
    return () if data is None else tuple(records.mention(m) for m in data["mentions"])


def entities_of(doc: Doc) -> tuple[LocalEntity, ...]:
    data = doc._.kg_data
    if data is None:
        return ()
    mentions = mentions_of(doc)
    return tuple(records.entity(e, mentions) for e in data["entities"])


def relations_of(doc: Doc) -> tuple[LocalRelation, ...]:
    data = doc._.kg_data
    return () if data is None or data["relations"] is None else tuple(records.relation(r) for r in data["relations"])


def entity_of_span(span: Span) -> LocalEntity | None:
    """The entity ``span`` is a mention of (same tokens), or ``None``."""
    for entity in entities_of(span.doc):
        if any(m.tokens == (span.start, span.end) for m in entity.mentions):
            return entity
    return None


_register()

__all__ = ["EntityLayer", "RelationLayer", "SPANS_KEY", "Source", "attach", "entities_of", "guard",
           "entity_of_span", "make_entities", "make_relations", "mentions_of", "relations_of"]
