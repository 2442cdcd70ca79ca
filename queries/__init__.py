"""The Cypher query library: one ``.cypher`` file per query, in Neo4j 5 Cypher.

A file starts with ``//`` comment lines: the description, then one line per parameter::

    // Who met whom: every MET_WITH relation, with its documents.
    // param name: string = null  Only the meetings of this entity; all when omitted.
    MATCH ...

A parameter without ``= default`` is required. Types are ``string``, ``int`` and ``float``; the
default is a JSON literal. Every value reaches the store as a query parameter.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from kg.errors import KGError

_PARAM = re.compile(r"^param\s+(\w+)\s*:\s*(string|int|float)(?:\s*=\s*(\S+))?\s*(.*)$")
_TYPES: dict[str, type] = {"string": str, "int": int, "float": float}
_REQUIRED = object()


class QueryError(KGError):
    """A query file is malformed, unknown, or given parameters it does not take."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: Any = _REQUIRED
    help: str = ""

    @property
    def required(self) -> bool:
        return self.default is _REQUIRED

    def convert(self, raw: str) -> Any:
        """A value from the command line, in this parameter's type."""
        try:
            return _TYPES[self.type](raw)
        except ValueError:
            raise QueryError(f"parameter {self.name} wants {self.type}, got {raw!r}") from None


@dataclass(frozen=True)
class Query:
    name: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: str

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
                bound[p.name] = p.convert(value) if isinstance(value, str) and p.type != "string" else value
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
            pname, ptype, default, help_ = match.groups()
            try:
                value = _REQUIRED if default is None else json.loads(default)
            except json.JSONDecodeError:
                raise QueryError(f"{path or name}: default of {pname} is not a JSON literal: {default}") from None
            params.append(Param(pname, ptype, value, help_.strip()))
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
    return Query(name, " ".join(description), tuple(params), body, path)


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
