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
