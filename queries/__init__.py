"""The Cypher query library: one ``.cypher`` file per query, in Neo4j 5 Cypher.

A file starts with ``//`` comment lines: the description, then one line per parameter::

    // Who met whom: every MET_WITH relation, with its documents.
    // param name: string = null  Only the meetings of this entity; all when omitted.
    MATCH ...

A parameter without ``= default`` is required. Types are ``string``, ``int`` and ``float``; the
default is a JSON literal; ``in LOW..HIGH`` bounds a number (``// param depth: int = 1 in 1..3``),
and an ``int`` is always within 64 bits. A value outside is refused before the query runs. Every
value reaches the store as a query parameter.

``writes`` lists the clauses of a query that change a store (``CREATE``, ``SET``, ``DELETE``, a
procedure ``CALL`` …), found outside strings and comments: ``kg query`` refuses to run such a query
unless given ``--write``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from kg.errors import KGError

_NUMBER = r"-?\d+(?:\.\d+)?"
_PARAM = re.compile(rf"^param\s+(\w+)\s*:\s*(string|int|float)(?:\s*=\s*(\S+))?"
                    rf"(?:\s+in\s+({_NUMBER})\.\.({_NUMBER}))?\s*(.*)$")
INT64 = (-(2**63), 2**63 - 1)
_TYPES: dict[str, type] = {"string": str, "int": int, "float": float}
_KINDS = {"string": "string", "int": "int (a whole number)", "float": "float (a number)"}
_REQUIRED = object()


class QueryError(KGError):
    """A query file is malformed, unknown, or given parameters it does not take."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: Any = _REQUIRED
    help: str = ""
    low: float | None = None
    high: float | None = None

    @property
    def required(self) -> bool:
        return self.default is _REQUIRED

    @property
    def range(self) -> str:
        return "" if self.low is None else f"{_show(self.low)}..{_show(self.high)}"

    def convert(self, raw: str) -> Any:
        """A value from the command line, in this parameter's type and range."""
        try:
            value = _TYPES[self.type](raw)
        except ValueError:
            raise QueryError(f"parameter {self.name} wants {_KINDS[self.type]}, got {raw!r}") from None
        return self.check(value)

    def check(self, value: Any) -> Any:
        """``value`` if it is within the declared range (and, for an int, 64 bits); else a ``QueryError``."""
        if self.type == "string" or value is None:
            return value
        if self.type == "float" and not math.isfinite(value):
            raise QueryError(f"parameter {self.name} wants a finite number, got {value!r}")
        low, high = (self.low, self.high) if self.low is not None else (None, None)
        if self.type == "int":
            low = INT64[0] if low is None else max(low, INT64[0])
            high = INT64[1] if high is None else min(high, INT64[1])
        if (low is not None and value < low) or (high is not None and value > high):
            raise QueryError(f"parameter {self.name} must be from {_show(low)} to {_show(high)}, got {value!r}")
        return value


@dataclass(frozen=True)
class Query:
    name: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: str
    writes: tuple[str, ...] = ()
    """the clauses of ``text`` that change a store (``writes``); empty for a read-only query"""

    def bind(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The full parameter map: given values, then defaults. Unknown or missing parameters are errors."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise QueryError(f"query {self.name} takes no parameter {', '.join(unknown)}"
                             f" (it takes: {', '.join(known) or 'none'})")
        bound: dict[str, Any] = {}
        for p in self.params:
            if p.name in values:
                value = values[p.name]
                bound[p.name] = p.convert(value) if isinstance(value, str) and p.type != "string" else p.check(value)
            elif p.required:
                raise QueryError(f"query {self.name} needs --param {p.name}=… ({p.help or p.type})")
            else:
                bound[p.name] = p.default
        return bound


def parse(text: str, *, name: str, path: str = "", comment: str = "//") -> Query:
    """Read a query file's header and body (``comment`` is ``#`` for SPARQL files)."""
    description: list[str] = []
    params: list[Param] = []
    lines = text.splitlines()
    body_start = 0
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped.startswith(comment):
            body_start = i
            break
        note = stripped[len(comment):].strip()
        match = _PARAM.match(note)
        if match:
            pname, ptype, default, low, high, help_ = match.groups()
            try:
                value = _REQUIRED if default is None else json.loads(default)
            except json.JSONDecodeError:
                raise QueryError(f"{path or name}: default of {pname} is not a JSON literal: {default}") from None
            if low is not None and ptype == "string":
                raise QueryError(f"{path or name}: a range bounds a number, not the string {pname}")
            bounds = (None, None) if low is None else (_TYPES[ptype](float(low)), _TYPES[ptype](float(high)))
            param = Param(pname, ptype, value, help_.strip(), *bounds)
            if value is not _REQUIRED:
                try:
                    param.check(value)
                except QueryError as exc:
                    raise QueryError(f"{path or name}: default of {pname}: {exc}") from None
            params.append(param)
        elif note.startswith("param"):
            raise QueryError(f"{path or name}: cannot read parameter line {note!r}")
        else:
            description.append(note)
    else:
        body_start = len(lines)
    body = "\n".join(lines[body_start:]).strip()
    if not body:
        raise QueryError(f"{path or name}: no Cypher after the header")
    declared = {p.name for p in params}
    used = set(re.findall(r"\$(\w+)", body)) if comment == "//" else set()  # SPARQL binds ?variables
    if used - declared:
        raise QueryError(f"{path or name}: uses undeclared parameters {', '.join(sorted(used - declared))}")
    return Query(name, " ".join(description), tuple(params), body, path, writes(body) if comment == "//" else ())


def library() -> dict[str, Query]:
    """Every query shipped in this package, by name."""
    out = {}
    for entry in sorted(resources.files(__name__).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".cypher"):
            name = entry.name.removesuffix(".cypher")
            out[name] = parse(entry.read_text(encoding="utf-8"), name=name, path=f"queries/{entry.name}")
    return out


def sparql_library() -> dict[str, Query]:
    """The SPARQL queries (``queries/sparql/*.rq``), twins of Cypher queries of the same name.

    Their parameters are SPARQL variables bound before the query runs (``?name``), never text."""
    out = {}
    folder = resources.files(__name__).joinpath("sparql")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name.removesuffix(".rq")
            out[name] = parse(entry.read_text(encoding="utf-8"), name=name, path=f"queries/sparql/{entry.name}",
                              comment="#")
    return out


def find(name_or_path: str) -> Query:
    """A query of the library by name, or the user's own ``.cypher`` file by path."""
    return _find(name_or_path, ".cypher", "//", library, "kg query --list")


def find_sparql(name_or_path: str) -> Query:
    """A SPARQL query of the library by name, or the user's own ``.rq`` file by path."""
    return _find(name_or_path, ".rq", "#", sparql_library, "kg query --sparql --list")


def _find(name_or_path: str, suffix: str, comment: str, known, listing: str) -> Query:
    if name_or_path.endswith(suffix) or "/" in name_or_path:
        path = Path(name_or_path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise QueryError(f"{path}: cannot read: {exc.strerror or exc}") from None
        return parse(text, name=path.stem, path=str(path), comment=comment)
    queries = known()
    if name_or_path not in queries:
        raise QueryError(f"no query named {name_or_path!r}; `{listing}` shows them")
    return queries[name_or_path]


def _show(number: float | None) -> str:
    return "" if number is None else f"{number:g}" if isinstance(number, float) else str(number)


# Clauses that change a store, and procedures known to only read. Any other procedure CALL counts as a
# write: procedures can write (apoc.create.*, apoc.periodic.iterate, db.create.*).
_WRITE_WORDS = frozenset("CREATE MERGE DELETE DETACH SET REMOVE DROP FOREACH ALTER GRANT DENY REVOKE RENAME".split())
_READ_PROCEDURES = re.compile(r"^(db\.(labels|relationshiptypes|propertykeys|indexes|constraints|info|ping|schema\.\w+)"
                              r"|dbms\.(components|procedures|functions))$")
_LEXEME = re.compile(r"""
    (?P<skip>//[^\n]*|/\*.*?(?:\*/|\Z)|'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z)|`(?:[^`]|``)*(?:`|\Z))
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*)
  | (?P<other>[^\sA-Za-z_])
""", re.VERBOSE | re.DOTALL)


def writes(text: str) -> tuple[str, ...]:
    """The clauses of the Cypher ``text`` that change a store, in order of appearance, each once.

    Strings, comments and quoted names are skipped; a word after ``.``, ``:`` or ``$`` (a property,
    label or parameter) or before ``:`` (a map key) is a name, not a clause. A ``CALL`` of a procedure
    other than a few known to read (``db.labels`` …) counts as a write.

    >>> writes("MATCH (n {note: 'CREATE'}) // DELETE\\nDETACH DELETE n")
    ('DETACH', 'DELETE')
    """
    found: list[str] = []
    lexemes = [(m.lastgroup, m.group()) for m in _LEXEME.finditer(text) if m.lastgroup != "skip"]
    for i, (kind, value) in enumerate(lexemes):
        if kind != "word":
            continue
        before = lexemes[i - 1][1] if i else ""
        after = lexemes[i + 1][1] if i + 1 < len(lexemes) else ""
        if before in (".", ":", "$") or after == ":":
            continue
        word = value.upper()
        if word in _WRITE_WORDS:
            found.append(word)
        elif word == "CALL" and lexemes[i + 1:i + 2] and lexemes[i + 1][0] == "word":
            procedure = re.sub(r"\s+", "", lexemes[i + 1][1]).lower()
            if not _READ_PROCEDURES.match(procedure):
                found.append(f"CALL {procedure}")
    return tuple(dict.fromkeys(found))
