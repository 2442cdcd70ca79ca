"""Event relations over the dependency parse: a trigger word in a frame of the lexicon.

``verb_frames`` and ``noun_frames`` yield ``Candidate``s (trigger, type, subject
and object references). For each trigger the frames of ``data/lexicon.json``
are tried in their order and the first one whose slots are filled gives the
relation: one trigger, one frame, one type. "attack Blair's words" fills the
criticism frame (the owner of words); "attack the town" the fighting frame;
"provide troops to Mali" the deployment frame, never also the aid frame.

- a verb's subject is found through control, raising, coordination,
  participles and relative clauses; a passive's agent is its subject and its
  passive subject its object ("criticized … by some NATO diplomats");
- object slots: the direct object, a dative ("gave Kenya aid"), a preposition
  on the verb ("meet with Medvedev") or on the direct object ("offered
  technical aid to NATO"), the owner of the direct object ("criticised Bush's
  policies"), the subject or object of the verb's complement ("urged the BBC to
  give …", "threatened to invade Syria"), who an aid verb under it helps
  ("offering backup to support NATO troops");
- a frame's theme (the direct object's noun) must be one of its nouns ("send
  troops", "provide assistance", "sign a deal"); a frame that needs aid wants an
  aid noun or verb in the complement ("urge X to provide …");
- an event noun takes its possessor or modifier as subject ("Russia's brief war
  with Georgia"), or the subject of its light verb ("held talks with"), and its
  prepositions as object.

Noun phrases (posts, memberships, places) are ``kg.posts``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from kg.lexicon import MONEY, Frame, Lexicon
from kg.reference import Ref, Referents
from kg.vocab import EntityType, RelationType

CONFIDENCE = {
    "verb": 0.85, "passive": 0.7, "noun": 0.8, "position": 0.9, "member": 0.8, "base": 0.65, "unnamed": 0.6,
    "place": 0.85, "reciprocal": 0.8, "related": 0.7,
}
"""Base confidence of each rule, from its precision on the development data (bbc-dev and seed gold; CoNLL04
train for posts, memberships, seats and places: BASED_IN 0.59 there); an argument found through a
modifier costs x0.9, through a pronoun or a nominal x0.85. ``kg eval --gold`` prints precision by band."""


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
    for tok in refs.tokens:
        frames = lex.verb_frames.get(tok.lemma_.lower())
        if not frames:
            continue
        if tok.pos_ not in ("VERB", "AUX") and not (tok.pos_ == "NOUN" and tok.dep_ == "xcomp"):
            continue  # a verb the tagger called a noun still heads its clause: "is scheduled [meet] with"
        for frame in frames:
            found = list(_verb_frame(tok, frame, refs, lex))
            if found:
                yield from found
                break  # one trigger, one frame


def _verb_frame(tok: Any, frame: Frame, refs: Referents, lex: Lexicon) -> Iterator[Candidate]:
    children = list(tok.children)
    if frame.particle and not any(c.dep_ == "prt" and c.lower_ == frame.particle for c in children):
        return
    if frame.particle_or_prep and not any(c.dep_ in ("prt", "prep") and c.lower_ == frame.particle_or_prep
                                          for c in children):
        return  # "called on the US", not "called the meeting"
    theme = next((c for c in children if c.dep_ == "dobj"), None)
    if frame.theme_prep:
        # "supply Afghan forces with weapons": what is given follows the preposition
        given = [p for c in children if c.dep_ == "prep" and c.lower_ == frame.theme_prep for p in c.children
                 if p.dep_ == "pobj"]
        if not given or (frame.theme is not None and not _theme_fits(given[0], frame.theme)):
            return
    elif frame.theme is not None and not _theme_fits(theme, frame.theme):
        return
    if frame.needs_aid and not _asks_for_aid(tok, lex):
        return
    if frame.not_with and any(c.dep_ == "prep" and c.lower_ in frame.not_with for c in children):
        return  # "clashed with Brussels over spending plans": a dispute over a matter, no fighting
    if frame.not_under and tok.dep_ in ("xcomp", "advcl") and tok.head.lemma_.lower() in frame.not_under:
        return  # "offering backup to support NATO troops": the aid frame names NATO as recipient
    passive = next((c for c in children if c.dep_ == "nsubjpass"), None)
    rule = "verb"
    if passive is not None:
        objects = refs.of(passive)
        subjects = [r for c in children if c.dep_ == "agent" for r in refs.objects_of(c)]
        rule = "passive"
    else:
        subjects = refs.subject_of(tok)
        objects = _objects(tok, theme, frame, refs, lex)
    if tok.lemma_.lower() in frame.verbal_for and objects:
        # "attack" is criticism only of a person or of words and plans, not of a town
        owners = {r.entity for r in _theme_owners(theme, frame, refs)}
        objects = [r for r in objects if r.entity in owners or refs.type_of(r.entity) is EntityType.PERSON]
    subjects = [r for r in subjects if refs.type_of(r.entity) in frame.subject_types]
    objects = [r for r in objects if refs.type_of(r.entity) in frame.object_types]
    if not objects and frame.reciprocal and len(subjects) > 1:
        for i, a in enumerate(subjects):
            for b in subjects[i + 1 :]:
                yield Candidate(frame.type, (a,), (b,), tok, "reciprocal", theme)
        return
    if subjects and objects:
        yield Candidate(frame.type, tuple(subjects), tuple(objects), tok, rule, theme)


def _theme_fits(theme: Any | None, nouns: frozenset[str]) -> bool:
    if theme is None:
        return False
    if theme.lemma_.lower() in nouns or theme.lower_ in nouns:
        return True
    if MONEY in nouns and (theme.ent_type_ == "MONEY" or theme.text[:1] in "$£€" or any(
            c.ent_type_ == "MONEY" for c in theme.subtree)):
        return True  # "donated $1m to the Red Cross"
    # "a 'sizable' aid contribution", "technical aid": the noun's compound names the kind
    return any(c.dep_ == "compound" and c.lemma_.lower() in nouns for c in theme.children)


def _objects(tok: Any, theme: Any | None, frame: Frame, refs: Referents, lex: Lexicon) -> list[Ref]:
    objects: list[Ref] = []
    slots = frame.slots
    for slot in slots:
        if slot == "dobj" and theme is not None:
            possessive = {c.i for c in theme.children if c.dep_ == "poss" and c.pos_ == "PRON"}
            objects += [r for r in refs.of(theme) if r.token not in possessive]  # "offering its help": its = giver
        elif slot == "dative":
            for child in tok.children:
                if child.dep_ == "dative" and child.pos_ in ("NOUN", "PROPN", "PRON"):
                    objects += refs.of(child)
                elif child.dep_ == "dative":
                    objects += refs.objects_of(child)
        elif slot == "theme_owner":
            objects += _theme_owners(theme, frame, refs)
        elif slot in ("complement_subject", "complement_object"):
            dep = "nsubj" if slot == "complement_subject" else "dobj"
            for comp in tok.children:
                if comp.dep_ in ("ccomp", "xcomp"):
                    objects += [r for c in comp.children if c.dep_ == dep for r in refs.of(c)]
        elif slot == "aid_recipient":
            objects += _aid_recipients(tok, lex, refs)
        elif slot.startswith("theme:") and theme is not None:
            for prep in theme.children:
                if prep.dep_ == "prep" and prep.lower_ == slot[6:]:
                    objects += refs.objects_of(prep)
        elif slot.startswith("theme_subtree:") and theme is not None:
            for prep in theme.subtree:
                if prep.dep_ == "prep" and prep.lower_ == slot[14:] and prep is not theme:
                    objects += refs.objects_of(prep)
        elif ":" not in slot:
            for child in tok.children:
                if child.dep_ in ("prep", "dative", "prt") and child.lower_ == slot:
                    objects += refs.objects_of(child)
                    if child.dep_ == "prt":  # "called on the US": 'on' taken as a particle
                        objects += [r for c in tok.children if c.dep_ == "dobj" for r in refs.of(c)]
    if any(r.how != "modifier" for r in objects):
        # "borders ex-Soviet states in Central Asia": a modifier of the direct object only when nothing better
        objects = [r for r in objects if r.how != "modifier" or r.token not in (theme.i if theme is not None else -1,)
                   and not (theme is not None and r.token in {t.i for t in theme.subtree})]
    unique: dict[int, Ref] = {}
    for r in objects:
        unique.setdefault(r.entity, r)  # first reference of each entity, in order
    return list(unique.values())


def _theme_owners(theme: Any | None, frame: Frame, refs: Referents) -> list[Ref]:
    """ "criticised George W Bush's policies", "attack Mr Blair's words", "condemned the attack by Hamas":
    the owner, or the agent, of a criticisable thing."""
    if theme is None or theme.lemma_.lower() not in frame.theme_owner_nouns:
        return []
    return [r for c in theme.children if c.dep_ in ("poss", "compound", "nmod") for r in refs.of(c)] + [
        r for c in theme.children if c.dep_ == "prep" and c.lower_ == "by" for r in refs.objects_of(c)]


def _aid_recipients(tok: Any, lex: Lexicon, refs: Referents) -> list[Ref]:
    """The one helped, named by a verb inside the aid clause: "offering backup to support NATO troops",
    "provide assistance in training and equipping the Afghan forces"."""
    out: list[Ref] = []
    for sub in tok.subtree:
        if sub is tok or sub.pos_ != "VERB":
            continue
        if sub.lemma_.lower() in lex.aid_verbs and sub.dep_ in ("xcomp", "advcl", "pcomp", "conj"):
            for c in sub.children:
                if c.dep_ == "dobj":
                    out += refs.of(c)
    return out


def _asks_for_aid(tok: Any, lex: Lexicon) -> bool:
    """Does "urge X to …" ask for aid: an aid noun or verb in what is asked
    ("want Moscow to do more by providing assistance", "urged the BBC to give …")."""
    for sub in tok.subtree:
        if sub is tok:
            continue
        if sub.pos_ == "VERB" and sub.lemma_.lower() in lex.aid_verbs:
            return True
        if sub.pos_ == "NOUN" and sub.lemma_.lower() in lex.aid_nouns:
            return True
    return False


def noun_frames(doc: Any, refs: Referents, lex: Lexicon, verb_triggers: frozenset[int] = frozenset()
                ) -> Iterator[Candidate]:
    """``verb_triggers``: tokens whose verb frame gave a relation; their direct objects are read there."""
    for tok in refs.tokens:
        frames = lex.noun_frames.get(tok.lemma_.lower())
        if tok.pos_ != "NOUN" or not frames:
            continue
        governor = tok.head
        if tok.dep_ == "dobj" and governor.i in verb_triggers:
            continue  # the verb's own frame reads it ("offered technical aid to NATO")
        for frame in frames:
            found = list(_noun_frame(tok, frame, refs, lex))
            if found:
                yield from found
                break


def _noun_frame(tok: Any, frame: Frame, refs: Referents, lex: Lexicon) -> Iterator[Candidate]:
    governor = tok.head
    subjects = [r for c in tok.children if c.dep_ == "poss" for r in refs.of(c)]
    modifiers = [r for c in tok.children if c.dep_ in ("compound", "amod", "nmod") for r in refs.of(c)]
    objects: list[Ref] = []
    if "compound" in frame.slots:
        objects += [r for r in modifiers if refs.type_of(r.entity) in frame.object_types]  # "a Moscow visit"
        modifiers = [r for r in modifiers if r not in objects]
    if not subjects:
        subjects = modifiers
    preps = [p for p in tok.children if p.dep_ == "prep" and p.lower_ in frame.preps]
    if not preps and tok.dep_ == "dobj":
        # "increase UK aid to Africa": the parser hung the noun's preposition on its verb
        preps = [p for p in governor.children if p.dep_ == "prep" and p.lower_ in frame.preps and p.i > tok.i]
    for prep in preps:
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
    if subjects and not objects and frame.type.symmetric and len(subjects) > 1:
        subjects, objects = subjects[:1], subjects[1:]
    subjects = [r for r in subjects if refs.type_of(r.entity) in frame.subject_types]
    objects = [r for r in objects if refs.type_of(r.entity) in frame.object_types]
    if subjects and objects:
        yield Candidate(frame.type, tuple(subjects), tuple(objects), tok, "noun")


_WHERE = frozenset({"in", "at", "on"})


def _verb_lemma(tok: Any, verbs: frozenset[str]) -> str | None:
    """The verb of ``verbs`` the token is, past a lemmatiser slip ("fined" -> "fin", not "fine")."""
    lemma = tok.lemma_.lower()
    if lemma in verbs:
        return lemma
    low = tok.lower_
    if tok.tag_ in ("VBD", "VBN") and low.endswith("ed"):
        return next((c for c in (low[:-1], low[:-2]) if c in verbs), None)
    return None


def related_frames(doc: Any, refs: Referents, lex: Lexicon, used: frozenset[int]) -> Iterator[Candidate]:
    """``RELATED_TO``: a linking verb of the lexicon ('related.verbs': acquire, sue, beat, appoint, tell …)
    that no frame reads, with its subject and its direct object or the object of its own preposition
    ("Mr Blunkett told the Daily Telegraph", "the Court of Appeal quashed …", "Archos launched its range
    in Las Vegas"), or in the passive its agent and its subject ("Google was fined by the European
    Commission"); the verb phrase is the ``predicate``. Only names and pronouns count as arguments,
    never a modifier ("US consumers")."""
    for tok in refs.tokens:
        lemma = _verb_lemma(tok, lex.related_verbs)
        if tok.i in used or tok.pos_ != "VERB" or lemma is None:
            continue
        particle = next((c.lower_ for c in tok.children if c.dep_ == "prt"), "")
        verb = f"{lemma} {particle}".strip()
        passive = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        agents = [r for c in tok.children if c.dep_ == "agent" for r in refs.objects_of(c) if r.how == "direct"]
        if passive is not None and agents:
            # "Google has been fined by the European Commission": the agent acts on the subject
            patients = [r for r in refs.of(passive) if r.how in ("direct", "coref")]
            patients = [r for r in patients if r.entity not in {a.entity for a in agents}]
            if patients:
                yield Candidate(RelationType.RELATED_TO, tuple(agents[:1]), tuple(patients[:1]), tok, "related",
                                attributes={"predicate": verb})
            continue
        subjects = [r for r in refs.subject_of(tok) if r.how in ("direct", "coref")]
        if not subjects:
            continue
        has_object = any(c.dep_ == "dobj" for c in tok.children)
        for child in tok.children:
            if child.dep_ == "dobj":
                objects, predicate = refs.of(child), verb
            elif child.dep_ in ("prep", "dative") and child.lower_ in lex.related_preps:  # "sold X to [dative] Y"
                objects, predicate = refs.objects_of(child), f"{verb} {child.lower_}"
                if has_object and child.lower_ in _WHERE:
                    # "Glamorgan beat Durham at Chester-le-Street", "told reporters in Paris": where it
                    # happened, not a party to it
                    objects = [r for r in objects if refs.type_of(r.entity) is not EntityType.PLACE]
            else:
                continue
            objects = [r for r in objects if r.how == "direct" and r.entity not in {s.entity for s in subjects}]
            if objects:
                yield Candidate(RelationType.RELATED_TO, tuple(subjects[:1]), tuple(objects[:1]), tok, "related",
                                attributes={"predicate": predicate})
