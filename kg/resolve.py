"""Entity resolution: mentions -> entities inside a document, then across documents.

Inside a document (``resolve_document``):

- mentions with the same normalised name are one entity ("Nato", "NATO"), and
  so are the forms the entity file gives one name ("Tories", "Conservatives");
- a person's short form goes to the full name it ends: "Ivanov" -> "Sergei
  Ivanov", "Fogh Rasmussen" -> "Anders Fogh Rasmussen", "Mr Blair" -> "Tony
  Blair", "Lord Kinnock" -> "Neil Kinnock"; a form of address that implies a
  gender goes only to a compatible full name ("Mrs Blair" -> Cherie Blair,
  not Tony Blair); when several full names fit, to the one mentioned last
  before it (or first after it). A first name alone goes to the one full name
  it opens ("Amanda" -> "Amanda Champion"); a one-word organisation or place
  that is the surname of a person in the document is that person;
- "Long Name (ACR)" defines an acronym; both forms are one entity;
- a country is named as the gazetteer names it ("U.S." -> United States);
- the type comes from all the entity's mentions (``kg.kinds.entity_type``).

Across documents (``merge``): entities with the same type and normalised name
are one node. A person known only by one name in a document (``scoped``) is
linked to another document's person only when exactly one full-name person
of the corpus has that surname, a compatible gender, and something in common
with it (a title, or another entity both documents name; two for a common
surname); otherwise it stays apart. Institutions every country has
("Parliament", "the Cabinet") never link documents. A person name that ends
exactly one longer name elsewhere joins it, and an acronym joins the one
organisation that defined it. Places get their gazetteer identifiers and
coordinates (``kg.places``), entities the entity file knows its identifiers. The merge across
documents lives in ``kg.crossdoc``, in steps a cluster can run without gathering the mentions.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

from kg.catalog import Catalog
from kg.gazetteer import Gazetteer, gazetteer
from kg.kinds import entity_type, is_generic, word_votes
from kg.model import EntityMention, LocalEntity
from kg.names import PersonName, compatible, honorifics, parse
from kg.places import known_place
from kg.vocab import EntityType

P, O, L = EntityType.PERSON, EntityType.ORGANIZATION, EntityType.PLACE

_ACRONYM_AFTER = re.compile(r"\s*\(\s*([A-Z][A-Za-z.&-]{1,11})\s*\)")
_SMALL_WORDS = frozenset({"of", "and", "the", "for", "de", "du", "la", "&", "on", "in"})


def norm(name: str) -> str:
    """The comparison key of a name: case-folded, dots dropped, dashes and spaces unified.

    >>> norm("U.S.") == norm("US"), norm("Nato") == norm("NATO")
    (True, True)
    """
    s = unicodedata.normalize("NFKC", name).casefold().replace(".", "")
    s = re.sub(r"[\u2010-\u2015-]", "-", s)
    return " ".join(s.split())


def slug(name: str) -> str:
    """ASCII slug for ids: "Sergei Ivanov" -> "sergei-ivanov"."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "x"


def initials(name: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s-]+", name) if w and w.lower() not in _SMALL_WORDS).upper()


@dataclass
class _Cluster:
    mentions: list[EntityMention] = field(default_factory=list)
    acronym: str | None = None

    def names(self) -> list[str]:
        return [m.name for m in self.mentions]


def resolve_document(
    mentions: Sequence[EntityMention], text: str, gaz: Gazetteer | None = None, catalog: Catalog | None = None
) -> list[LocalEntity]:
    """Group one document's mentions into entities. ``text`` is the document text (for acronyms)."""
    gaz = gaz or gazetteer()
    clusters: dict[str, _Cluster] = {}
    for m in mentions:
        clusters.setdefault(_key(m), _Cluster()).mentions.append(m)
    _link_acronyms(clusters, text)
    _link_aliases(clusters, text)
    _link_company_forms(clusters)
    _link_person_short_forms(clusters)
    entities: list[LocalEntity] = []
    for cluster in sorted(clusters.values(), key=lambda c: min(m.start for m in c.mentions)):
        etype = entity_type(cluster.mentions)
        if etype is not None:
            entities.append(_make_entity(len(entities), cluster, etype, gaz, catalog))
    return entities


def _key(m: EntityMention) -> str:
    """Mentions with one key are one entity: the entity file's name, else the name; a one-word
    person name with a form of address that tells a gender keeps it ("Mrs Blair" is not "Mr Blair")."""
    key = norm(m.canonical or m.name)
    if m.type is P and m.honorific and " " not in m.name:
        gender = honorifics().gender.get(m.honorific)
        if gender:
            key += f"|{gender}"
    return key


def _person(m: EntityMention) -> PersonName:
    return parse(f"{m.honorific} {m.name}" if m.honorific else m.name)


def _link_acronyms(clusters: dict[str, _Cluster], text: str) -> None:
    for key, cluster in list(clusters.items()):
        if key not in clusters:
            continue
        for m in cluster.mentions:
            found = _ACRONYM_AFTER.match(text, m.end)
            if not found:
                continue
            acr = found.group(1)
            if initials(m.name) != acr.replace(".", "").upper():
                continue
            cluster.acronym = acr
            other = clusters.pop(norm(acr), None)
            if other is not None and other is not cluster:
                cluster.mentions.extend(other.mentions)
            break
    # An acronym used alone that spells exactly one other organisation of the document.
    longs = {k: c for k, c in clusters.items() if _majority_type(c) is EntityType.ORGANIZATION and " " in k}
    for key, cluster in list(clusters.items()):
        name = cluster.mentions[0].name
        if not (name.replace(".", "").isupper() and 2 <= len(name.replace(".", "")) <= 8):
            continue
        matches = [c for c in longs.values() if initials(c.mentions[0].name) == name.replace(".", "")]
        if len(matches) == 1 and _majority_type(cluster) is EntityType.ORGANIZATION:
            matches[0].mentions.extend(clusters.pop(key).mentions)
            matches[0].acronym = matches[0].acronym or name
    # An acronym with two neighbouring letters swapped, a common typing slip ("ABD" for "ADB"), when it
    # spells no organisation itself and the swap gives the acronym of exactly one of the document.
    acronyms = {c.acronym or initials(c.mentions[0].name): k for k, c in clusters.items()
                if _majority_type(c) is EntityType.ORGANIZATION and (c.acronym or " " in k)}
    for key, cluster in list(clusters.items()):
        name = cluster.mentions[0].name
        if (key not in clusters or not (name.isupper() and name.isalpha() and len(name) >= 3) or name in acronyms
                or any(m.canonical for m in cluster.mentions)):
            continue
        swaps = {name[:i] + name[i + 1] + name[i] + name[i + 2:] for i in range(len(name) - 1)} - {name}
        found = {acronyms[a] for a in swaps if a in acronyms and acronyms[a] != key}
        if len(found) == 1:
            clusters[found.pop()].mentions.extend(clusters.pop(key).mentions)


# The legal or group form after a company's name: "Vodafone Group" and "Vodafone" are one company.
_COMPANY_FORMS = frozenset({"group", "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited",
                            "plc", "ag", "sa", "nv", "holdings", "llc", "gmbh", "spa", "ab", "asa", "se", "bhd"})


def _link_company_forms(clusters: dict[str, _Cluster]) -> None:
    """ "Vodafone Group said … Vodafone's Spanish unit", "Dow Chemical Co … Dow Chemical": one organisation,
    when the document names the company both with and without its legal or group form."""
    for key in list(clusters):
        words = key.split()
        if len(words) < 2 or words[-1].strip(",") not in _COMPANY_FORMS or key not in clusters:
            continue
        short = " ".join(words[:-1]).rstrip(",")
        if short == key or short not in clusters or short in _COMPANY_FORMS:
            continue
        if _majority_type(clusters[key]) is EntityType.ORGANIZATION and (
                _majority_type(clusters[short]) is EntityType.ORGANIZATION):
            clusters[key].mentions.extend(clusters.pop(short).mentions)


_ALIAS = re.compile(r"\s*,?\s*\(?\s*(?:aka|a\.k\.a\.?|also known as|better known as|known as|nicknamed|alias)\s+[\"'“‘]?",
                    re.IGNORECASE)


def _link_aliases(clusters: dict[str, _Cluster], text: str) -> None:
    """ "Marek Strihavka, aka Benny", "X, also known as Y": the name after the alias phrase is the same entity."""
    owner = {id(m): k for k, c in clusters.items() for m in c.mentions}
    by_start = {m.start: m for c in clusters.values() for m in c.mentions}
    for key in list(clusters):
        for m in list(clusters.get(key, _Cluster()).mentions):
            found = _ALIAS.match(text, m.end)
            other = by_start.get(found.end()) if found else None
            if other is None:
                continue
            target, source = owner[id(m)], owner[id(other)]
            if target == source or target not in clusters or source not in clusters:
                continue
            moved = clusters.pop(source).mentions
            clusters[target].mentions.extend(moved)
            for x in moved:
                owner[id(x)] = target


def _link_person_short_forms(clusters: dict[str, _Cluster]) -> None:
    types = {k: entity_type(c.mentions) for k, c in clusters.items()}
    addressed = {k.split("|")[0] for k, c in clusters.items() if any(m.honorific for m in c.mentions)}
    roots = {k: c for k, c in clusters.items() if len(k.split()) >= 2 and "|" not in k and _may_be_person(c, types[k],
             addressed)}
    # A full name that ends a longer one is the same person ("Fogh Rasmussen" in "Anders Fogh Rasmussen").
    for key in sorted(roots, key=lambda k: len(k.split())):
        longer = [r for r in roots if r != key and r.endswith(" " + key)]
        if len(longer) == 1 and key in clusters:
            clusters[longer[0]].mentions.extend(clusters.pop(key).mentions)
    roots = {k: c for k, c in clusters.items() if k in roots}
    parsed = {k: parse(max((m.name for m in c.mentions), key=lambda n: (len(n.split()), n))) for k, c in roots.items()}
    genders = {k: _cluster_gender(c, parsed[k]) for k, c in roots.items()}
    for key, cluster in sorted(clusters.items(), key=lambda kv: "|" not in kv[0]):
        if key in roots or key not in clusters or not _may_be_short_form(cluster, types[key]):
            continue
        word = key.split("|")[0]
        addressed_form = any(m.honorific for m in cluster.mentions)
        gender = next((honorifics().gender.get(m.honorific) for m in cluster.mentions if m.honorific), None)
        matching = [r for r in roots if norm(parsed[r].last) == word or r.endswith(" " + word)]
        matching = [r for r in matching if compatible(gender, genders[r])]
        if not matching:
            # a first name alone ("Amanda"); a name inside a longer one ("Lula" in "Luiz Inacio Lula da Silva")
            firsts = [r for r in roots if norm(parsed[r].first) == word] if not addressed_form else []
            inner = [r for r in roots if word in r.split()[1:]]
            matching = firsts if len(firsts) == 1 else inner if len(inner) == 1 else []
        if not matching and not addressed_form:
            # a bare surname beside the one addressed form of it: "Robertson" after "Lord Robertson"
            forms = [k for k in clusters if k.split("|")[0] == word and k != key
                     and any(m.honorific for m in clusters[k].mentions)]
            if len(forms) == 1:
                clusters[forms[0]].mentions.extend(clusters.pop(key).mentions)
            continue
        if not matching:
            continue
        clusters.pop(key)
        for m in cluster.mentions:
            target = _nearest_root(m, [roots[r] for r in matching])
            target.mentions.append(m)
    _link_generic_institutions(clusters, types)
    _link_first_words(clusters, types)
    for c in clusters.values():
        c.mentions.sort(key=lambda m: (m.start, m.end))


def _may_be_person(cluster: _Cluster, etype: EntityType, addressed: set[str]) -> bool:
    """A name of two or more words that is a person's: typed so, or the full form of a surname the
    document gives with a form of address ("Herve Gaymard" the model took for an organisation, then "Mr Gaymard")."""
    if any(m.canonical for m in cluster.mentions):
        return False
    if etype is P:
        return True
    name = max((m.name for m in cluster.mentions), key=lambda n: (len(n.split()), n))
    return norm(name.split()[-1]) in addressed and not word_votes(name) and known_place(name) is None


def _link_first_words(clusters: dict[str, _Cluster], types: dict[str, EntityType]) -> None:
    """ "Deportivo" after "Deportivo La Coruna": a one-word name that opens exactly one longer
    organisation or place of the document (and is no person, country or known name) is that entity."""
    for key in [k for k in clusters if " " not in k and "|" not in k and types.get(k) is not P]:
        cluster = clusters[key]
        if any(m.canonical for m in cluster.mentions) or known_place(cluster.mentions[0].name) is not None:
            continue
        longer = [k for k in clusters if k != key and types.get(k) in (O, L) and k.split()[0] == key
                  and " " in k and not any(m.canonical for m in clusters[k].mentions)]
        if len(longer) == 1:
            clusters[longer[0]].mentions.extend(clusters.pop(key).mentions)


def _link_generic_institutions(clusters: dict[str, _Cluster], types: dict[str, EntityType]) -> None:
    """ "the Commission" after "European Commission", "Supreme Court" after "US Supreme Court": an
    institution every country has is the one longer organisation of the document its name ends."""
    for key in [k for k in clusters if types.get(k) is O and is_generic(k)]:
        longer = [k for k in clusters if k != key and types.get(k) is O and k.endswith(" " + key)]
        if len(longer) == 1:
            clusters[longer[0]].mentions.extend(clusters.pop(key).mentions)


def _may_be_short_form(cluster: _Cluster, etype: EntityType | None) -> bool:
    """A one-word name that can be a person's short form: a person, or an organisation or a place the
    model may have mistaken ("Appathurai" ORG), but not a country or a name the entity file knows."""
    if any(m.canonical for m in cluster.mentions) or any(" " in m.name for m in cluster.mentions):
        return False
    if etype is P:
        return True
    name = cluster.mentions[0].name
    return known_place(name) not in ("country", "continent", "region")


def _cluster_gender(cluster: _Cluster, person: PersonName) -> str | None:
    told = {honorifics().gender.get(m.honorific) for m in cluster.mentions if m.honorific} - {None}
    if len(told) == 1:
        return told.pop()
    return person.gender


def _nearest_root(m: EntityMention, roots: list[_Cluster]) -> _Cluster:
    def distance(c: _Cluster) -> tuple[int, int]:
        before = [m.start - x.start for x in c.mentions if x.start < m.start and len(x.name.split()) > 1]
        after = [x.start - m.start for x in c.mentions if x.start > m.start and len(x.name.split()) > 1]
        return (0, min(before)) if before else (1, min(after) if after else 1 << 30)

    return min(roots, key=distance)


def _majority_type(cluster: _Cluster) -> EntityType:
    votes = Counter(m.type for m in cluster.mentions)
    order = [P, O, L]
    return max(order, key=lambda t: (votes[t], -order.index(t)))


def _make_entity(index: int, cluster: _Cluster, etype: EntityType, gaz: Gazetteer, catalog: Catalog | None) -> LocalEntity:
    mentions = tuple(sorted(cluster.mentions, key=lambda m: (m.start, m.end)))
    names = [m.name for m in mentions]
    surface = [" ".join(m.text.split()) or m.name for m in mentions]
    country = next((gaz.country(n) for n in names if gaz.country(n)), None) if etype is L else None
    name = _canonical_name(etype, mentions, cluster.acronym, country)
    titles = Counter(m.title for m in mentions if m.title)
    honorific = Counter(m.honorific for m in mentions if m.honorific)
    canonical = next((m.canonical for m in mentions if m.canonical), None)
    known = catalog.lookup(canonical) if catalog is not None and canonical else None
    return LocalEntity(
        index=index,
        type=etype,
        name=name,
        aliases=tuple(sorted(set(names) | set(surface))),
        mentions=mentions,
        titles=tuple(t for t, _ in sorted(titles.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))),
        acronym=cluster.acronym,
        scoped=etype is P and not parse(name).full and not canonical and not _peer(name),
        honorific=min(honorific, key=lambda h: (-honorific[h], h)) if honorific else None,
        ids=tuple(sorted(known.ids.items())) if known is not None else (),
    )


def _peer(name: str) -> bool:
    """ "Lord Woolf": a peerage names one person, so it may link documents as a full name does."""
    return parse(name).honorific in honorifics().peerage


def _canonical_name(etype: EntityType, mentions: Sequence[EntityMention], acronym: str | None, country: str | None) -> str:
    if country and etype is L:
        return country
    canonical = Counter(m.canonical for m in mentions if m.canonical)
    if canonical:
        return max(canonical, key=lambda n: (canonical[n], n))
    body = [m for m in mentions if not m.headline] or list(mentions)
    if etype is P:
        best = max(body, key=lambda m: (len(m.name.split()), sum(1 for x in body if x.name == m.name), -m.start))
        person = _person(best)
        if person.full:
            return best.name
        forms = Counter(_person(m).known_by for m in body if m.name == best.name)
        return max(forms, key=lambda n: (forms[n], len(n), n))
    if acronym:
        longs = [m for m in body if m.name != acronym and norm(m.name) != norm(acronym)]
        if longs:
            body = longs
    counts = Counter(m.name for m in body)
    return max(counts, key=lambda n: (counts[n], len(n), n))


# Across documents: kg.crossdoc (keys, summaries, the plan, the entities), run in one process by merge.
from kg.crossdoc import merge  # noqa: E402,F401
