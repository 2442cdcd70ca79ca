"""Known entities: canonical names, types, aliases and external ids, from JSON Lines files.

The packaged ``data/entities.jsonl`` holds parties, international bodies,
institutions, news organisations and companies that news names by short forms
("Tories", "Lib Dems", "the Fed"), and words that are never entities there
(products, religions, competitions: ``"type": "none"``). A user adds their own
with ``kg build --entities FILE.jsonl`` (the same format; a user's entry wins
over a packaged one with the same alias). One object a line::

    {"name": "Liberal Democrats", "type": "Organization", "aliases": ["Lib Dems", "Lib Dem"],
     "ids": {"wikidata": "Q9624"}}

The schema is closed: ``name`` and ``type`` are required, ``aliases`` (strings)
and ``ids`` (``wikidata``, ``geonames_id``, ``iso_3166``) are optional, any other
key is an error naming the file and the line. Lines starting with ``//`` are comments. Aliases match case-sensitively on whole tokens; the
longest match wins.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from kg.errors import InputError
from kg.vocab import EntityType

KEYS = frozenset({"name", "type", "aliases", "ids"})
ID_KEYS = frozenset({"wikidata", "geonames_id", "iso_3166"})
"""External identifiers an entry may carry; they become the entity's attributes of the same name."""
NONE = "none"


@dataclass(frozen=True)
class KnownEntity:
    name: str
    type: EntityType | None
    """None: the words are never an entity (a product, a religion, a competition)"""
    aliases: tuple[str, ...] = ()
    ids: Mapping[str, str] = field(default_factory=dict)

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class Catalog:
    entries: tuple[KnownEntity, ...]
    _trie: dict[str, list[tuple[tuple[str, ...], int]]] | None = None

    def entry(self, index: int) -> KnownEntity:
        return self.entries[index]

    def lookup(self, name: str) -> KnownEntity | None:
        """The entry one of whose forms is exactly ``name``."""
        index = self._by_form().get(name)
        return None if index is None else self.entries[index]

    def _by_form(self) -> dict[str, int]:
        if not hasattr(self, "_forms"):
            forms: dict[str, int] = {}
            for i, e in enumerate(self.entries):
                for f in e.forms:
                    forms[f] = i  # later files win
            self._forms = forms
        return self._forms

    def compile(self, tokenize: Callable[[str], Sequence[str]]) -> None:
        """Index every form by its tokens, as the pipeline's tokenizer splits them."""
        trie: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for form, index in self._by_form().items():
            toks = tuple(tokenize(form))
            if toks:
                trie.setdefault(toks[0], []).append((toks, index))
        for cands in trie.values():
            cands.sort(key=lambda c: -len(c[0]))
        self._trie = trie

    def matches(self, words: Sequence[str]) -> list[tuple[int, int, int]]:
        """Non-overlapping (start, end, entry index) token spans of ``words``, longest first, left to right."""
        if self._trie is None:
            raise RuntimeError("Catalog.compile() first")
        out: list[tuple[int, int, int]] = []
        i, n = 0, len(words)
        while i < n:
            for toks, index in self._trie.get(words[i], ()):
                if tuple(words[i : i + len(toks)]) == toks:
                    out.append((i, i + len(toks), index))
                    i += len(toks)
                    break
            else:
                i += 1
        return out


def load_catalog(paths: Iterable[str | Path] = ()) -> Catalog:
    """The packaged entity file, then each of ``paths`` (later entries win on a shared alias).

    Raises ``InputError`` naming the file and line of a bad entry.
    """
    return catalog_of((str(path), read_entity_file(path)) for path in paths)


def read_entity_file(path: str | Path) -> str:
    """The text of an entity file; ``InputError`` naming it when it cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read entity file: {exc}") from exc


def catalog_of(files: Iterable[tuple[str, str]]) -> Catalog:
    """The packaged entity file, then each ``(name, text)`` of ``files`` (later entries win on a shared alias)."""
    entries = list(_packaged())
    for source, text in files:
        entries.extend(parse_entities(text, source))
    return Catalog(entries=tuple(entries))


@lru_cache(maxsize=1)
def _packaged() -> tuple[KnownEntity, ...]:
    text = resources.files("kg").joinpath("data/entities.jsonl").read_text(encoding="utf-8")
    return tuple(parse_entities(text, "kg/data/entities.jsonl"))


def parse_entities(text: str, source: str) -> list[KnownEntity]:
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            out.append(_entry(json.loads(line)))
        except (ValueError, TypeError) as exc:
            raise InputError(source, f"line {n}: {exc}") from exc
    return out


def _entry(obj: Any) -> KnownEntity:
    if not isinstance(obj, dict):
        raise ValueError("an entry is a JSON object")
    unknown = sorted(set(obj) - KEYS)
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(KEYS))})")
    name, kind = obj.get("name"), obj.get("type")
    if not isinstance(name, str) or not name.strip():
        raise ValueError("'name' must be a non-empty string")
    if kind == NONE:
        etype = None
    else:
        try:
            etype = EntityType(kind)
        except ValueError:
            allowed = ", ".join([t.value for t in EntityType] + [NONE])
            raise ValueError(f"'type' {kind!r} is not one of {allowed}") from None
    aliases = obj.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise ValueError("'aliases' must be a list of non-empty strings")
    ids = obj.get("ids", {})
    if not isinstance(ids, dict) or not all(isinstance(v, str) and v.strip() for v in ids.values()):
        raise ValueError("'ids' must map identifier schemes to non-empty strings")
    unknown_ids = sorted(set(ids) - ID_KEYS)
    if unknown_ids:
        raise ValueError(f"unknown identifier scheme(s) {', '.join(unknown_ids)} (allowed: {', '.join(sorted(ID_KEYS))})")
    return KnownEntity(name=name.strip(), type=etype, aliases=tuple(a.strip() for a in aliases), ids=dict(ids))
