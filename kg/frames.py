"""Relation patterns over the dependency parse. Each family is a small function
that yields ``Candidate``s: trigger, type, subject and object references.

- ``verb_frames``: a trigger verb with its subject (through control, raising,
  coordination, participles and relative clauses), its direct object and the
  objects of its prepositions ("offered technical aid to NATO", "meet with
  Medvedev", "withdraw troops from Moldova"), passive agents ("criticized …
  by some NATO diplomats"), reciprocal subjects ("Ivanov and Robertson shaking
  hands");
- ``noun_frames``: an event noun with its possessor or modifier as subject
  ("Russia's brief war with Georgia", "talks with President Medvedev" after
  "Rasmussen would secure … from"), its prepositions as object;
- ``position_frames``: a title next to a person and the organisation or
  country written with it ("NATO Secretary-General Anders Fogh Rasmussen",
  "Afghan President Hamid Karzai", "Rasmussen, a former prime minister of Denmark");
- ``place_frames``: "Brussels, Belgium", "the Afghan capital, Kabul".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, Sequence

from kg.lexicon import Lexicon, VerbSense
from kg.model import EntityMention
from kg.reference import NOMINAL_TYPES, Ref, Referents
from kg.vocab import EntityType, RelationType

CONFIDENCE = {
    "verb": 0.85, "passive": 0.8, "noun": 0.75, "position": 0.9, "member": 0.8, "base": 0.85, "unnamed": 0.6,
    "place": 0.85, "reciprocal": 0.8,
}
"""Base confidence of each rule; an argument found through a modifier costs x0.9, through a pronoun x0.85."""


@dataclass(frozen=True)
class Candidate:
    type: RelationType
    subjects: tuple[Ref, ...]
    objects: tuple[Ref, ...]
    trigger: Any
    rule: str
    theme: Any | None = None
    title: str | None = None
    actor_subject: bool = True  # may a capital stand for its state here?
    attributes: Mapping[str, Any] = field(default_factory=dict)


def verb_frames(doc: Any, refs: Referents, lex: Lexicon) -> Iterator[Candidate]:
    for tok in doc:
        if tok.lemma_.lower() not in lex.verbs:
            continue
        if tok.pos_ not in ("VERB", "AUX") and not (tok.pos_ == "NOUN" and tok.dep_ == "xcomp"):
            continue  # a verb the tagger called a noun still heads its clause: "is scheduled [meet] with"
        for sense in lex.verbs[tok.lemma_.lower()]:
            yield from _verb_sense(tok, sense, refs, lex)


def _verb_sense(tok: Any, sense: VerbSense, refs: Referents, lex: Lexicon) -> Iterator[Candidate]:
    children = list(tok.children)
    if sense.particle and not any(c.dep_ == "prt" and c.lower_ == sense.particle for c in children):
        return
    theme = next((c for c in children if c.dep_ == "dobj"), None)
    if sense.themes is not None and (theme is None or theme.lemma_.lower() not in sense.themes):
        return
    if sense.needs_aid and not _aid_complement(tok, lex):
        return
    if sense.type is RelationType.SUPPORTED and tok.dep_ in ("xcomp", "advcl") and any(
        v.type is RelationType.OFFERED_AID_TO for v in lex.verbs.get(tok.head.lemma_.lower(), ())
    ):
        return  # "offering backup to support NATO troops": the aid frame names NATO as recipient
    passive = next((c for c in children if c.dep_ == "nsubjpass"), None)
    rule = "verb"
    if passive is not None:
        objects = refs.of(passive)
        subjects = [r for c in children if c.dep_ == "agent" for r in refs.objects_of(c)]
        rule = "passive"
    else:
        subjects = refs.subject_of(tok)
        objects = _objects(tok, theme, sense, refs, lex)
    if not objects and (sense.reciprocal or sense.type.symmetric) and len(subjects) > 1:
        for i, a in enumerate(subjects):
            for b in subjects[i + 1 :]:
                yield Candidate(sense.type, (a,), (b,), tok, "reciprocal", theme)
        return
    if subjects and objects:
        yield Candidate(sense.type, tuple(subjects), tuple(objects), tok, rule, theme)


def _objects(tok: Any, theme: Any | None, sense: VerbSense, refs: Referents, lex: Lexicon) -> list[Ref]:
    objects: list[Ref] = []
    if theme is not None and sense.object_in_theme:
        for prep in theme.children:
            if prep.dep_ == "prep" and prep.lower_ in sense.preps:
                objects += refs.objects_of(prep)
    if theme is not None and (sense.direct_object or sense.object_in_theme) and not objects:
        possessive = {c.i for c in theme.children if c.dep_ == "poss" and c.pos_ == "PRON"}
        objects += [r for r in refs.of(theme) if r.token not in possessive]  # "offering its help": its = giver
    if sense.needs_aid:
        for comp in tok.children:
            if comp.dep_ in ("ccomp", "xcomp"):
                objects += [r for c in comp.children if c.dep_ == "nsubj" for r in refs.of(c)]
    heads = [tok] + ([theme] if theme is not None else [])
    for head in heads:
        for child in head.children:
            if child.dep_ in ("prep", "dative") and child.lower_ in sense.preps | ({"to"} if child.dep_ == "dative" else set()):
                objects += refs.objects_of(child)
            elif child.dep_ == "dative" and child.pos_ in ("NOUN", "PROPN", "PRON"):
                objects += refs.of(child)
    if not objects and sense.type is RelationType.OFFERED_AID_TO:
        objects += _aid_recipients(tok, lex, refs)
    unique: dict[int, Ref] = {}
    for r in objects:
        unique.setdefault(r.entity, r)  # first reference of each entity, in order
    return list(unique.values())


def _aid_recipients(tok: Any, lex: Lexicon, refs: Referents) -> list[Ref]:
    """The one helped, named by a verb inside the aid clause: "offering backup to support NATO troops",
    "provide assistance in training and equipping the Afghan forces"."""
    out: list[Ref] = []
    helping = lex.aid_verbs | {"support"}  # "to support NATO troops" names the recipient too
    for sub in tok.subtree:
        if sub is tok or sub.pos_ != "VERB":
            continue
        if sub.lemma_.lower() in helping and sub.dep_ in ("xcomp", "advcl", "pcomp", "conj"):
            for c in sub.children:
                if c.dep_ == "dobj":
                    out += refs.of(c)
    return out


def _aid_complement(tok: Any, lex: Lexicon) -> bool:
    """Does "want/urge/push X to …" ask for aid? ("want Moscow to do more by providing assistance")."""
    for sub in tok.subtree:
        if sub is tok:
            continue
        if sub.pos_ == "VERB" and sub.lemma_.lower() in lex.aid_verbs:
            return True
        if sub.pos_ == "NOUN" and sub.lemma_.lower() in lex.aid_nouns:
            return True
    return False


def noun_frames(doc: Any, refs: Referents, lex: Lexicon) -> Iterator[Candidate]:
    for tok in doc:
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in lex.nouns:
            continue
        rtype = lex.nouns[tok.lemma_.lower()]
        spec = lex.specs[rtype]
        governor = tok.head
        if tok.dep_ == "dobj" and governor.lemma_.lower() in lex.verbs:
            continue  # the verb's own frame reads it ("offered technical aid to NATO")
        subjects = [r for c in tok.children if c.dep_ == "poss" for r in refs.of(c)]
        if not subjects:
            subjects = [r for c in tok.children if c.dep_ in ("compound", "amod", "nmod") for r in refs.of(c)]
        objects: list[Ref] = []
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ in spec.noun_preps:
                found = refs.objects_of(prep)
                if prep.lower_ == "between" and not subjects and len(found) > 1:
                    subjects, found = found[:1], found[1:]
                objects += found
        if not subjects and objects:
            # "held talks with X" (a light verb), "secure … from talks with X" (a prepositional phrase)
            verb = None
            if tok.dep_ == "dobj" and governor.lemma_.lower() in lex.light_verbs:
                verb = governor
            elif tok.dep_ == "pobj" and governor.head.pos_ in ("VERB", "AUX"):
                verb = governor.head
            if verb is not None:
                subjects = refs.subject_of(verb)
        if subjects and not objects and rtype.symmetric and len(subjects) > 1:
            subjects, objects = subjects[:1], subjects[1:]
        if subjects and objects:
            yield Candidate(rtype, tuple(subjects), tuple(objects), tok, "noun")
