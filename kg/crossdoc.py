"""Cross-document resolution, in three steps that need not run in one process.

The rules are those of ``kg.resolve`` (its module docstring says what joins what). They are split so
that a cluster can run them without gathering the documents' mentions in one place:

1. **Keys and summaries** (per document, anywhere): every entity of a document has a resolution key
   (``entity_key``: type and normalised name, plus the document for a person known by one name or a
   generic institution), and a ``KeySummary`` that adds up, in any order, what the rules read about
   all the entities with that key: their names, acronyms, the genders their forms of address tell,
   title words, and the first one in input order. ``doc_context`` is the keys a document names.
2. **The plan** (one place, over summaries only, no mentions): ``Resolution`` joins keys the way
   ``merge`` always did (a person's name that ends one longer name, an acronym that one organisation
   defined, a person known by a surname that one full-name person of the corpus fits) and gives every
   key its entity id. Linking surnames reads the context of the documents involved; ``context_needs``
   says which, so a cluster only computes those.
3. **The entities** (per entity, anywhere): ``build_entity`` makes an ``Entity`` from the entities of
   all documents that got one id.

``merge`` runs the three steps in one process. The answer does not depend on the order in which
summaries were added up, nor on how the documents were partitioned: only on input order, which every
summary carries (``order``: any comparable value, the document's position in the input).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping, Sequence

from kg.gazetteer import gazetteer
from kg.kinds import is_generic
from kg.model import DocResult, Entity, LocalEntity, Mention
from kg.names import common_surname, compatible, honorifics, parse
from kg.places import identify
from kg.vocab import EntityType

P, O, L = EntityType.PERSON, EntityType.ORGANIZATION, EntityType.PLACE

Key = tuple
"""(EntityType, normalised name), or (EntityType, normalised name, document id) for an entity scoped to one document"""


def entity_key(doc_id: str, e: LocalEntity) -> Key:
    """The resolution key of entity ``e`` of document ``doc_id``."""
    from kg.resolve import norm

    key: Key = (e.type, norm(e.name))
    if e.scoped or (e.type is O and is_generic(e.name)):
        key += (doc_id,)
    return key


def doc_context(result: DocResult) -> frozenset[Key]:
    """The keys of the entities a document names that may link documents (not those scoped to it)."""
    doc_id = result.document.id
    return frozenset(k for k in (entity_key(doc_id, e) for e in result.entities) if len(k) == 2)


def countries(context: Iterable[Key]) -> frozenset[str]:
    """The place names among a document's keys (to choose among places of one name)."""
    return frozenset(k[1] for k in context if k[0] is L)


def title_words(titles: Iterable[str]) -> frozenset[str]:
    return frozenset(w.lower() for t in titles for w in t.split() if w.lower() not in ("former", "the", "of"))


@dataclass(frozen=True)
class KeySummary:
    """What the plan reads about all the entities with one key; ``a + b`` adds two up (in any order).

    ``first`` is (order, index, name, honorific, titles) of the first entity in input order."""

    key: Key
    first: tuple
    names: Counter = field(default_factory=Counter)
    acronyms: frozenset[str] = frozenset()
    genders: frozenset[str] = frozenset()
    title_words: frozenset[str] = frozenset()

    @classmethod
    def of(cls, key: Key, order: Any, e: LocalEntity) -> KeySummary:
        gender = honorifics().gender.get(e.honorific or "")
        return cls(key, (order, e.index, e.name, e.honorific, e.titles), Counter({e.name: 1}),
                   frozenset({e.acronym} if e.acronym else ()), frozenset({gender} if gender else ()),
                   title_words(e.titles))

    def __add__(self, other: KeySummary) -> KeySummary:
        return KeySummary(self.key, min(self.first, other.first, key=lambda f: f[:2]), self.names + other.names,
                          self.acronyms | other.acronyms, self.genders | other.genders,
                          self.title_words | other.title_words)


def summaries(order: Any, result: DocResult) -> Iterator[KeySummary]:
    """One summary per entity of a document at position ``order`` of the input."""
    doc_id = result.document.id
    for e in result.entities:
        yield KeySummary.of(entity_key(doc_id, e), order, e)


def add_up(items: Iterable[KeySummary], into: dict[Key, KeySummary] | None = None) -> dict[Key, KeySummary]:
    out = {} if into is None else into
    for s in items:
        out[s.key] = out[s.key] + s if s.key in out else s
    return out


def entity_name(etype: EntityType, names: Counter) -> str:
    """The name of an entity from the names its documents give it: the commonest, a person's full name first."""
    name = max(names, key=lambda n: (names[n], len(n.split()), len(n), n))
    if etype is P:
        full = Counter({n: c for n, c in names.items() if parse(n).full})
        if full:
            name = max(full, key=lambda n: (full[n], len(n.split()), len(n), n))
    return name


class Resolution:
    """The plan over all keys' summaries: which keys are one entity, and its id.

    After construction the keys are joined by name and acronym (``group_of``); ``context_needs`` says
    which documents' contexts (``doc_context``) and which groups' contexts (the union of the contexts of
    every document naming a member of the group) ``plan`` reads to link surnames; ``plan`` returns the
    entity id of every key.
    """

    def __init__(self, summaries: Mapping[Key, KeySummary]) -> None:
        self.summaries = dict(summaries)
        ordered = sorted(self.summaries.values(), key=lambda s: s.first[:2])
        # A group is keyed by its first key; its members are keys, in the order they joined it.
        self.groups: dict[Key, list[Key]] = {s.key: [s.key] for s in ordered}
        self._merge_across()
        self.group_of = {k: g for g, members in self.groups.items() for k in members}
        self.by_surname: dict[str, list[Key]] = defaultdict(list)
        for g in self.groups:
            if g[0] is P and len(g) == 2:
                person = parse(self.summaries[g].first[2])
                if person.full:
                    self.by_surname[_norm(person.last)].append(g)
        self.scoped = sorted(k for k in self.groups if k[0] is P and len(k) == 3)

    def _merge_across(self) -> None:
        groups, summaries = self.groups, self.summaries
        persons = [k for k in groups if k[0] is P and len(k) == 2]
        for key in sorted(persons, key=lambda k: len(k[1].split())):
            if len(key[1].split()) < 2:
                continue
            longer = [k for k in persons if k != key and k in groups and k[1].endswith(" " + key[1])]
            if len(longer) == 1:
                groups[longer[0]].extend(groups.pop(key))
        orgs = [k for k in groups if k[0] is O]
        defined: dict[str, list[Key]] = defaultdict(list)
        for k in orgs:
            for acr in sorted({a for m in groups[k] for a in summaries[m].acronyms}):
                defined[_norm(acr)].append(k)
        for k in orgs:
            owners = [o for o in defined.get(k[1], []) if o != k]
            if len(owners) == 1 and k in groups and owners[0] in groups:
                groups[owners[0]].extend(groups.pop(k))

    def _scoped_person(self, key: Key):
        _, _, name, honorific, titles = self.summaries[key].first
        person = parse(f"{honorific} {name}" if honorific and honorific not in name else name)
        return person, honorifics().gender.get(honorific or ""), titles

    def context_needs(self) -> tuple[set[str], set[Key]]:
        """The documents whose context, and the groups whose context, ``plan`` needs."""
        docs: set[str] = set()
        targets: set[Key] = set()
        for key in self.scoped:
            person, _, _ = self._scoped_person(key)
            found = self.by_surname.get(_norm(person.last), [])
            if found:
                docs.add(key[2])
                targets.update(found)
        return docs, targets

    def plan(self, doc_contexts: Mapping[str, frozenset[Key]], group_contexts: Mapping[Key, set[Key]]) -> dict[Key, str]:
        """The entity id of every key. ``doc_contexts`` and ``group_contexts`` cover ``context_needs``."""
        groups = {g: list(m) for g, m in self.groups.items()}
        genders: dict[Key, set[str]] = {}
        contexts: dict[Key, set[Key]] = {}
        words: dict[Key, set[str]] = {}

        def state(g: Key) -> None:
            if g not in genders:
                genders[g] = set().union(*(self.summaries[m].genders for m in groups[g]))
                contexts[g] = set(group_contexts.get(g, ()))
                words[g] = set().union(*(self.summaries[m].title_words for m in groups[g]))

        def group_gender(g: Key) -> str | None:
            state(g)
            told = genders[g]
            if len(told) == 1:
                return next(iter(told))
            return parse(self.summaries[g].first[2]).gender if not told else None

        for key in self.scoped:
            person, gender, titles = self._scoped_person(key)
            candidates = [c for c in self.by_surname.get(_norm(person.last), []) if compatible(gender, group_gender(c))]
            if len(candidates) != 1:
                continue
            target = candidates[0]
            context = doc_contexts.get(key[2], frozenset())
            shared = context & contexts[target] - {target}
            same_title = title_words(titles) & words[target]
            needed = 2 if common_surname(person.last) else 1
            if same_title or len(shared) >= needed:
                groups[target].extend(groups.pop(key))
                genders[target] |= self.summaries[key].genders
                contexts[target] |= context
                words[target] |= self.summaries[key].title_words

        ids: dict[Key, str] = {}
        used: set[str] = set()
        for g in sorted(groups, key=lambda k: (k[0].value, k[1:])):
            from kg.resolve import slug

            names = sum((self.summaries[m].names for m in groups[g]), Counter())
            base = f"{g[0].prefix}:{slug(entity_name(g[0], names))}"
            if len(g) == 3:
                base += f"--{slug(g[2])}"
            entity_id, n = base, 2
            while entity_id in used:
                entity_id, n = f"{base}-{n}", n + 1
            used.add(entity_id)
            for m in groups[g]:
                ids[m] = entity_id
        return ids


def _norm(name: str) -> str:
    from kg.resolve import norm

    return norm(name)


def build_entity(entity_id: str, members: Sequence[tuple[str, LocalEntity]], near: Iterable[str] = ()) -> Entity:
    """The graph entity ``entity_id`` from the (document id, entity) pairs the plan gave that id.

    ``near``: the place names of the documents that name it (for a place: which of several places of one
    name it is). The result does not depend on the order of ``members``."""
    etype: EntityType = members[0][1].type
    name = entity_name(etype, Counter(e.name for _, e in members))
    attributes: dict[str, object] = {}
    titles = Counter(t for _, e in members for t in e.titles)
    if titles:
        ranked = sorted(titles.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))
        attributes["title"] = ranked[0][0]
        if len(ranked) > 1:
            attributes["titles"] = sorted(titles)
    acronyms = sorted({e.acronym for _, e in members if e.acronym})
    if acronyms:
        attributes["acronym"] = acronyms[0]
    honorific = Counter(e.honorific for _, e in members if e.honorific)
    if honorific:
        attributes["honorific"] = min(honorific, key=lambda h: (-honorific[h], h))
    for scheme, value in sorted({kv for _, e in members for kv in e.ids}):
        attributes.setdefault(scheme, int(value) if scheme == "geonames_id" and value.isdigit() else value)
    if etype is L:
        for k, v in identify(name, sorted(gazetteer().country(c) or c for c in set(near))).items():
            attributes.setdefault(k, v)
    mentions = sorted(
        Mention(doc=doc_id, start=m.start, end=m.end, text=m.text) for doc_id, e in members for m in e.mentions
    )
    aliases = sorted({a for _, e in members for a in e.aliases} | {name})
    return Entity(
        id=entity_id, type=etype, name=name, aliases=tuple(aliases), attributes=attributes, mentions=tuple(mentions)
    )


def merge(results: Iterable[DocResult]) -> tuple[list[Entity], dict[tuple[str, int], str]]:
    """Merge the documents' entities into graph entities, in one process.

    Returns the entities sorted by id and a map from (document id, local index) to entity id.
    """
    results = list(results)
    sums: dict[Key, KeySummary] = {}
    contexts: dict[str, frozenset[Key]] = {}
    for order, result in enumerate(results):
        add_up(summaries(order, result), sums)
        contexts[result.document.id] = doc_context(result)
    resolution = Resolution(sums)
    docs, targets = resolution.context_needs()
    group_contexts: dict[Key, set[Key]] = defaultdict(set)
    if targets:
        for result in results:
            doc_id = result.document.id
            for e in result.entities:
                g = resolution.group_of[entity_key(doc_id, e)]
                if g in targets:
                    group_contexts[g] |= contexts[doc_id]
    ids = resolution.plan({d: contexts[d] for d in docs}, group_contexts)
    members: dict[str, list[tuple[str, LocalEntity]]] = defaultdict(list)
    local_to_id: dict[tuple[str, int], str] = {}
    for result in results:
        doc_id = result.document.id
        for e in result.entities:
            entity_id = ids[entity_key(doc_id, e)]
            members[entity_id].append((doc_id, e))
            local_to_id[(doc_id, e.index)] = entity_id
    entities = []
    for entity_id in sorted(members):
        group = members[entity_id]
        near = set().union(*(countries(contexts[d]) for d, _ in group)) if group[0][1].type is L else ()
        entities.append(build_entity(entity_id, group, near))
    return entities, local_to_id


__all__ = ["KeySummary", "Resolution", "add_up", "build_entity", "countries", "doc_context", "entity_key",
           "merge", "summaries"]
