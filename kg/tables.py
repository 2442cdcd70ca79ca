"""Query results as text: an aligned table for people, JSON or CSV for programs."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

FORMATS = ("table", "json", "csv")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def render(rows: Sequence[dict[str, Any]], fmt: str = "table", *, width: int = 60) -> str:
    """``rows`` (dicts with the same keys, in column order) as ``table``, ``json`` or ``csv``.

    In a table, a cell longer than ``width`` is cut with "…"; JSON and CSV keep every value whole.
    """
    if fmt == "json":
        return json.dumps(list(rows), ensure_ascii=False, indent=2)
    columns = list(rows[0]) if rows else []
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_text(row.get(c)) for c in columns] for row in rows)
        return buf.getvalue().rstrip("\n")
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}")
    if not rows:
        return "(no rows)"
    cells = [[_cut(_text(row.get(c)), width) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
