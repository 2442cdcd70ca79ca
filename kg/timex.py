"""When a stated event happened or is due: ``attributes.when`` of a relation.

``event_time(trigger, published, future)`` looks for a date expression that
belongs to the trigger's event (attached to the trigger or to the words that
govern it in the same clause: "refused in 1968", "will visit on Friday",
"his visit to London last month") and resolves it with dateparser:

- a year gives "1968", a month "2003-11", a day "2004-11-19" (ONTOLOGY.md);
- a relative expression ("on Friday", "last month", "yesterday", "2 March"
  with no year) is resolved against the document's ``published`` date, to the
  past for an asserted event and to the future for a planned one; without a
  published date it stays unresolved and its words are kept (``when_text``);
- durations ("for seven years"), ages, decades ("the 1980s") and weeks are
  not a time of the event and are left out.

``published_date(text)`` reads an ISO date from a document's metadata value
or a wire dateline ("LONDON 1996-08-30").
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any, Iterable

_MONTH = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_WEEKDAY = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_DAY = re.compile(rf"\b(?:{_WEEKDAY}|today|yesterday|tomorrow|tonight)\b|\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{_MONTH})\b|"
                  rf"\b(?:{_MONTH}) \d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b", re.I)
_MONTH_ONLY = re.compile(rf"\b(?:{_MONTH})\b|\b(?:last|next|this) month\b", re.I)
_YEAR = re.compile(r"\b(?:1[5-9]\d\d|20\d\d)\b(?!s)|\b(?:last|next|this) year\b", re.I)
_NOT_A_TIME = re.compile(r"\b\d0s\b|\b(?:years?|months?|weeks?|days?|hours?|minutes?|decades?|centur(?:y|ies))\b(?! ago)|"
                         r"\bweek\b|\bweekend\b|\bold\b|\bage\b|\bseason\b|\bquarter\b", re.I)
_ABSOLUTE = re.compile(r"\b(?:1[5-9]\d\d|20\d\d)\b")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
ATTACH = frozenset({"prep", "npadvmod", "tmod", "advmod", "pobj", "compound", "nmod", "amod"})


def published_date(value: str | None) -> dt.date | None:
    """The date of an ISO-like string ("2004-11-19", "2004-11-19T08:00:00Z"), or None."""
    if not value:
        return None
    m = _ISO.search(value)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def granularity(text: str) -> str | None:
    """"day", "month" or "year" for a date expression; None for a duration, an age, a decade or a week."""
    relative = re.search(r"\b(?:last|next|this) (month|year)\b", text, re.I)
    if relative and not _DAY.search(text):
        return relative.group(1).lower()
    if _NOT_A_TIME.search(text) and not _DAY.search(text):
        return None
    if _DAY.search(text):
        return "day"
    if _MONTH_ONLY.search(text):
        return "month"
    if _YEAR.search(text):
        return "year"
    return None


def resolve(text: str, published: dt.date | None, future: bool = False) -> tuple[str | None, str | None]:
    """(ISO date, month or year, or None; the words when they cannot be resolved) for a date expression."""
    grain = granularity(text)
    if grain is None:
        return None, None
    words = " ".join(text.split())
    absolute = bool(_ABSOLUTE.search(words)) and not re.search(r"\b(?:last|next|this)\b", words, re.I)
    if not absolute and published is None:
        return None, words
    when = _parse(re.sub(r"^(?:on|in|at|by|since|from|during|the)\s+", "", words, flags=re.I), published, future)
    if when is None:
        return None, words
    return when.strftime({"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}[grain]), None


@lru_cache(maxsize=4096)
def _parse(words: str, published: dt.date | None, future: bool) -> dt.datetime | None:
    import dateparser

    base = dt.datetime.combine(published, dt.time()) if published else dt.datetime(2000, 1, 1)
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future" if future else "past",
                "RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first"}
    try:
        return dateparser.parse(words, languages=["en"], settings=settings)
    except (ValueError, OverflowError):
        return None


def event_time(scope: Iterable[Any], published: dt.date | None, future: bool = False) -> dict[str, str]:
    """``{"when": …}`` or ``{"when_text": …}`` for the first date expression attached to the tokens of an
    event's scope (the trigger first, then the words that govern it), or ``{}``."""
    for tok in scope:
        for span in _dates_under(tok):
            when, words = resolve(span.text, published, future)
            if when:
                return {"when": when}
            if words:
                return {"when_text": words}
    return {}


def _dates_under(tok: Any) -> Iterable[Any]:
    """DATE entities in the phrases attached to ``tok`` (not in clauses of their own)."""
    doc = tok.doc
    seen: set[int] = set()
    stack = [c for c in tok.children if c.dep_ in ATTACH]
    while stack:
        c = stack.pop(0)
        if c.i in seen:
            continue
        seen.add(c.i)
        if c.ent_type_ == "DATE":
            start = c.i
            while start > 0 and doc[start].ent_iob_ == "I":
                start -= 1
            end = c.i + 1
            while end < len(doc) and doc[end].ent_iob_ == "I":
                end += 1
            yield doc[start:end]
            continue
        stack.extend(x for x in c.children if x.dep_ in ATTACH)
