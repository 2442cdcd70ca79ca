"""Entity resolution: mentions -> entities inside a document, then across documents.

Inside a document (``resolve_document``):

- mentions with the same normalised name are one entity ("Nato", "NATO");
- a short person name goes to the full name it ends ("Ivanov" -> "Sergei Ivanov",
  "Fogh Rasmussen" -> "Anders Fogh Rasmussen"); when two full names share it,
  to the one mentioned last before it (or first after it);
- a one-word organisation that is the surname of a person in the document is
  that person (the model's "Appathurai" ORG);
- "Long Name (ACR)" defines an acronym; both forms are one entity;
- a country is named as the gazetteer names it ("U.S." -> United States);
- the type is the majority of the mentions' types.

Across documents (``merge``): entities with the same type and normalised name
are one node. A person known only by one name in a document (``scoped``) is
never merged with another document: a bare surname does not link documents.
A person name that ends exactly one longer name elsewhere joins it, and an
acronym joins the one organisation that defined it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from kg.gazetteer import Gazetteer, gazetteer
from kg.model import DocResult, Entity, EntityMention, LocalEntity, Mention
from kg.vocab import EntityType

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


def resolve_document(mentions: Sequence[EntityMention], text: str, gaz: Gazetteer | None = None) -> list[LocalEntity]:
    """Group one document's mentions into entities. ``text`` is the document text (for acronyms)."""
    gaz = gaz or gazetteer()
    clusters: dict[str, _Cluster] = {}
    for m in mentions:
        clusters.setdefault(norm(m.name), _Cluster()).mentions.append(m)
    _link_acronyms(clusters, text)
    _link_person_short_forms(clusters)
    entities = []
    for index, cluster in enumerate(sorted(clusters.values(), key=lambda c: c.mentions[0].start)):
        entities.append(_make_entity(index, cluster, gaz))
    return entities


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


def _link_person_short_forms(clusters: dict[str, _Cluster]) -> None:
    roots = {k: c for k, c in clusters.items() if _majority_type(c) is EntityType.PERSON and len(k.split()) >= 2}
    # A full name that ends a longer one is the same person ("Fogh Rasmussen" in "Anders Fogh Rasmussen").
    for key in sorted(roots, key=lambda k: len(k.split())):
        longer = [r for r in roots if r != key and r.endswith(" " + key)]
        if len(longer) == 1 and key in clusters:
            clusters[longer[0]].mentions.extend(clusters.pop(key).mentions)
    roots = {k: c for k, c in clusters.items() if k in roots}
    for key, cluster in list(clusters.items()):
        if key in roots:
            continue
        etype = _majority_type(cluster)
        if etype is EntityType.PLACE or (etype is EntityType.ORGANIZATION and len(key.split()) > 1):
            continue
        matching = [r for r in roots if r.endswith(" " + key)]
        if not matching:
            continue
        clusters.pop(key)
        for m in cluster.mentions:
            target = _nearest_root(m, [roots[r] for r in matching])
            target.mentions.append(m)
    for c in clusters.values():
        c.mentions.sort(key=lambda m: (m.start, m.end))


def _nearest_root(m: EntityMention, roots: list[_Cluster]) -> _Cluster:
    def distance(c: _Cluster) -> tuple[int, int]:
        before = [m.start - x.start for x in c.mentions if x.start < m.start and len(x.name.split()) > 1]
        after = [x.start - m.start for x in c.mentions if x.start > m.start and len(x.name.split()) > 1]
        return (0, min(before)) if before else (1, min(after) if after else 1 << 30)

    return min(roots, key=distance)


def _majority_type(cluster: _Cluster) -> EntityType:
    votes = Counter(m.type for m in cluster.mentions)
    order = [EntityType.PERSON, EntityType.ORGANIZATION, EntityType.PLACE]
    return max(order, key=lambda t: (votes[t], -order.index(t)))


def _make_entity(index: int, cluster: _Cluster, gaz: Gazetteer) -> LocalEntity:
    mentions = tuple(sorted(cluster.mentions, key=lambda m: (m.start, m.end)))
    etype = _majority_type(cluster)
    names = [m.name for m in mentions]
    surface = [" ".join(m.text.split()) or m.name for m in mentions]
    country = next((gaz.country(n) for n in names if gaz.country(n)), None)
    if country and (etype is not EntityType.PERSON or all(gaz.country(n) for n in names)):
        etype = EntityType.PLACE  # "Mali" tagged PERSON, never given a first name: the country
    name = _canonical_name(etype, mentions, cluster.acronym, country)
    titles = Counter(m.title for m in mentions if m.title)
    return LocalEntity(
        index=index,
        type=etype,
        name=name,
        aliases=tuple(sorted(set(names) | set(surface))),
        mentions=mentions,
        titles=tuple(t for t, _ in sorted(titles.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))),
        acronym=cluster.acronym,
        scoped=etype is EntityType.PERSON and len(name.split()) < 2,
    )


def _canonical_name(etype: EntityType, mentions: Sequence[EntityMention], acronym: str | None, country: str | None) -> str:
    if country and etype is EntityType.PLACE:
        return country
    body = [m for m in mentions if not m.headline] or list(mentions)
    if etype is EntityType.PERSON:
        return max(body, key=lambda m: (len(m.name.split()), sum(1 for x in body if x.name == m.name), -m.start)).name
    if acronym:
        longs = [m for m in body if m.name != acronym and norm(m.name) != norm(acronym)]
        if longs:
            body = longs
    counts = Counter(m.name for m in body)
    return max(counts, key=lambda n: (counts[n], len(n), n))


def merge(results: Iterable[DocResult]) -> tuple[list[Entity], dict[tuple[str, int], str]]:
    """Merge the documents' entities into graph entities.

    Returns the entities sorted by id and a map from (document id, local index) to entity id.
    """
    groups: dict[tuple, list[tuple[str, LocalEntity]]] = defaultdict(list)
    for result in results:
        for e in result.entities:
            key: tuple = (e.type, norm(e.name))
            if e.scoped:
                key += (result.document.id,)
            groups[key].append((result.document.id, e))
    _merge_across(groups)
    entities: list[Entity] = []
    local_to_id: dict[tuple[str, int], str] = {}
    used: set[str] = set()
    for key in sorted(groups, key=lambda k: (k[0].value, k[1:])):
        members = groups[key]
        entity = _global_entity(key, members, used)
        used.add(entity.id)
        entities.append(entity)
        for doc_id, e in members:
            local_to_id[(doc_id, e.index)] = entity.id
    entities.sort(key=lambda e: e.id)
    return entities, local_to_id


def _merge_across(groups: dict[tuple, list[tuple[str, LocalEntity]]]) -> None:
    persons = [k for k in groups if k[0] is EntityType.PERSON and len(k) == 2]
    for key in sorted(persons, key=lambda k: len(k[1].split())):
        if len(key[1].split()) < 2:
            continue
        longer = [k for k in persons if k != key and k in groups and k[1].endswith(" " + key[1])]
        if len(longer) == 1:
            groups[longer[0]].extend(groups.pop(key))
    orgs = [k for k in groups if k[0] is EntityType.ORGANIZATION]
    defined: dict[str, list[tuple]] = defaultdict(list)
    for k in orgs:
        for acr in {e.acronym for _, e in groups[k] if e.acronym}:
            defined[norm(acr)].append(k)
    for k in orgs:
        owners = [o for o in defined.get(k[1], []) if o != k]
        if len(owners) == 1 and k in groups and owners[0] in groups:
            groups[owners[0]].extend(groups.pop(k))


def _global_entity(key: tuple, members: list[tuple[str, LocalEntity]], used: set[str]) -> Entity:
    etype: EntityType = key[0]
    names = Counter(e.name for _, e in members)
    name = max(names, key=lambda n: (names[n], len(n.split()), len(n), n))
    base = f"{etype.prefix}:{slug(name)}"
    if len(key) == 3:
        base += f"--{slug(key[2])}"
    entity_id, n = base, 2
    while entity_id in used:
        entity_id, n = f"{base}-{n}", n + 1
    titles = Counter(t for _, e in members for t in e.titles)
    attributes: dict[str, object] = {}
    if titles:
        ranked = sorted(titles.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))
        attributes["title"] = ranked[0][0]
        if len(ranked) > 1:
            attributes["titles"] = sorted(titles)
    acronyms = sorted({e.acronym for _, e in members if e.acronym})
    if acronyms:
        attributes["acronym"] = acronyms[0]
    mentions = sorted(
        Mention(doc=doc_id, start=m.start, end=m.end, text=m.text) for doc_id, e in members for m in e.mentions
    )
    aliases = sorted({a for _, e in members for a in e.aliases} | {name})
    return Entity(
        id=entity_id, type=etype, name=name, aliases=tuple(aliases), attributes=attributes, mentions=tuple(mentions)
    )
