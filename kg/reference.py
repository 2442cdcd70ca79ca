"""Which entity a token stands for: names, modifiers, demonyms, pronouns, nominals, capitals.

In: a parsed Doc and the document's ``LocalEntity``s. ``Referents.of(token)``
gives the entities an argument token refers to, each with how it was found
(``direct`` name, ``modifier`` inside the noun phrase, ``coref`` through a
pronoun or "the alliance"), conjuncts included ("Medvedev and Putin" -> two).

Reference without a coreference model: a pronoun goes to the subject of the
main clause when it sits in a subordinate clause of the same sentence ("X is
scheduled to meet Y when he visits"), otherwise to the most recent entity of a
fitting type in the last three sentences, preferring a subject; he/she ->
Person, it/its/they -> Organization or Place; "the alliance" -> Organization,
"the country" -> Place. A relative pronoun goes to the noun its clause
modifies, or to the name just before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from kg.gazetteer import Gazetteer, gazetteer
from kg.lexicon import Lexicon, load_lexicon
from kg.model import LocalEntity
from kg.names import compatible, honorifics, parse
from kg.vocab import EntityType

P, O, L = EntityType.PERSON, EntityType.ORGANIZATION, EntityType.PLACE
MODIFIER_DEPS = frozenset({"compound", "amod", "poss", "nmod"})
_TOWN_NOUNS = frozenset({"city", "capital", "town"})
_STANCES = frozenset({"pro", "anti", "non", "ex"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


@dataclass(frozen=True)
class Ref:
    entity: int
    how: str  # direct, modifier, coref
    token: int  # the token that names it (for evidence)


class Referents:
    def __init__(self, doc: Any, entities: Sequence[LocalEntity], lex: Lexicon | None = None,
                 gaz: Gazetteer | None = None) -> None:
        self.doc = doc
        self.lex = lex or load_lexicon()
        self._resolving: set[int] = set()
        self._subjects: dict[int, int] = {}  # subject pronouns already resolved, for the ones that follow
        self.affiliations: dict[int, int] = {}
        """person -> the body of their one post or membership in the document (set by the relation stage)"""
        self.gaz = gaz or gazetteer()
        self.entities = list(entities)
        self.by_token: dict[int, int] = {}
        self.partial: set[int] = set()  # tokens of which a mention is only a part ("U.S." in "U.S.-led")
        self.order: list[tuple[int, int]] = []  # (head token, entity) in text order
        for e in entities:
            for m in e.mentions:
                s, t = m.tokens
                for i in range(s, t):
                    self.by_token.setdefault(i, e.index)
                if t - s == 1 and len(doc[s].text) != m.end - m.start:
                    self.partial.add(s)
                self.order.append((t - 1, e.index))
        self.order.sort()
        self.by_name = {e.name: e.index for e in entities}
        self.tokens = list(doc)  # one Token object each, shared by every rule that walks the document
        self.sent_of = {}
        for n, sent in enumerate(doc.sents):
            for i in range(sent.start, sent.end):
                self.sent_of[i] = n
        self.subjects_by_sentence: dict[int, list[Any]] = {}
        for tok in self.tokens:
            if tok.dep_ in SUBJECT_DEPS:
                self.subjects_by_sentence.setdefault(self.sent_of.get(tok.i, 0), []).append(tok)

    def _gender(self, entity: int) -> str | None:
        e = self.entities[entity]
        if e.type is not P:
            return None
        told = honorifics().gender.get(e.honorific or "")
        return told or parse(e.name).gender

    def type_of(self, entity: int) -> EntityType:
        return self.entities[entity].type

    def country_of(self, entity: int) -> int | None:
        """The country a capital stands for, if the document names that country ("Moscow" -> Russia)."""
        country = self.gaz.capitals.get(self.entities[entity].name.lower())
        return self.by_name.get(country) if country else None

    def of(self, token: Any, *, allow_modifier: bool = True, seen: frozenset[int] = frozenset()) -> list[Ref]:
        """Entities the argument ``token`` refers to, with its conjuncts."""
        if token.i in seen:
            return []
        seen = seen | {token.i}
        refs = self._one(token, allow_modifier, seen)
        for conj in token.conjuncts:
            if conj.i > token.i and not self._hung_subject(conj):
                refs += [r for r in self._one(conj, allow_modifier, seen | {conj.i}) if r not in refs]
        return refs

    def _next_to(self, noun: Any, name: Any) -> bool:
        """Whether the name whose head is ``name`` starts right after ``noun`` or after a comma right after it:
        a close apposition, not one the parser hung on a noun further back."""
        first = name.i
        while first - 1 in self.by_token and self.by_token[first - 1] == self.by_token[name.i]:
            first -= 1
        return first == noun.i + 1 or (first == noun.i + 2 and noun.doc[noun.i + 1].text == ",")

    def _hung_subject(self, token: Any) -> bool:
        """Whether the name ending at ``token`` is the subject of the finite verb right after it, which has no
        subject of its own, though the parser hung the name on an object before it: "gave $1m to the Red Cross
        and actor X pledged aid" (X is no recipient of the gift; X pledged)."""
        if token.i + 1 >= len(token.doc) or token.i not in self.by_token or token.i in self.partial:
            return False
        verb = token.doc[token.i + 1]
        return (verb.dep_ in ("conj", "advcl") and verb.tag_ in ("VBD", "VBZ", "VBP")
                and token.dep_ in ("conj", "pobj", "dobj", "appos")
                and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children))

    def objects_of(self, prep: Any, seen: frozenset[int] = frozenset()) -> list[Ref]:
        """Entities named by the object(s) of the preposition ``prep`` ("to [NATO]", "with [X and Y]")."""
        return [r for pobj in prep.children if pobj.dep_ == "pobj" for r in self.of(pobj, seen=seen)]

    def _one(self, token: Any, allow_modifier: bool, seen: frozenset[int]) -> list[Ref]:
        if token.i in self.by_token and token.i not in self.partial:
            return [Ref(self.by_token[token.i], "direct", token.i)]
        low = token.lower_
        if low in self.lex.relative_pronouns:
            return self._relative(token, seen)
        if low in self.lex.pronouns:
            found = self.resolve_pronoun(token, self.lex.pronouns[low])
            return [Ref(found, "coref", token.i)] if found is not None else []
        country = self.gaz.demonym(token.text)
        if country and token.text[:1].isupper() and country in self.by_name:
            if token.pos_ in ("NOUN", "PROPN") and token.tag_ in ("NNS", "NNPS"):
                return []  # "Indonesians could join them": people of a country, not the state
            return [Ref(self.by_name[country], "modifier", token.i)]
        if token.pos_ not in ("NOUN", "PROPN") or not allow_modifier:
            return []
        if token.pos_ == "NOUN" or self.gaz.is_title_word(token.text):  # "the Prime Minister, Theresa May,"
            named = [c for c in token.children if c.dep_ == "appos" and c.i > token.i and c.i in self.by_token
                     and c.i not in self.partial and self._next_to(token, c)]
            if named:  # "the singer Tom Jones", "the company, Orbex,": the noun is the name in apposition
                return [Ref(self.by_token[named[0].i], "direct", named[0].i)]
        lemma = token.lemma_.lower()
        nominal = self.lex.nominals.get(lemma)
        owner = next((c for c in token.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
        if nominal and owner is not None:
            # "his firm", "its ministry": the body the possessor belongs to, not the possessor
            person = self.resolve_pronoun(owner, self.lex.pronouns.get(owner.lower_, frozenset({P})))
            found = self.affiliations.get(person) if person is not None else None
            if found is None or self.type_of(found) not in nominal:
                found = self.resolve_pronoun(token, nominal, nominal=True)
            return [Ref(found, "coref", token.i)] if found is not None else []
        person = self.titled_person(token)
        if person is not None:
            return [Ref(person, "coref", token.i)]  # "the Pakistani president" -> President Musharraf
        refs: list[Ref] = []
        group = lemma in self.lex.group_nouns or token.lower_ in self.lex.group_nouns  # "fighters" as written
        bodies = group or lemma in self.lex.org_nouns or lemma in self.lex.aid_nouns or nominal
        for child in token.children:
            if child.dep_ in MODIFIER_DEPS and child.i < token.i and (bodies or token.pos_ == "PROPN") and not (
                child.i >= 2 and self.doc[child.i - 1].text in ("-", "–") and self.doc[child.i - 2].lower_ in _STANCES
            ):  # "pro-Moscow leaders" are not Moscow's
                # "NATO diplomats", "Afghan forces", "Russian aid"; not "the Lisbon goals"
                refs += [Ref(r.entity, "modifier" if r.how == "direct" else r.how, r.token)
                         for r in self.of(child, allow_modifier=False, seen=seen) if r.token not in self.partial
                         and not (self.type_of(r.entity) is P and group)]
                # "Clinton counterparts", "Blair aides": a person's people are not the person
        if not refs and group:
            for prep in token.children:
                if prep.dep_ == "prep" and prep.lower_ in ("of", "from"):  # "ministers from European governments"
                    refs += [Ref(r.entity, "modifier", r.token) for r in self.objects_of(prep, seen)]
        if not refs and nominal and any(c.lower_ == "the" for c in token.children):
            found = self.resolve_pronoun(token, nominal, nominal=True)
            if found is not None:
                refs.append(Ref(found, "coref", token.i))
        return refs

    def titled_person(self, token: Any) -> int | None:
        """ "the Pakistani president", "the chancellor": the one person of the document holding that title
        (and of that country or body, when the phrase names one)."""
        if not any(c.lower_ == "the" for c in token.children) or not self.gaz.is_title_word(token.text):
            return None
        head = token.lower_
        found = {e.index for e in self.entities if e.type is P and any(
            t.lower().split()[-1] == head for t in e.titles)}
        return found.pop() if len(found) == 1 else None

    def named_by_noun(self, token: Any) -> int | None:
        """The organisation "the committee" or "Committee" stands for: the one organisation of the
        document whose name ends in that noun, the nearest before it if several ("Home Affairs Committee")."""
        noun = token.lower_
        before: list[tuple[int, int]] = []
        after: list[tuple[int, int]] = []
        for pos, ent in self.order:
            if self.type_of(ent) is O and self.entities[ent].name.lower().split()[-1] == noun and pos != token.i:
                (before if pos < token.i else after).append((pos, ent))
        if before:
            return before[-1][1]
        candidates = {ent for _, ent in after}
        return after[0][1] if len(candidates) == 1 else None

    def _relative(self, token: Any, seen: frozenset[int]) -> list[Ref]:
        clause = token
        while clause.dep_ not in ("relcl", "ROOT") and clause.head.i != clause.i:
            clause = clause.head
        if clause.dep_ == "relcl":
            refs = self.of(clause.head, seen=seen)
            if refs:
                return refs
        # fall back to the name right before the pronoun: "Slovenia -- which will join"
        i = token.i - 1
        while i >= 0 and (self.doc[i].is_punct or self.doc[i].is_space):
            i -= 1
        if i >= 0 and i in self.by_token:
            head = self.doc[i]
            while head.dep_ == "conj" and head.head.i < head.i:
                head = head.head
            return self.of(head, seen=seen)
        return []

    def resolve_pronoun(self, token: Any, types: frozenset[EntityType], nominal: bool = False) -> int | None:
        """The entity a pronoun (or "the alliance") refers to, or None. "he" and "she" only go to a person
        of a compatible gender (from a form of address or the first name); a possessive in a phrase of the
        clause goes to the clause's subject first ("X met Y on his first visit": X)."""
        sent = self.sent_of.get(token.i, 0)
        gender = self.lex.pronoun_gender.get(token.lower_)
        fits = [e.index for e in self.entities if e.type in types and compatible(gender, self._gender(e.index))]
        if not fits:
            return None
        types = frozenset(types)
        if token.dep_ == "poss" and not nominal and token.i not in self._resolving:
            clause = token.head
            while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
                clause = clause.head
            self._resolving.add(token.i)  # "his aides said": the subject holds the pronoun itself
            try:
                subjects = self.subject_of(clause) if clause.pos_ in ("VERB", "AUX") else []
            finally:
                self._resolving.discard(token.i)
            for r in subjects:
                if r.entity in fits and r.token < token.i:
                    return r.entity
        # In a subordinate clause: the subject of the main clause of the same sentence.
        clause = token.head
        while clause.dep_ not in ("advcl", "ccomp", "relcl", "xcomp", "ROOT") and clause.head.i != clause.i:
            clause = clause.head
        if clause.dep_ in ("advcl", "relcl", "xcomp", "ccomp") and not nominal:
            for r in self.subject_of(clause.head):
                if self.type_of(r.entity) in types and r.token < token.i and r.entity in fits:
                    return r.entity
        if token.dep_ in SUBJECT_DEPS and not nominal:
            # A subject pronoun continues the subject of the sentences before ("Microsoft made … It has
            # agreed … It also said"), named or itself a pronoun, within the last two sentences.
            found = self._recent_subject(token, fits, sent)
            if found is not None:
                self._subjects[token.i] = found
                return found
        # Otherwise the latest fitting entity in the last three sentences; in an earlier sentence a
        # subject beats a later non-subject of the same sentence, and a name used as a modifier
        # ("US consumers") comes last.
        best_key: tuple[int, int, int, int] | None = None
        best: int | None = None
        for pos, ent in self.order:
            if pos >= token.i:
                break
            s = self.sent_of.get(pos, 0)
            if sent - s > 3 or self.type_of(ent) not in types or ent not in fits:
                continue
            if nominal and types == frozenset({L}) and (token.lemma_.lower() in _TOWN_NOUNS) == bool(
                    self.gaz.country(self.entities[ent].name)):
                continue  # "the country" is a country, "the city" a place that is none
            head = int(self.doc[pos].dep_ not in MODIFIER_DEPS)
            is_subject = int(self.doc[pos].dep_ in SUBJECT_DEPS) if s < sent else 0
            key = (head, s, is_subject, pos)
            if best_key is None or key > best_key:
                best_key, best = key, ent
        if best is not None and token.dep_ in SUBJECT_DEPS and not nominal:
            self._subjects[token.i] = best
        return best

    def _recent_subject(self, token: Any, fits: list[int], sent: int) -> int | None:
        for back in range(0, 3):
            found: int | None = None
            for tok in self.subjects_by_sentence.get(sent - back, ()):
                if tok.i >= token.i:
                    continue
                ent = self.by_token.get(tok.i) if tok.i not in self.partial else None
                if ent is None:
                    ent = self._subjects.get(tok.i)
                if ent is None and tok.pos_ == "NOUN":
                    ent = self.titled_person(tok)  # "The Pakistani president met X. He is due to …"
                if ent is not None and ent in fits and tok.head.dep_ in ("ROOT", "conj", "ccomp"):
                    found = ent  # the last main-clause subject of that sentence
            if found is not None:
                return found
        return None

    def subject_of(self, verb: Any, depth: int = 0) -> list[Ref]:
        """The subject of ``verb``, looking through control, raising, coordination and participles."""
        if depth > 6:
            return []
        subjects = sorted((c for c in verb.children if c.dep_ == "nsubj"), key=lambda c: abs(verb.i - c.i))
        if subjects:
            return self.of(subjects[0])  # the nearest, when a misparse gives two
        head = verb.head
        if head.i == verb.i:
            return []
        if verb.i > 0 and self._hung_subject(verb.doc[verb.i - 1]):
            prev = verb.doc[verb.i - 1]
            return [Ref(self.by_token[prev.i], "direct", prev.i)]
        if verb.dep_ == "xcomp":
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
            if obj is not None and head.lemma_.lower() not in self.lex.object_control_exceptions:
                # "urged the Arabs to go": the object acts, named or not; never the one who urged
                return self.of(obj)
            for child in head.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    return self.of(child)
            return self.subject_of(head, depth + 1)
        if verb.dep_ in ("conj", "advcl", "pcomp", "ccomp") or (verb.dep_ == "relcl" and verb.tag_ == "VBG"):
            if verb.dep_ == "ccomp" and head.lemma_.lower() not in self.lex.wish_verbs:
                return []
            governor = head if verb.dep_ != "pcomp" else head.head
            found = self.subject_of(governor, depth + 1)
            if not found and verb.dep_ in ("advcl", "pcomp", "conj"):
                # "Giuseppe was arrested when travelling to London", "accused of criticising X": the passive subject
                found = [r for c in governor.children if c.dep_ == "nsubjpass" for r in self.of(c)]
            return found
        if verb.dep_ == "acl":
            poss = [c for c in head.children if c.dep_ == "poss"]
            if poss:
                return self.of(poss[0])
            return self.subject_of(head.head, depth + 1) if head.dep_ in ("dobj", "pobj") else []
        if verb.dep_ in ("pobj", "prep", "acomp"):
            return self.subject_of(head, depth + 1)  # "X is due to visit": the subject of "is"
        return []
