"""Sports results and standings in wire copy: the names on such lines are teams.

Agency sports pages print results and tables one line each::

    Grimsby 0 Portsmouth 1
    Leeds 2 Chelsea 1 ( half-time 1-0 )
    ATLANTA 84 50 .627 -
    Notts County 3 1 1 1 2 2 4

On such a line a city or a county names a team, an organisation, not the
place, and the model, trained on prose, mostly misses or mislabels them.
``team_spans(doc)`` gives the token spans of those names. A line qualifies
only when it is nothing but names and numbers in one of these two shapes:
``Name N Name N`` (a result) or ``Name`` followed by three or more numbers
(a table row).
"""

from __future__ import annotations

import re
from typing import Any

_NAME = r"[A-Z][A-Za-z.'&-]*(?: (?:[A-Z][A-Za-z.'&-]*|of|de|del|la|\( [A-Z]{1,4} \)))*"
_NUMBER = r"-?\d+(?:[./-]\d+)*|\.\d+|-"
_RESULT = re.compile(rf"^({_NAME}) \d+ ({_NAME}) \d+(?: \(.*\))? ?\.?$")
_TABLE_ROW = re.compile(rf"^({_NAME})((?: (?:{_NUMBER}))+)$")
MIN_TABLE_NUMBERS = 3


def team_spans(doc: Any) -> list[tuple[int, int]]:
    """Token spans (start, end) of the team names on results and table lines of ``doc``."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in doc.text.split("\n"):
        chars: list[tuple[int, int]] = []
        text = line.strip()
        offset = pos + (len(line) - len(line.lstrip()))
        result = _RESULT.match(text)
        if result:
            chars += [result.span(1), result.span(2)]
        else:
            row = _TABLE_ROW.match(text)
            if row and len(row.group(2).split()) >= MIN_TABLE_NUMBERS:
                chars.append(row.span(1))
        for s, e in chars:
            span = doc.char_span(offset + s, offset + e, alignment_mode="expand")
            if span is not None:
                out.append((span.start, span.end))
        pos += len(line) + 1
    return out


SPORT_MIN_WORDS = 4


def team_tokens(doc: Any) -> set[int]:
    """Tokens of proper nouns an article about sport uses as competitors (see ``data/entity_words.json``,
    'sport'): "England beat Ireland", "played for England", "defeat to France", "Deportivo coach"."""
    from kg.kinds import words

    sport = words().sport
    if len({t.lemma_.lower() for t in doc} & sport.words) < SPORT_MIN_WORDS:
        return set()
    out: set[int] = set()
    for tok in doc:
        if tok.pos_ != "PROPN" or tok.ent_type_ in ("PERSON", "NORP") or not (
            tok.ent_type_ in ("ORG", "FAC") or _place_name(doc, tok)
        ) or _first_name_before(doc, tok):
            continue  # a club or a place stands for a team, a person does not: "Hewitt beat Agassi"
        head = tok.head
        if tok.dep_ in ("nsubj", "nsubjpass", "dobj") and head.lemma_.lower() in sport.verbs:
            out.add(tok.i)
        elif (tok.dep_ == "pobj" and head.lower_ in ("for", "against", "to", "with", "over")
              and (head.head.lemma_.lower() in sport.verbs or head.head.lemma_.lower() in sport.events)):
            out.add(tok.i)
        elif tok.dep_ in ("compound", "nmod", "poss", "amod") and head.lemma_.lower() in sport.roles:
            out.add(tok.i)
    for i in list(out):
        out.update(c.i for c in doc[i].conjuncts)
    return out


def _place_name(doc: Any, tok: Any) -> bool:
    """Is ``tok`` (with the rest of its entity span) a country, region or city of the gazetteer?"""
    from kg.places import known_place

    if tok.ent_iob_ in ("B", "I"):
        start = tok.i
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        end = tok.i + 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        return known_place(doc[start:end].text) is not None
    return known_place(tok.text) is not None


def _first_name_before(doc: Any, tok: Any) -> bool:
    """ "Jonny Wilkinson" tagged as an organisation is still a player: a known first name opens it."""
    from kg.names import is_first_name

    i = tok.i
    while i > 0 and doc[i - 1].pos_ == "PROPN" and doc[i - 1].ent_iob_ == "I" or (
            i > 0 and doc[i].ent_iob_ == "I" and doc[i - 1].pos_ == "PROPN"):
        i -= 1
    return i < tok.i and is_first_name(doc[i].text)
