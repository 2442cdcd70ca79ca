"""Polarity, modality and attribution of a trigger, read from the parse, by scope.

The trigger's *scope* is the trigger and the words that govern it as part of
the same event: the verbs that control it ("refused to [send]", "plans to
[visit]", "is to [visit]"), the noun whose complement it is ("its pledge to
[withdraw]", "no interest in [providing]"), the light verb of an event noun
("held [talks]"), a coordinated verb that shares its subject ("has supported …
and [contributed]"). The scope stops at a clause of its own: a complement
clause ("it is not known whether X would [support]"), an adverbial clause, a
relative clause, and at a preposition that attaches an event noun to another
verb ("failed to return after a [trip] to X": the trip is not denied). Over the
scope:

- polarity is ``negative`` when a word is negated ("will not send"), is a
  negative governor ("ruled out sending", "refused to", "declined to"), or is a
  noun with "no" ("no interest in providing");
- modality is ``possible`` for may/might/could, "would like to", "the
  possibility of", "willing to", "threatened to", and in a whether/if clause;
  ``future`` for will, "is scheduled to", "plans to", "is to", "is due to",
  "agreed to", "pledge to", "on track to", and for a present-tense event in a
  when/before/after clause ("when he visits Moscow"); "would" is future under a
  past speech verb ("stressed that Moscow would not send") and possible
  elsewhere; otherwise ``asserted``;
- the speaker is the subject of a speech verb whose complement holds the
  trigger ("…, Ivanov said"; "He said that…"), or "according to X".
"""

from __future__ import annotations

from typing import Any, Iterator

from kg.lexicon import Lexicon
from kg.vocab import Modality, Polarity


def chain(trigger: Any, lex: Lexicon | None = None) -> list[Any]:
    """The trigger and the tokens that govern it as part of the same event (see the module docstring)."""
    adjunct = lex.temporal_marks if lex is not None else frozenset({"after", "before", "during", "since", "until"})
    out = [trigger]
    tok = trigger
    for _ in range(8):
        head, dep = tok.head, tok.dep_
        if head.i == tok.i:
            break
        if dep == "xcomp":
            pass  # control and raising: "refused to send", "plans to visit"
        elif dep == "conj" and head.pos_ in ("VERB", "AUX"):
            if any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
                break  # a coordinated clause with a subject of its own is its own event
        elif dep == "acl" and head.pos_ in ("NOUN", "PROPN"):
            pass  # "its pledge to withdraw", "a decision to send"
        elif dep == "pcomp":
            pass  # "no interest in providing": on to the preposition, then to its noun
        elif dep == "advcl" and tok.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
            pass  # a purpose: "will visit Rome to meet Conte" is as planned as the visit
        elif dep == "ccomp" and lex is not None and head.lemma_.lower() in lex.negative_governors and not (
                lex.negative_governors[head.lemma_.lower()]):
            pass  # "denied that it had sent troops": a denial governs the clause it denies
        elif dep == "prep" and (head.pos_ in ("NOUN", "PROPN") or out[-2:-1] and out[-2].pos_ in ("NOUN", "PROPN")):
            pass  # inside a noun's complement, or from an event noun's preposition on to its verb
        elif dep in ("dobj", "attr") and tok.pos_ in ("NOUN", "PROPN") and head.pos_ in ("VERB", "AUX"):
            pass  # the verb that takes an event noun: "held talks", "rejected talks"
        elif dep == "pobj" and tok.pos_ in ("NOUN", "PROPN") and head.lower_ not in adjunct:
            pass  # "would secure … from talks with X"; not "return after a trip", a time of its own
        else:
            break
        tok = head
        out.append(tok)
    return out


def polarity(trigger: Any, lex: Lexicon, theme: Any | None = None) -> Polarity:
    for tok in chain(trigger, lex):
        for child in tok.children:
            if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
                return Polarity.NEGATIVE
        particle = lex.negative_governors.get(tok.lemma_.lower())
        if tok is not trigger and particle is not None:
            if not particle or any(c.dep_ == "prt" and c.lower_ == particle for c in tok.children):
                return Polarity.NEGATIVE
    if theme is not None and any(c.dep_ == "det" and c.lower_ == "no" for c in theme.children):
        return Polarity.NEGATIVE
    return Polarity.POSITIVE


def modality(trigger: Any, lex: Lexicon) -> Modality:
    toks = chain(trigger, lex)
    found = Modality.ASSERTED
    for tok in toks:
        lemma = tok.lemma_.lower()
        if tok is not trigger and lemma in lex.possible_governors:
            return Modality.POSSIBLE
        if any(c.dep_ == "mark" and c.lower_ in lex.conditional_marks for c in tok.children):
            return Modality.POSSIBLE  # "whether Mr X would support …", "if Russia sends troops"
        if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in lex.be_to and tok.tag_ == "VB" and any(
            c.lower_ == "to" for c in tok.children
        ):
            found = Modality.FUTURE  # "Jack Straw is to visit Thailand"
        if tok is not trigger and lemma in lex.future_governors:
            found = Modality.FUTURE
        for child in tok.children:
            if child.dep_ not in ("aux", "auxpass"):
                continue
            word = child.lower_
            if word in lex.possible_aux:
                return Modality.POSSIBLE
            if word == "would":
                if _under_past_speech(tok, lex):
                    found = Modality.FUTURE
                elif not any(c.lemma_ == "like" for c in tok.children):
                    return Modality.POSSIBLE
            if word in lex.future_aux or (word == "going" and tok.tag_ == "VB"):
                found = Modality.FUTURE
            if word == "be" and child.head.tag_ == "VB" and any(c.lower_ == "to" for c in tok.children):
                found = Modality.FUTURE  # "are to withdraw"
    if found is Modality.ASSERTED and _present_in_temporal_clause(toks, lex):
        return Modality.FUTURE
    return found


def _present_in_temporal_clause(toks: list[Any], lex: Lexicon) -> bool:
    for tok in toks:
        if tok.tag_ in ("VBZ", "VBP") and tok.dep_ == "advcl":
            if any(c.dep_ in ("mark", "advmod") and c.lower_ in lex.temporal_marks for c in tok.children):
                return True
    return False


def _under_past_speech(tok: Any, lex: Lexicon) -> bool:
    for anc in tok.ancestors:
        if anc.lemma_.lower() in lex.speech_verbs:
            return anc.tag_ in ("VBD", "VBN")
    return False


def speaker_tokens(trigger: Any, lex: Lexicon) -> Iterator[Any]:
    """Subjects of the speech verbs that report the trigger's clause, nearest first."""
    for tok in trigger.ancestors:
        if tok.lemma_.lower() in lex.speech_verbs:
            for child in tok.children:
                if child.dep_ == "nsubj":
                    yield child
            return
    for tok in trigger.sent:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
            for child in tok.doc[tok.i + 1].children:
                if child.dep_ == "pobj":
                    yield child
    # "…, Ivanov said" with the statement parsed as the main clause
    root = trigger.sent.root
    for child in root.children:
        if child.dep_ in ("parataxis", "ccomp") and child.lemma_.lower() in lex.speech_verbs:
            for sub in child.children:
                if sub.dep_ == "nsubj":
                    yield sub
