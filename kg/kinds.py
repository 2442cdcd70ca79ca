"""What kind of thing a name is: one node type for each entity, from all its evidence.

``entity_type(mentions)`` decides the type of one entity of a document from
its mentions:

1. a name the entity file knows has the file's type;
2. a form of address ("Mr", "Lord") makes a person, and so does a title read
   next to the name ("Home Secretary", "author"); a place named as a competitor
   in sport is a team, an organisation (``kg.scores``);
3. a country is a place;
4. a known first name opening a name of two or more words makes a person,
   unless the name's words say otherwise (below);
5. a common noun beside a mention tells its type: "airline Virgin Blue",
   "actress Sandra Bullock", "the Herald newspaper" (``context_cue``);
6. the name's first and last words (``data/entity_words.json``: "… Party",
   "… Airlines", "Bank of …" organisation; "… Street", "Lake …" place);
7. a gazetteer place (a city of 15,000 people or more, a region, a
   continent) is a place: a place the model calls a person is thus checked,
   not trusted, unless it is only a town's name (under 100,000 people), which
   is as often a surname ("Wright", "Mason");
8. otherwise the model's labels, by majority.

``is_not_entity(name)`` is true for names whose last word makes them an event,
a law, a document or a competition ("Criminal Justice Act", "Champions League").
``is_generic(name)`` is true for institutions every country has ("Parliament",
"the Cabinet"): they do not link articles.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Sequence

from kg.model import EntityMention
from kg.names import is_first_name, is_surname
from kg.places import big_place, known_place
from kg.vocab import EntityType

P, O, L = EntityType.PERSON, EntityType.ORGANIZATION, EntityType.PLACE
LABEL_TYPES = {"PERSON": P, "ORG": O, "GPE": L, "LOC": L, "FAC": L}
ORDER = (P, O, L)


@dataclass(frozen=True)
class Sport:
    words: frozenset[str]
    verbs: frozenset[str]
    events: frozenset[str]
    roles: frozenset[str]


@dataclass(frozen=True)
class Words:
    org_heads: frozenset[str]
    org_first: frozenset[str]
    org_inside: frozenset[str]
    place_heads: frozenset[str]
    place_first: frozenset[str]
    not_entity_heads: frozenset[str]
    generic: frozenset[str]
    product_nouns: frozenset[str]
    before: dict[str, EntityType]
    after: dict[str, EntityType]
    animals: frozenset[str]
    sport: Sport
    works: frozenset[str]
    work_heads: frozenset[str]
    member_for: frozenset[str]
    shared_titles: frozenset[str]
    portfolios: frozenset[str]


@lru_cache(maxsize=1)
def words() -> Words:
    data = json.loads(resources.files("kg").joinpath("data/entity_words.json").read_text(encoding="utf-8"))
    return Words(
        org_heads=frozenset(data["organization"]["heads"]),
        org_first=frozenset(data["organization"]["first"]),
        org_inside=frozenset(data["organization"]["inside"]),
        place_heads=frozenset(data["place"]["heads"]),
        place_first=frozenset(data["place"]["first"]),
        not_entity_heads=frozenset(data["not_entity"]["heads"]),
        generic=frozenset(n.lower() for n in data["generic_institutions"]),
        product_nouns=frozenset(data["product_nouns"]),
        before={w: EntityType(t) for t, ws in data["context_nouns"]["before"].items() for w in ws},
        after={w: EntityType(t) for t, ws in data["context_nouns"]["after"].items() for w in ws},
        animals=frozenset(data["animal_nouns"]),
        sport=Sport(**{k: frozenset(v) for k, v in data["sport"].items()}),
        works=frozenset(data["work_nouns"]),
        work_heads=frozenset(data["work_heads"]),
        member_for=frozenset(data["member_for"]),
        shared_titles=frozenset(data["shared_titles"]),
        portfolios=frozenset(data["portfolios"]),
    )


def is_not_entity(name: str) -> bool:
    parts = name.split()
    if len(parts) < 2:
        return False
    heads = words().not_entity_heads
    return parts[-1] in heads or " ".join(parts[-2:]) in heads


def is_generic(name: str) -> bool:
    return name.lower().removeprefix("the ") in words().generic


def word_votes(name: str) -> Counter[EntityType]:
    """Votes of a name's first and last words ("… Airlines", "Bank of …", "… Street"), of an ampersand
    (a body) and a county's "-shire" (a place), and of a place followed by a plural, which names a team
    or a company ("Sale Sharks", "Chicago Bulls")."""
    parts = name.split()
    votes: Counter[EntityType] = Counter()
    if "&" in parts or any("&" in p and p.upper() == p for p in parts):
        votes[O] += 1  # "Douglas & Lomason", "AT&T": no person's name has an ampersand
        return votes
    if len(parts) < 2:
        if name.lower().endswith("shire") and len(name) > 6:
            votes[L] += 1  # "Worcestershire": a county (or its side), never a person
        return votes
    w = words()
    if parts[-1] in w.org_heads or parts[0] in w.org_first:
        votes[O] += 1
    if parts[-1] in w.place_heads or parts[0] in w.place_first:
        votes[L] += 1
    if votes[L] and any(p in w.org_inside for p in parts[1:-1]):
        votes[O] += 2  # "Center for Strategic Studies", "Veterans Administration Medical Center"
    if (not votes and len(parts) == 2 and parts[-1].endswith("s") and known_place(parts[0]) == "city"
            and not is_first_name(parts[0]) and not is_surname(parts[-1])):
        votes[O] += 1
    return votes


def context_cue(doc: Any, start: int, end: int) -> EntityType | None:
    """The type a common noun beside the name ``doc[start:end]`` tells: "airline Virgin Blue",
    "actress Sandra Bullock", "the city of Basra" (before), "the Herald newspaper" (after)."""
    w = words()
    if end < len(doc) and doc[end - 1].head.i == end and doc[end].lower_ in w.after:
        return w.after[doc[end].lower_]
    root = doc[start:end].root
    if (start >= 1 and doc[start - 1].lower_ in w.before and doc[start - 1].pos_ == "NOUN"
            and root.dep_ not in ("nsubj", "nsubjpass")):
        return w.before[doc[start - 1].lower_]  # not "told the website Ford did not deserve …"
    if start >= 2 and doc[start - 1].lower_ == "of" and w.before.get(doc[start - 2].lower_) is L:
        return L
    if start >= 2 and doc[start - 1].lower_ == "for" and doc[start - 2].lower_ in w.member_for:
        return L  # a constituency: "MP for Sheffield Hallam", "entered Parliament for Bedwellty"
    if end + 2 < len(doc) and doc[end].text == "," and doc[end + 2].text == "," and doc[end + 1].text.isdigit() and (
        12 <= int(doc[end + 1].text) <= 110
    ):
        return P  # an age: "Ulf D. Merbold, 47, of the European Space Agency"
    if end < len(doc) and doc[end].text == ",":
        from kg.gazetteer import gazetteer

        titles = gazetteer()
        for c in root.children:
            if (c.dep_ == "appos" and c.i > end and c.pos_ == "NOUN" and titles.is_title_word(c.text)
                    and c.lower_ not in w.shared_titles and not c.ent_type_):
                return P  # "Harrington, a professor of political science at Queens College"
            if (c.dep_ == "appos" and c.i > end and c.pos_ == "NOUN" and w.before.get(c.lower_) is O
                    and any(d.lower_ in ("a", "an", "the") for d in c.children)):
                return O  # "Sun Hung Kai Properties, a Hong Kong construction firm"
    if end - start == 1 and root.pos_ == "PROPN" and not is_first_name(root.text):
        # "Guildford and Woolwich": a name coordinated with a known place is a place too
        if any(c.pos_ == "PROPN" and known_place(c.text) in ("city", "region", "country") for c in root.conjuncts):
            return L
    return None


def is_work(doc: Any, start: int) -> bool:
    """A film, book, show or song: "the storyline of EastEnders", "a sequel to Gladiator"."""
    return start >= 2 and doc[start - 1].lower_ in ("of", "to") and doc[start - 2].lower_ in words().works


_TITLE_INNER = ("with", "the")


def inside_titled_work(doc: Any, start: int, end: int) -> bool:
    """A name inside a title that its kind follows: "Breakfast with Frost programme", "Mock the Week show"."""
    def capital(i: int) -> bool:
        return 0 <= i < len(doc) and doc[i].text[:1].isupper() and not doc[i].is_sent_start

    first, last, inner = start, end, False
    while first > 0 and (capital(first - 1) or doc[first - 1].lower_ in _TITLE_INNER and capital(first - 2)):
        inner |= doc[first - 1].lower_ in _TITLE_INNER
        first -= 1
    while last < len(doc) and (capital(last) or doc[last].lower_ in _TITLE_INNER and capital(last + 1)):
        inner |= doc[last].lower_ in _TITLE_INNER
        last += 1
    return inner and last < len(doc) and doc[last].lower_ in words().work_heads


def is_animal(doc: Any, start: int, end: int) -> bool:
    """A name given to an animal or a breed: "guide dog Lucy", "Sadie, a black retriever cross",
    "a Labrador-curly-coated retriever"."""
    animals = words().animals
    if start >= 1 and doc[start - 1].lower_ in animals:
        return True
    root = doc[start:end].root
    if any(t.dep_ == "appos" and any(x.lemma_.lower() in animals for x in t.subtree) for t in root.children):
        return True
    head = root
    for _ in range(3):
        if head.dep_ not in ("npadvmod", "advmod", "amod", "compound", "nmod") or head.head.i == head.i:
            break
        head = head.head
    return head is not root and (head.lemma_.lower() in animals or any(
        c.dep_ in ("compound", "amod") and c.lemma_.lower() in animals for c in head.children))


def entity_type(mentions: Sequence[EntityMention]) -> EntityType:
    """The node type of one entity of a document, from all its mentions, strongest evidence first:
    the entity file; a form of address or a title; a country; a known first name opening a longer name;
    a common noun beside a mention ("airline Virgin Blue"); the name's words; a gazetteer place; the
    model's labels, by majority."""
    known = Counter(m.type for m in mentions if m.canonical is not None)
    if known:
        return max(ORDER, key=lambda t: (known[t], -ORDER.index(t)))
    if any(m.honorific for m in mentions) or any(m.title and m.type is P for m in mentions):
        return P
    labels = Counter(m.type for m in mentions)
    if any(m.team for m in mentions) and not (
        labels[P] * 2 > len(mentions) and any(m.type is P and len(m.name.split()) >= 2 for m in mentions)
    ):
        # a place named as a competitor is a team: "England beat Ireland", "Leeds 2 Hull 0"; a player the
        # model took for a club once ("Wilkinson to miss Ireland match") and named in full elsewhere is not
        return O
    names = sorted({m.name for m in mentions}, key=lambda n: (-len(n.split()), n))
    places = [known_place(n) for n in names]
    if "country" in places:
        return L
    votes: Counter[EntityType] = Counter()
    for n in names:
        votes.update(word_votes(n))
    cues = Counter(m.cue for m in mentions if m.cue is not None)
    cue = max(ORDER, key=lambda t: (cues[t], -ORDER.index(t))) if cues else None
    label = max(ORDER, key=lambda t: (labels[t], -ORDER.index(t)))
    longest = names[0].split()
    if len(longest) >= 2 and is_first_name(longest[0]) and not votes and (
        known_place(longest[0]) not in ("country", "region") or labels[P] * 2 > len(mentions)
    ) and not (cue is not None and cue is label and label is not P):
        # "China Daily", "Virginia Tech": a country or region that is a first name too opens a person's
        # name only where the model says so; "Sun Hung Kai Properties, a Hong Kong firm": a first name
        # opens no person's name where the model and a noun beside it agree it is something else
        return P
    if cue is not None:
        return cue
    if votes:
        return max(ORDER, key=lambda t: (votes[t], -ORDER.index(t)))
    if any(places) and (labels[P] * 2 <= len(mentions) or any(big_place(n) for n in names)):
        return L
    return max(ORDER, key=lambda t: (labels[t], -ORDER.index(t)))
