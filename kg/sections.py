"""Long and odd texts before parsing: cut a long text into sections, and tell prose from junk.

spaCy refuses a text over ``nlp.max_length`` (1,000,000 characters), and the per-document stages
cost more than linear time in a document's length. So a long text (a report, a transcript) is
read in sections of at most ``SECTION_CHARS`` characters, cut at a paragraph break, else a line
break, else a sentence end: ``sections`` gives each one as a ``CleanText`` of its own whose
offsets still map into the original document, each is parsed and analysed as a document is, and
``join`` merges their results back into the one document's result (an entity named in several
sections is one entity, as it is across documents).

A text that has no sentence end or line break for ``MAX_SPAN`` characters (a 200,000-character
line of words without punctuation: a dump, a mangled export) is not prose: the parser would give
junk entities for it, slowly. ``not_prose`` says so, and the build skips the document.
"""

from __future__ import annotations

import re
from dataclasses import replace

from kg.clean import CleanText
from kg.model import DocResult

SECTION_CHARS = 20_000
MAX_SPAN = 10_000

# Where a sentence or block may end: a line break, or . ! ? (with closing quotes or brackets)
# before white space or the end of the text.
_BOUNDARY = re.compile(r"\n|[.!?…][\"'”’)\]]*(?=\s|$)")
# Cut points, best first: after a paragraph break, a line break, a sentence end, any white space.
_CUTS = (re.compile(r"\n[ \t\r\f\v]*\n\s*"), re.compile(r"\n\s*"),
         re.compile(r"[.!?…][\"'”’)\]]*\s+"), re.compile(r"\s+"))


def longest_span(text: str) -> int:
    """The most characters ``text`` holds between two sentence ends or line breaks."""
    longest, last = 0, 0
    for m in _BOUNDARY.finditer(text):
        longest = max(longest, m.start() - last)
        last = m.end()
    return max(longest, len(text) - last)


def not_prose(text: str, max_span: int = MAX_SPAN) -> str | None:
    """Why ``text`` cannot be read as sentences, or ``None`` when it can.

    >>> not_prose("Russia offered aid. NATO accepted it.") is None
    True
    """
    span = longest_span(text)
    if span > max_span:
        return (f"not prose: {span:,} characters without a sentence end or a line break "
                f"(at most {max_span:,} are read as one sentence)")
    return None


def split(text: str, limit: int = SECTION_CHARS) -> list[tuple[int, int]]:
    """``text`` as consecutive ``(start, end)`` sections of at most ``limit`` characters that cover it.

    Each cut falls after the last paragraph break of the window, else its last line break, else
    its last sentence end, else its last white space (and only a text with none is cut mid-word).
    A cut is never made in the first half of a window, so sections are not tiny.
    """
    if limit < 2:
        raise ValueError("limit must be at least 2")
    sections: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        cut = end
        for pattern in _CUTS:
            ends = [m.end() for m in pattern.finditer(text, start + limit // 2, end)]
            if ends:
                cut = ends[-1]
                break
        sections.append((start, cut))
        start = cut
    sections.append((start, len(text)))
    return sections


def sections(ct: CleanText, limit: int = SECTION_CHARS) -> list[CleanText]:
    """``ct`` itself when it is at most ``limit`` characters long, else its sections (``split``), each
    a ``CleanText`` whose ``to_source`` maps into the same document text as ``ct``'s does."""
    if len(ct.text) <= limit:
        return [ct]
    out = []
    for start, end in split(ct.text, limit):
        runs = tuple((max(c, start) - start, s + max(c, start) - c, min(c + n, end) - max(c, start))
                     for c, s, n in ct.runs if c < end and c + n > start)
        out.append(replace(ct, text=ct.text[start:end], runs=runs or ((0, 0, 0),),
                           headline_end=max(0, min(ct.headline_end, end) - start)))
    return out


def join(results: list[DocResult]) -> DocResult:
    """The sections' results as one document's: local entity indices renumbered to stay apart.

    Entities of one name in several sections stay separate here and become one in the merge
    across documents, which groups by type and name (and by document for a bare surname).
    """
    if len(results) == 1:
        return results[0]
    entities, relations, base = [], [], 0
    for r in results:
        shift = {e.index: base + i for i, e in enumerate(r.entities)}
        entities += [replace(e, index=shift[e.index]) for e in r.entities]
        relations += [replace(rel, subject=shift[rel.subject], object=shift[rel.object],
                              reported_by=None if rel.reported_by is None else shift.get(rel.reported_by))
                      for rel in r.relations]
        base += len(r.entities)
    return replace(results[0], entities=tuple(entities), relations=tuple(relations))
