"""Relations: extracting what a document states, and merging it into graph relations.

``extract_relations`` runs the pattern families of ``kg.frames`` over a parsed
document, resolves their arguments (``kg.reference``), checks the types each
relation allows, lets a capital acting as an actor stand for its state
("Moscow has allowed NATO…" -> Russia, the surface form stays in the
evidence), and reads polarity, modality and speaker (``kg.qualify``). Every
relation carries its evidence: the sentence, its offsets in the document text
and the trigger word. Confidence is the rule's base (``kg.frames.CONFIDENCE``),
times 0.9 for an argument found as a modifier ("NATO peacekeeping troops") and
0.85 for one found through a pronoun or "the alliance".

``merge_relations`` turns every document's ``LocalRelation``s into ``Relation``s
between graph entities: one record per distinct (subject, type, object,
polarity, modality) (and predicate, for ``RELATED_TO``), listing every place
that states it. Symmetric types are stored with the smaller id as subject.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any, Callable, Iterator, Mapping, Sequence

from kg import frames, posts, qualify, timex
from kg.clean import CleanText
from kg.lexicon import Lexicon, load_lexicon
from kg.model import DocResult, EntityMention, Evidence, LocalEntity, LocalRelation, Relation, relation_id
from kg.reference import Ref, Referents
from kg.vocab import Modality, RelationType

_PENALTY = {"direct": 1.0, "modifier": 0.9, "coref": 0.85, "unnamed": 1.0}


def extract_relations(
    doc: Any,
    clean: CleanText,
    text: str,
    mentions: Sequence[EntityMention],
    entities: Sequence[LocalEntity],
    lex: Lexicon | None = None,
    published: dt.date | None = None,
) -> list[LocalRelation]:
    """Relations stated in one parsed document. ``text`` is the document text as read; ``published``
    the document's date, against which "on Friday" and "last month" are resolved."""
    lex = lex or load_lexicon()
    refs = Referents(doc, entities, lex)
    structural = list(posts.post_frames(doc, mentions, refs, lex))
    refs.affiliations = posts.affiliations(structural)  # "his firm": the body his post is in
    events = list(frames.verb_frames(doc, refs, lex))
    verb_triggers = frozenset(c.trigger.i for c in events)
    nouns = list(frames.noun_frames(doc, refs, lex, verb_triggers))
    related = frames.related_frames(doc, refs, lex, verb_triggers | {c.trigger.i for c in nouns})
    candidates = [*events, *nouns, *structural, *related]
    found: dict[tuple, LocalRelation] = {}
    for cand in candidates:
        if cand.rule not in posts.RULES and _headline_fragment(cand.trigger, clean):
            continue  # "Cherie accused of attacking Bush": a headline without a finite verb states no event
        spec = lex.specs.get(cand.type)
        pol = qualify.polarity(cand.trigger, lex, cand.theme)
        static = cand.rule in posts.RULES  # a title, a membership or a place states no event
        mod = Modality.ASSERTED if static else qualify.modality(cand.trigger, lex)
        time: dict[str, str] = {}
        if not static:
            mod, time = _time(cand.trigger, mod, lex, published)
        speaker = _speaker(cand.trigger, refs, lex)
        evidence = _evidence(doc, clean, text, cand.trigger)
        for s in cand.subjects:
            s = _actor(s, refs) if cand.actor_subject else s
            for o in cand.objects:
                if s.entity == o.entity:
                    continue
                if spec is not None and (
                    refs.type_of(s.entity) not in spec.subject_types or refs.type_of(o.entity) not in spec.object_types
                ):
                    continue
                confidence = frames.CONFIDENCE[cand.rule] * _PENALTY[s.how] * _PENALTY[o.how]
                attributes = {**({"title": cand.title} if cand.title else {}), **cand.attributes, **time}
                rel = LocalRelation(
                    subject=s.entity, type=cand.type, object=o.entity, polarity=pol, modality=mod,
                    confidence=round(confidence, 4), evidence=evidence, attributes=attributes,
                    reported_by=speaker if speaker != s.entity else None,  # a speaker who says what they do adds nothing
                )
                key = (s.entity, cand.type, o.entity, pol, mod, evidence.start)
                if key not in found or found[key].confidence < rel.confidence:
                    found[key] = rel
    return sorted(found.values(), key=lambda r: (r.evidence.start, r.type.value, r.subject, r.object))


def _headline_fragment(trigger: Any, clean: CleanText) -> bool:
    sent = trigger.sent
    if sent.start_char >= clean.headline_end:
        return False
    root = sent.root
    finite = root.tag_ in ("VBZ", "VBP", "VBD", "MD") or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP", "VBD", "MD") for c in root.children)
    return not finite


def _time(trigger: Any, mod: Modality, lex: Lexicon, published: dt.date | None) -> tuple[Modality, dict[str, str]]:
    """The event's time (``when`` or ``when_text``) and its modality once the time is known: a present-tense
    event dated after the article's date is planned ("Rasmussen arrives in Russia on Tuesday")."""
    scope = qualify.chain(trigger, lex)
    time = timex.event_time(scope, published, future=mod is Modality.FUTURE)
    present = trigger.tag_ in ("VBZ", "VBP") or (trigger.pos_ == "NOUN" and scope[-1].tag_ in ("VBZ", "VBP"))
    if mod is Modality.ASSERTED and present and time:
        ahead = timex.event_time(scope, published, future=True)
        if published is not None and ahead.get("when", "") > published.isoformat()[: len(ahead.get("when", ""))]:
            return Modality.FUTURE, ahead
        if published is None and "when_text" in ahead:
            return Modality.FUTURE, ahead
    return mod, time


def _actor(ref: Ref, refs: Referents) -> Ref:
    """A capital acting stands for its state, when the document names that state."""
    country = refs.country_of(ref.entity)
    return Ref(country, ref.how, ref.token) if country is not None else ref


def _speaker(trigger: Any, refs: Referents, lex: Lexicon) -> int | None:
    for tok in qualify.speaker_tokens(trigger, lex):
        found = refs.of(tok)
        if found:
            return found[0].entity
    return None


def _evidence(doc: Any, clean: CleanText, text: str, trigger: Any) -> Evidence:
    sent = trigger.sent
    first, last = sent[0], sent[-1]
    while first.is_space and first.i < last.i:
        first = doc[first.i + 1]
    while last.is_space and last.i > first.i:
        last = doc[last.i - 1]
    start, end = clean.to_source(first.idx, last.idx + len(last.text))
    tstart, tend = clean.to_source(trigger.idx, trigger.idx + len(trigger.text))
    return Evidence(doc=clean.doc_id, start=start, end=end, sentence=text[start:end], trigger=text[tstart:tend])


def merge_relations(results: Sequence[DocResult], local_to_id: Mapping[tuple[str, int], str]) -> list[Relation]:
    grouped: dict[tuple, list[tuple]] = defaultdict(list)
    for order, result in enumerate(results):
        doc_id = result.document.id
        for key, item in relation_items(order, result, lambda index: local_to_id.get((doc_id, index))):
            grouped[key].append(item)
    relations = [build_relation(key, items) for key, items in grouped.items()]
    relations.sort(key=lambda r: r.id)
    return relations


def relation_items(order: Any, result: DocResult, entity_id: Callable[[int], str | None]
                   ) -> Iterator[tuple[tuple, tuple]]:
    """A document's relations between graph entities (``entity_id`` maps a local index to an entity id),
    as (key, item) pairs: the relations with one key are one ``Relation`` (``build_relation``). An item
    carries the document's position ``order`` in the input, so the items of one key can be put back in
    input order wherever they were grouped."""
    for position, r in enumerate(result.relations):
        subject, obj = entity_id(r.subject), entity_id(r.object)
        if subject is None or obj is None:
            raise KeyError(f"{result.document.id}: relation between entities {r.subject} and {r.object}, not both known")
        if subject == obj:
            continue
        if r.type.symmetric and obj < subject:
            subject, obj = obj, subject
        speaker = entity_id(r.reported_by) if r.reported_by is not None else None
        predicate = str(r.attributes.get("predicate", "")) if r.type is RelationType.RELATED_TO else ""
        yield (subject, r.type, obj, r.polarity, r.modality, predicate), (order, position, r, speaker)


def build_relation(key: tuple, items: Sequence[tuple]) -> Relation:
    """One graph relation from the items (``relation_items``) of one key, in any order."""
    subject, rtype, obj, polarity, modality, predicate = key
    items = sorted(items, key=lambda item: item[:2])
    evidence = tuple(sorted({r.evidence for _, _, r, _ in items}))
    attributes: dict[str, object] = {}
    for _, _, r, _ in items:
        for k, v in sorted(r.attributes.items()):
            attributes.setdefault(k, v)
    if rtype.cameo:
        attributes["cameo"] = rtype.cameo
    speakers = Counter(s for _, _, _, s in items if s is not None)
    reported_by = min(speakers, key=lambda s: (-speakers[s], s)) if speakers else None
    return Relation(
        id=relation_id(subject, rtype, obj, polarity, modality, predicate),
        subject=subject,
        type=rtype,
        object=obj,
        polarity=polarity,
        modality=modality,
        confidence=max(r.confidence for _, _, r, _ in items),
        attributes=attributes,
        evidence=evidence,
        reported_by=reported_by,
    )


__all__ = ["Evidence", "build_relation", "merge_relations", "relation_items"]
