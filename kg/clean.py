"""Clean-up: separate a scraped news page into headline, captions and body, and
make the text the NER model reads, without losing where anything came from.

In: a ``Document`` (text exactly as read). Out: a ``CleanText`` whose ``text``
is what the NLP stage reads: the kept blocks joined by blank lines, odd spaces
normalised, glued photo credits cut off, and Title Case or ALL CAPS headlines
and datelines recased. ``CleanText.to_source(start, end)`` maps any span of it
back to offsets in the original text, so every mention points into the file.

The rules are for news pages in general:

- a block is a line (wrapped lines are joined back when the next starts lower case);
- boilerplate is a block that matches page-furniture patterns (update stamps,
  calls to subscribe or donate, navigation bullets), a one- or two-word line
  with no sentence punctuation (buttons: "Once", "Continue"), a repeated block,
  anything before the headline, and a page tail: from the first strong marker
  (newsletter, "A message from", donation appeal) on, when most of what
  follows is boilerplate too;
- the headline is the first remaining short block without a final full stop;
- a caption is a block right after the headline that starts with a photo
  credit ("AP", "Reuters"), often glued to the first word ("APIvanov and…");
- a dateline is a body block that opens with an upper-case place and a dash
  ("MADRID, Spain --", "BRUSSELS —").

Headline recasing uses evidence from the article itself: a word keeps the form
it has in the body ("Nato" -> "NATO" if the body writes NATO); words the body
does not use fall back to a lexicon of common English words (lowercased) or
the country gazetteer (kept).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from typing import Collection, Iterable, Sequence

from kg.gazetteer import cities, gazetteer
from kg.model import Document

# Same-length normalisation: odd spaces become a space, typographic quotes plain ones.
_SAME_LENGTH = str.maketrans(
    {
        **{c: " " for c in "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"},
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
    }
)
# Characters dropped from the NLP text (zero-width, soft hyphen, BOM).
_DROP = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")

FUNCTION_WORDS = frozenset(
    "a an the of in on at to for and or but nor with by from as vs via into onto over under after before "
    "about against between amid among up down out off is are was were be been has have had do does did "
    "will would can could may might must shall should not no its it his her their our your my this that "
    "these those than then so if when while who what which where why how new more most".split()
)

_BOILERPLATE_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^\W*(last\s+)?updated\s*:?\s*[\d/:.-]",
        r"^\W*(last\s+)?updated\s*:",
        r"^\W*(published|posted)\s*:?\s*\d",
        r"get the latest (updates|news)",
        r"^\W*(please\s+)?(support|donate|subscribe|sign up|sign in|log in|follow us|like us|share)\b",
        r"\bnewsletter\b",
        r"\bprivacy policy\b|\bterms of (use|service)\b|\bcookie(s| policy)\b",
        r"all rights reserved|^\W*(copyright|©)",
        r"^\W*(read|see|show|load) more\b",
        r"^\W*remind me later",
        r"^\W*advertisement\W*$",
        r"^\W*a message from\b",
        r"^\W*dear (readers?|subscribers?)\b",
        r"^\W*(not ready to support|thank you for (reading|your support|standing))",
        r"^\W*[•·▪►»|]",
        r"^\W*directory of\b",
        r"\bclick here\b",
        r"^\W*(related|recommended|most read|trending)( articles| stories)?\W*$",
    )
]
_STRONG_TAIL = re.compile(
    r"newsletter|^\W*a message from|^\W*dear readers|\bdonat(e|ion)|support (us|our|independent)|"
    r"^\W*(related|recommended|most read)\b|^\W*(sign up|subscribe)\b",
    re.IGNORECASE,
)
_APPEAL = re.compile(r"\b(you|your)\b.*\b(support|donat\w*|contribut\w*|subscri\w*|help)\b", re.IGNORECASE)
_CREDIT = re.compile(
    r"(?:AP|AFP|EPA|Reuters|Getty Images|Getty|Xinhua|Bloomberg|TASS|Sputnik|Anadolu|UPI|DPA|ANSA|Kyodo|Yonhap)"
    r"(?=[A-Z])"
)
_CAPTION_CREDIT = re.compile(
    r"^(?:Photo|Image|File photo|Pictured)\s*[:|-]|\((?:AP|AFP|Reuters|EPA|Getty)[^)]*\)\s*$|"
    r"\b(?:AP|AFP|Reuters|EPA|Getty Images) Photo\b"
)
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z'.-]+(?: [A-Z][A-Z'.-]+){0,3})"
    r"(?P<region>,\s*[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3})?"
    r"(?:\s*\([^)]{1,40}\))?\s*(?:--|—|–|-|:)\s+"
)
_WIRE_DATELINE = re.compile(r"^(?P<place>[A-Z][A-Z'.-]+(?: [A-Z][A-Z'.-]+){0,3})\s+(?P<date>\d{4}-\d{2}-\d{2})$")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,/-]\d+)*(?![\w])")
_WORD = re.compile(r"[^\W\d_]+")
_SENT_END = re.compile(r"[.!?][\"')\]]?$")


@dataclass(frozen=True)
class Block:
    kind: str
    """headline, caption, body, or boilerplate"""
    start: int
    end: int
    reason: str = ""


@dataclass(frozen=True)
class CleanText:
    """The text the NLP stage reads, with the way back to the document text."""

    doc_id: str
    text: str
    title: str | None
    blocks: tuple[Block, ...]
    runs: tuple[tuple[int, int, int], ...]
    """(clean_start, source_start, length): stretches copied 1:1 from the source"""
    headline_end: int = 0
    """end of the headline in ``text`` (0 when there is none)"""

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map the clean span ``[start, end)`` to offsets in the original document text."""
        return self._map(start), self._map(end - 1) + 1

    def _map(self, pos: int) -> int:
        i = bisect.bisect_right(self._starts, pos) - 1
        cstart, sstart, length = self.runs[max(i, 0)]
        return sstart + min(pos - cstart, length - 1)

    @property
    def _starts(self) -> list[int]:
        starts = self.__dict__.get("_starts_cache")
        if starts is None:
            starts = [r[0] for r in self.runs]
            object.__setattr__(self, "_starts_cache", starts)
        return starts


def split_blocks(text: str) -> list[tuple[int, int]]:
    """Blocks as (start, end) of stripped non-empty lines; a wrapped line is joined to the one before."""
    blocks: list[tuple[int, int]] = []
    pos = 0
    prev_blank = True
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            start = pos + (len(line) - len(line.lstrip()))
            end = start + len(stripped)
            if (
                blocks
                and not prev_blank
                and stripped[0].islower()
                and not _SENT_END.search(text[blocks[-1][0] : blocks[-1][1]])
            ):
                blocks[-1] = (blocks[-1][0], end)
            else:
                blocks.append((start, end))
            prev_blank = False
        else:
            prev_blank = True
        pos += len(line)
    return blocks


def boilerplate_reason(block: str) -> str | None:
    """Why a block is page furniture, or None if it may be article text."""
    words = block.split()
    if _WIRE_DATELINE.match(block):
        return None  # "LONDON 1996-08-30": a wire dateline, not furniture
    for pattern in _BOILERPLATE_PATTERNS:
        if pattern.search(block) and (len(words) <= 40 or pattern.pattern.startswith("^")):
            return f"matches {pattern.pattern!r}"
    if len(_WORD.findall(block)) <= 2 and not _SENT_END.search(block) and len(_NUMBER.findall(block)) < 2:
        return "short line without sentence punctuation"  # but "Leeds 2 Hull 0" is a result
    if _APPEAL.search(block) and len(words) <= 60:
        return "appeal to the reader"
    return None


def is_title_case(block: str) -> bool:
    """True for Title Case or ALL CAPS lines ("Russia Seeks to Underpin Afghan Security")."""
    words = _WORD.findall(block)
    content = [w for w in words if w.lower() not in FUNCTION_WORDS or w.isupper() and len(w) > 1]
    if len(content) < 2:
        return False
    capitalised = sum(1 for w in content if w[0].isupper())
    return capitalised / len(content) >= 0.8 and capitalised >= 3


def classify(text: str, lexicon: Collection[str] = ()) -> tuple[list[Block], str | None]:
    """Blocks of ``text`` with their kind, and the headline text (or None)."""
    spans = split_blocks(text)
    reasons: list[str | None] = [boilerplate_reason(text[s:e]) for s, e in spans]
    seen: set[str] = set()
    for i, (s, e) in enumerate(spans):
        key = " ".join(text[s:e].split()).lower()
        if reasons[i] is None and key in seen:
            reasons[i] = "repeated block"
        seen.add(key)
    _cut_tail(text, spans, reasons)

    kinds = ["boilerplate" if r else "body" for r in reasons]
    headline = None
    first = next((i for i, r in enumerate(reasons) if r is None), None)
    if first is not None:
        s, e = spans[first]
        candidate = text[s:e]
        if len(candidate.split()) <= 25 and not candidate.rstrip().endswith("."):
            headline = " ".join(candidate.split())
            kinds[first] = "headline"
            for j in range(first):
                reasons[j] = reasons[j] or "before the headline"
            j = first + 1
            while j < len(spans) and kinds[j] != "body":
                j += 1
            if j < len(spans) and _looks_like_caption(text, *spans[j], lexicon):
                kinds[j] = "caption"
    blocks = [
        Block(kind=kinds[i], start=s, end=e, reason=reasons[i] or "") for i, (s, e) in enumerate(spans)
    ]
    return blocks, headline


def _cut_tail(text: str, spans: Sequence[tuple[int, int]], reasons: list[str | None]) -> None:
    seen_body = False
    for i, (s, e) in enumerate(spans):
        if reasons[i] is None and not _STRONG_TAIL.search(text[s:e]):
            seen_body = True
            continue
        if not seen_body or not _STRONG_TAIL.search(text[s:e]):
            continue
        rest = reasons[i:]
        if sum(1 for r in rest if r) * 2 >= len(rest):
            for j in range(i, len(spans)):
                reasons[j] = reasons[j] or "page tail after a subscription or donation appeal"
            return


def _looks_like_caption(text: str, start: int, end: int, lexicon: Collection[str]) -> bool:
    return bool(_glued_credit(text, start, end, lexicon) or _CAPTION_CREDIT.search(text[start:end]))


def _glued_credit(text: str, start: int, end: int, lexicon: Collection[str]) -> int:
    """Length of a photo credit glued to the first word of the block ``text[start:end]`` ("APIvanov"), or 0.

    The word left after the credit must be a common word or stand on its own elsewhere in the page,
    so "APEC" is not cut into "AP" + "EC".
    """
    m = _CREDIT.match(text, start, end)
    if not m:
        return 0
    rest = _WORD.match(text, m.end(), end)
    if rest is None:
        return 0
    word = rest.group(0)
    if word.lower() in FUNCTION_WORDS or word.lower() in lexicon:
        return m.end() - start
    for other in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text):
        if other.start() != rest.start():
            return m.end() - start
    return 0


def body_forms(text: str, blocks: Iterable[Block]) -> dict[str, Counter[str]]:
    """For each lower-cased word, how the body writes it where it is not sentence-initial."""
    forms: dict[str, Counter[str]] = {}
    for b in blocks:
        if b.kind not in ("body", "caption"):
            continue
        chunk = text[b.start : b.end]
        for m in _WORD.finditer(chunk):
            before = chunk[: m.start()].rstrip()
            if not before or before[-1] in '.!?"\'“”:—-(' or len(m.group(0)) < 2:
                continue
            forms.setdefault(m.group(0).lower(), Counter())[m.group(0)] += 1
    return forms


def _in_lexicon(word: str, lexicon: Collection[str]) -> bool:
    w = word.lower()
    if w in FUNCTION_WORDS or w in lexicon:
        return True
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and (w[: -len(suffix)] + repl) in lexicon:
            return True
    return False


def recase(block: str, forms: dict[str, Counter[str]], lexicon: Collection[str]) -> str:
    """Recase a Title Case or ALL CAPS line from body evidence; the result has the same length."""
    gaz = gazetteer()
    out = list(block)
    first = True
    for m in _WORD.finditer(block):
        word = m.group(0)
        new = word
        seen = forms.get(word.lower())
        if seen:
            new = seen.most_common(1)[0][0]
        elif len(word) > 1 and (
            gaz.country(word) or gaz.demonym(word) or gaz.is_region(word) or word.lower() in gaz.capitals
            or word.lower() in cities()
        ):
            new = word if not word.isupper() or len(word) <= 3 else word.capitalize()
        elif len(word) > 1 and _in_lexicon(word, lexicon):
            new = word.lower()
        elif word.isupper() and len(word) > 4:
            new = word.capitalize()
        if first and new[:1].islower():
            new = new[0].upper() + new[1:]
        first = False
        if len(new) == len(word):
            out[m.start() : m.end()] = new
    return "".join(out)


def clean(document: Document, lexicon: Collection[str] = ()) -> CleanText:
    """Make the NLP text of ``document``. ``lexicon``: lower-case common English words."""
    text = document.text
    blocks, headline = classify(text, lexicon)
    forms = body_forms(text, blocks)
    pieces: list[str] = []
    runs: list[tuple[int, int, int]] = []
    cpos = 0
    headline_end = 0
    for b in blocks:
        if b.kind == "boilerplate":
            continue
        start = b.start
        if b.kind == "caption":
            start += _glued_credit(text, b.start, b.end, lexicon)
        chunk = text[start : b.end].translate(_SAME_LENGTH)
        if b.kind == "headline" and is_title_case(chunk):
            chunk = recase(chunk, forms, lexicon)
        elif b.kind == "body":
            m = _DATELINE.match(chunk) or _WIRE_DATELINE.match(chunk)
            if m:
                place = recase(m.group("place"), forms, lexicon)
                chunk = place + chunk[len(place) :]
        if pieces:
            pieces.append("\n\n")
            runs.append((cpos, start - 1, 2))  # the separator maps to just before the block
            cpos += 2
        for piece, offset in _drop_invisible(chunk, start):
            pieces.append(piece)
            runs.append((cpos, offset, len(piece)))
            cpos += len(piece)
        if b.kind == "headline":
            headline_end = cpos
    return CleanText(
        doc_id=document.id,
        text="".join(pieces),
        title=document.title or headline,
        blocks=tuple(blocks),
        runs=tuple(runs) or ((0, 0, 0),),
        headline_end=headline_end,
    )


def dateline_date(clean_text: CleanText) -> str | None:
    """The date of a wire dateline ("LONDON 1996-08-30") among the first blocks of the text, or None."""
    for block in clean_text.text.split("\n\n")[:4]:
        m = _WIRE_DATELINE.match(block.strip())
        if m:
            return m.group("date")
    return None


def _drop_invisible(chunk: str, offset: int) -> Iterable[tuple[str, int]]:
    pos = 0
    for m in _DROP.finditer(chunk):
        if m.start() > pos:
            yield chunk[pos : m.start()], offset + pos
        pos = m.end()
    if pos < len(chunk):
        yield chunk[pos:], offset + pos
