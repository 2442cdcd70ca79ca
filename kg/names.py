"""Names of people: forms of address, the parts of a name, and what a first name tells.

In: a person's name as written ("Mr Blair", "Lord Kinnock of Bedwellty",
"Luiz Inacio Lula da Silva"). Out: a ``PersonName`` with the form of address
(``honorific``), the name without it, its first and last parts, the gender the
form of address or the first name implies (only to keep "Mrs Blair" away from
Tony Blair), and a peer's territorial designation.

The splitting is nameparser's (``HumanName``: particles such as "da Silva" and
"de Gaulle" stay in the surname); the forms of address and what they imply are
``data/honorifics.json``; first names and their gender are the US Census lists
shipped by the ``names`` package (public domain data).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

MALE, FEMALE = "m", "f"


@dataclass(frozen=True)
class Honorifics:
    gender: dict[str, str]
    """form (as written, without a final dot) -> MALE or FEMALE"""
    forms: frozenset[str]
    """every form of address"""
    peerage: frozenset[str]
    known_by: frozenset[str]

    def form(self, word: str) -> str | None:
        """The form of address ``word`` is ("Mr." -> "Mr"), or None."""
        w = word.rstrip(".")
        return w if w in self.forms else None


@lru_cache(maxsize=1)
def honorifics() -> Honorifics:
    data = json.loads(resources.files("kg").joinpath("data/honorifics.json").read_text(encoding="utf-8"))
    gender = {w: MALE for w in data["male"]} | {w: FEMALE for w in data["female"]}
    forms = frozenset(data["male"]) | frozenset(data["female"]) | frozenset(data["other"])
    return Honorifics(gender=gender, forms=forms, peerage=frozenset(data["peerage"]),
                      known_by=frozenset(data["known_by"]))


@lru_cache(maxsize=1)
def first_names() -> dict[str, str | None]:
    """Lower-cased first name -> MALE, FEMALE or None (used for both, or far more for neither)."""
    counts: dict[str, dict[str, float]] = {}
    for fname, gender in (("dist.male.first", MALE), ("dist.female.first", FEMALE)):
        for line in resources.files("names").joinpath(fname).read_text(encoding="ascii").splitlines():
            parts = line.split()
            if len(parts) >= 2:
                counts.setdefault(parts[0].lower(), {})[gender] = float(parts[1])
    out: dict[str, str | None] = {}
    for name, by in counts.items():
        m, f = by.get(MALE, 0.0), by.get(FEMALE, 0.0)
        out[name] = MALE if m > 4 * f else FEMALE if f > 4 * m else None
    return out


@lru_cache(maxsize=1)
def _surname_share() -> dict[str, float]:
    out: dict[str, float] = {}
    for line in resources.files("names").joinpath("dist.all.last").read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            out[parts[0].lower()] = float(parts[1])
    return out


def common_surname(surname: str) -> bool:
    """One of the most frequent surnames (0.05% of people or more: Smith, Johnson, Brown, Clarke, ...)."""
    return _surname_share().get(surname.lower(), 0.0) >= 0.05


def is_surname(word: str) -> bool:
    """A surname of the US Census list (88,799 names)."""
    return word.lower() in _surname_share()


def is_first_name(word: str) -> bool:
    return word.lower() in first_names()


@dataclass(frozen=True)
class PersonName:
    name: str
    """the name without its form of address: "Tony Blair", "Blair", "Kinnock\""""
    honorific: str | None = None
    first: str = ""
    last: str = ""
    gender: str | None = None
    peer_of: str | None = None
    """the territorial designation of a peer: "Bedwellty" in "Lord Kinnock of Bedwellty\""""

    @property
    def full(self) -> bool:
        """Does the name give more than one part ("Tony Blair", not "Blair")?"""
        return bool(self.first) and bool(self.last)

    @property
    def known_by(self) -> str:
        """How to call a person the text never names in full: "Lord Woolf", but "Blair" for "Mr Blair"."""
        if self.honorific in honorifics().known_by and not self.full:
            return f"{self.honorific} {self.name}"
        return self.name


@lru_cache(maxsize=65536)
def parse(text: str) -> PersonName:
    """Split a person's name as written.

    >>> n = parse("Lord Kinnock of Bedwellty"); (n.name, n.honorific, n.last, n.peer_of)
    ('Kinnock', 'Lord', 'Kinnock', 'Bedwellty')
    >>> n = parse("Mrs Blair"); (n.name, n.gender, n.full)
    ('Blair', 'f', False)
    """
    from nameparser import HumanName

    hon = honorifics()
    words = text.split()
    honorific = None
    while len(words) > 1 and hon.form(words[0]):
        honorific = honorific or hon.form(words[0])
        words = words[1:]
    peer_of = None
    if honorific in hon.peerage and "of" in words[1:-1]:
        k = words.index("of", 1)
        peer_of = " ".join(words[k + 1 :])
        words = words[:k]
    name = " ".join(words)
    if len(words) == 1:
        first, last = "", words[0]
    else:
        parsed = HumanName(name)
        # nameparser keeps particles in the surname ("da Silva"); a word it took for a title is a first name here
        first = parsed.first if parsed.first and not parsed.title else words[0]
        last = parsed.last if parsed.last and parsed.last != first else words[-1]
    gender = _gender(honorific, first)
    return PersonName(name=name, honorific=honorific, first=first, last=last, gender=gender, peer_of=peer_of)


def _gender(honorific: str | None, first: str) -> str | None:
    if honorific is not None and honorific in honorifics().gender:
        return honorifics().gender[honorific]
    return first_names().get(first.lower()) if first else None


def compatible(a: str | None, b: str | None) -> bool:
    """Can two genders (None = unknown) be one person's?"""
    return a is None or b is None or a == b
