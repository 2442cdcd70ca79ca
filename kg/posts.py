"""Relations a noun phrase states: posts, memberships, seats and places inside places.

These are read from the words around names, not from a verb:

- ``HOLDS_POSITION`` (attribute ``title``; ``former: true`` for an ended post):
  "Tory leader Michael Howard", "Air Deccan's managing director Gorur Gopinath",
  "Adrian Hughes, currency strategist with HSBC", "Henri Crohas, chief of
  Archos", "President Musharraf of Pakistan", "Andrew, a former England
  fly-half", "Peter Nielson, who is UKIP Scotland chairman", "his appointment as
  chairman of the British Council", "He chaired the Labour Party"; with no body
  named ("Chancellor Gordon Brown"), the one country the article names, at a
  lower confidence, and nothing when it names several;
- ``MEMBER_OF``: "Microsoft's Mike Coleman", "Andreas Adriano of Latin Trade
  Magazine", "Colin Asplin, Blackpool Hotel Association, said", "Labour MP
  Diane Abbott" (a seat is membership of the party), "Labour's National
  Executive Committee", "NATO members Poland and Hungary", "X, a member of Y";
- ``BASED_IN``: "Australian airline Qantas", "Ireland's Ryanair", "the
  Paris-based OECD", "Barclays, based in London";
- ``LOCATED_IN``: "Brussels, Belgium", "the Afghan capital, Kabul",
  "Indonesia's northern province of Aceh".

The words are data: title words (``data/titles.txt``), the title words that
mean a seat rather than a post, and the nouns of places and members
(``data/triggers.json``, ``"posts"``).
"""

from __future__ import annotations

from typing import Any, Iterator, Sequence

from kg.frames import Candidate
from kg.lexicon import Lexicon
from kg.model import EntityMention
from kg.reference import Ref, Referents
from kg.titles import is_title_token
from kg.vocab import EntityType, RelationType

P, O, L = EntityType.PERSON, EntityType.ORGANIZATION, EntityType.PLACE
H, M, B = RelationType.HOLDS_POSITION, RelationType.MEMBER_OF, RelationType.BASED_IN
_PREPS = ("of", "at", "with", "for", "from")
RULES = frozenset({"position", "member", "base", "unnamed", "place"})
"""The rules of this module: what they state holds, it is no event (modality asserted)."""
# Bodies a place's name before them stands for ("US army chief", "England team captain"): a state's organs
# and its sides in sport. Any other body's noun after a place ("Belgrade airport", "Moscow bank") is a body
# the place only locates.
_ORGANS = frozenset({"army", "navy", "police", "government", "cabinet", "parliament", "congress", "senate",
                     "ministry", "department", "assembly", "team", "side", "squad"})
_STOP = frozenset({",", ".", ";", ":", "(", ")", '"', "and", "or", "but", "who", "which", "that", "said", "says"})


def post_frames(doc: Any, mentions: Sequence[EntityMention], refs: Referents, lex: Lexicon) -> Iterator[Candidate]:
    """Posts and memberships of the people of the document, seats of its organisations, places in places."""
    seen: set[int] = set()
    for m in mentions:
        start, end = m.tokens
        person = refs.by_token.get(start)
        if person is None or refs.type_of(person) is not P or start in seen:
            continue
        seen.add(start)
        subject = (Ref(person, "direct", start),)
        yield from _before(doc, start, end, subject, m, refs, lex)
        yield from _title_of_body_before(doc, start, subject, refs, lex)
        yield from _after(doc, start, end, subject, m, refs, lex)
    yield from _verb_posts(doc, refs, lex)
    yield from _bases(doc, refs, lex)
    yield from _based_by_verb(doc, refs)
    yield from _members(doc, refs, lex)
    yield from _places(doc, refs, lex)


def affiliations(candidates: Sequence[Candidate]) -> dict[int, int]:
    """Person -> the one body the document gives them a post in or membership of ("his firm")."""
    bodies: dict[int, set[int]] = {}
    for c in candidates:
        if c.type in (H, M):
            for s in c.subjects:
                bodies.setdefault(s.entity, set()).update(o.entity for o in c.objects if o.how == "direct")
    return {person: found.pop() for person, found in bodies.items() if len(found) == 1}


def _candidate(rtype: RelationType, subject: tuple[Ref, ...], obj: Ref, trigger: Any, rule: str,
               title: str | None = None, former: bool = False) -> Candidate:
    attributes = {"former": True} if former else {}
    return Candidate(rtype, subject, (obj,), trigger, rule, title=title, actor_subject=False,
                     attributes=attributes)


def _post_or_seat(subject: tuple[Ref, ...], org: Ref, title: str, former: bool, trigger: Any, rule: str,
                  refs: Referents, lex: Lexicon) -> Candidate:
    """A title with a body: a post in it, or, for a seat ("Labour MP"), membership of the party."""
    head = title.split()[-1].lower()
    if head in lex.seat_titles and refs.type_of(org.entity) is O:
        return _candidate(M, subject, org, trigger, rule, former=former)
    return _candidate(H, subject, org, trigger, rule, title=title, former=former)


def _before(doc: Any, start: int, end: int, subject: tuple[Ref, ...], m: EntityMention, refs: Referents,
            lex: Lexicon) -> Iterator[Candidate]:
    """ "Tory leader Michael Howard", "Air Deccan's managing director X", "Microsoft's Mike Coleman"."""
    i = start - 1
    words: list[int] = []
    while i >= 0 and _title_word(doc[i], refs, lex) and not (words and _names_body(doc[i], refs, lex)):
        words.append(i)
        i -= 1
    if i >= 2 and doc[i].text == "," and is_title_token(doc, i - 1, refs.gaz) and not _body_at(doc, i, refs, lex):
        i -= 1  # "the committee chairman, MP Edward Leigh": a title in apposition before the name
        words = []
        while i >= 0 and _title_word(doc[i], refs, lex) and not (words and _names_body(doc[i], refs, lex)):
            words.append(i)
            i -= 1
    words.reverse()
    former = any(doc[w].lower_ in lex.former_words for w in words)
    words = [w for w in words if doc[w].lower_ not in lex.former_words]
    title_end = max((w for w in words if is_title_token(doc, w, refs.gaz)), default=None)
    title = _text(doc, [w for w in words if title_end is not None and w <= title_end])
    if i >= 0 and doc[i].tag_ == "POS":
        i -= 1  # "Air Deccan's managing director"
        possessive = True
    else:
        possessive = False
    org = _body_at(doc, i, refs, lex)
    title_start = min((w for w in words if is_title_token(doc, w, refs.gaz)), default=None)
    if org is not None and refs.type_of(org.entity) is L and any(
        doc[w].text.islower() and doc[w].pos_ == "NOUN" and doc[w].lemma_ in lex.org_nouns
        and doc[w].lemma_ not in _ORGANS for w in words if title_start is None or w < title_start
    ):
        return  # "Belgrade airport director": the post is at the airport, which is no Belgrade
    if org is not None and i >= 1 and doc[_first_token(doc, i, refs) - 1].lower_ in lex.former_words:
        former = True  # "former England full-back"
    demonyms = []
    k = i
    while k >= 0 and i - k < 3 and doc[k].pos_ in ("PROPN", "ADJ") and doc[k].text[:1].isupper():
        if refs.gaz.demonym(doc[k].text):
            demonyms.append(k)  # "German Defence Minister": the demonym opens the title phrase
            break
        k -= 1
    if org is None and demonyms:
        # "German Defence Minister X": Germany if the document names it, else no country (not another one)
        found = [r for r in refs.of(doc[demonyms[-1]]) if refs.type_of(r.entity) is L]
        if not found or not title:
            return
        org = found[0]
    if org is None and possessive and i in refs.by_token and refs.type_of(refs.by_token[i]) is P:
        return  # "Thatcher's press secretary X": a post on a person's staff, no state's
    if org is None and title and m.title and title.split()[-1].lower() in lex.state_titles and not any(
        doc[w].lemma_.lower() in lex.org_nouns for w in words
    ):  # not "federation president X", whose body is unnamed
        org = _only_country(refs, near=start)
        if org is not None:
            yield _candidate(H, subject, org, doc[end - 1], "unnamed", title=title, former=former)
        return
    if org is None:
        return
    if title:
        yield _post_or_seat(subject, org, title, former, doc[end - 1], "position", refs, lex)
    elif not words and possessive and refs.type_of(org.entity) is O:
        yield _candidate(M, subject, org, doc[end - 1], "member")  # "Microsoft's Mike Coleman"


def _title_of_body_before(doc: Any, start: int, subject: tuple[Ref, ...], refs: Referents,
                          lex: Lexicon) -> Iterator[Candidate]:
    """ "the deputy secretary of the Foreign Ministry, Datuk Abdul Halim Ali": a title of a body, then a comma,
    then the name."""
    k = start - 2
    if k < 3 or doc[start - 1].text != "," or k not in refs.by_token or k in refs.partial:
        return
    body = refs.by_token[k]
    if refs.type_of(body) not in (O, L):
        return
    g = _first_token(doc, k, refs) - 1
    if g >= 0 and doc[g].lower_ == "the":
        g -= 1
    if g < 1 or doc[g].lower_ != "of" or not is_title_token(doc, g - 1, refs.gaz):
        return
    words, i = [], g - 1
    while i >= 0 and _title_word(doc[i], refs, lex):
        words.append(i)
        i -= 1
    former = any(doc[w].lower_ in lex.former_words for w in words)
    title = _text(doc, sorted(w for w in words if doc[w].lower_ not in lex.former_words))
    if title:
        yield _post_or_seat(subject, Ref(body, "direct", k), title, former, doc[g - 1], "position", refs, lex)


def _after(doc: Any, start: int, end: int, subject: tuple[Ref, ...], m: EntityMention, refs: Referents,
           lex: Lexicon) -> Iterator[Candidate]:
    """ "X of Latin Trade Magazine", "President Musharraf of Pakistan", "X, chief of Archos",
    "X, ATR's chief executive", "X, a former England fly-half", "X, who is UKIP Scotland chairman"."""
    if end + 1 < len(doc) and doc[end].lower_ in ("of", "at"):
        if doc[end].lower_ == "at" and not start <= doc[end].head.i < end:
            return  # "shot Lincoln at Ford's Theatre": where the event was, not where he works
        org = _body_at(doc, _skip_det(doc, end + 1), refs, lex, forward=True)
        if org is not None and (doc[end].lower_ == "of" or refs.type_of(org.entity) is O):  # not "at 10 Downing Street"
            if m.title:
                yield _post_or_seat(subject, org, m.title, False, doc[end], "position", refs, lex)
            elif refs.type_of(org.entity) is O:
                yield _candidate(M, subject, org, doc[end], "member")
        return
    if end >= len(doc) or doc[end].text != ",":
        return
    j = end + 1
    if j + 2 < len(doc) and doc[j].like_num and doc[j + 1].text == ",":
        j += 2  # "X, 53, a former Yale law professor": past the age
    former = False
    if j + 1 < len(doc) and doc[j].lower_ in ("who", "which") and doc[j + 1].lemma_ == "be":
        former = doc[j + 1].lower_ == "was"
        j += 2  # "X, who is UKIP Scotland chairman"
    if j + 1 < len(doc) and doc[j].lower_ == "of" and refs.type_of(subject[0].entity) is P:
        org = _body_at(doc, _skip_det(doc, j + 1), refs, lex, forward=True)
        if org is not None and refs.type_of(org.entity) is O:
            yield _candidate(M, subject, org, doc[j], "member")  # "Ulf Merbold, 47, of the European Space Agency"
        return
    first = True
    listed = start > 0 and doc[start - 1].text == "("  # "Italy (Rossi, Bianchi, Verdi)": names in a list
    while j < len(doc):
        found, j, titled = _apposition(doc, j, end, subject, former, first, refs, lex,
                                       listed=listed)
        if not titled:
            return
        if found is not None:
            yield found
        # "X, director of A and a member of B" / "…, leader of A and vice-president of B": a second post
        if not (j + 1 < len(doc) and doc[j].lower_ == "and"):
            return
        j, first = j + 1, False


def _apposition(doc: Any, j: int, end: int, subject: tuple[Ref, ...], former: bool, first: bool,
                refs: Referents, lex: Lexicon, listed: bool = False) -> tuple[Candidate | None, int, bool]:
    """The post (or membership) the apposition from token ``j`` states, the token that ends it, and whether it
    is a title phrase at all (one without a body, "leader of Bosnian Serbs", may be followed by one with it).

    ``first`` is false for a later conjunct, which must name its body after its title word ("and a member
    of B", not "and B")."""
    window = []
    while j < len(doc) and len(window) < 14 and doc[j].text not in _STOP and doc[j].pos_ not in ("VERB", "AUX"):
        window.append(j)
        j += 1
    if not window:
        return None, j, False
    former = former or any(doc[w].lower_ in lex.former_words for w in window)
    heads = [w for w in window if (is_title_token(doc, w, refs.gaz) or not first and doc[w].lemma_.lower() in
                                   lex.member_nouns) and not doc[w].ent_type_]
    bodies = [(w, refs.by_token[w]) for w in window if w in refs.by_token and w not in refs.partial
              and refs.type_of(refs.by_token[w]) in (O, L) and not _based_modifier(doc, w, refs)]
    if not heads:
        # "Colin Asplin, Blackpool Hotel Association, said": a body in apposition
        if first and not listed and bodies and len({e for _, e in bodies}) == 1 and refs.type_of(bodies[0][1]) is O and (
            j < len(doc) and (doc[j].text == "," or doc[j].lemma_ in lex.speech_verbs)
        ) and all(w in refs.by_token or doc[w].pos_ == "DET" for w in window) and not (
            j + 1 < len(doc) and doc[j].text == "," and j + 1 in refs.by_token and refs.type_of(refs.by_token[j + 1]) is P
        ):  # "A, B, C": a list of names, not a person and their body
            return _candidate(M, subject, Ref(bodies[0][1], "direct", bodies[0][0]), doc[end], "member"), j, True
        return None, j, False
    first_head = heads[0]
    title_words = [w for w in window if w <= first_head and w not in refs.by_token and doc[w].pos_ in (
        "NOUN", "ADJ", "PROPN") and doc[w].lower_ not in lex.former_words and doc[w].tag_ != "POS"]
    k = first_head + 1
    while k in window and (doc[k].lower_ == "of" or doc[k].pos_ in ("DET", "ADJ", "NOUN")) and k not in refs.by_token:
        if doc[k].lower_ == "of" and k + 1 in refs.by_token or (
            doc[k].lower_ == "of" and k + 2 in refs.by_token and doc[k + 1].pos_ == "DET"
        ):
            break
        k += 1  # "head of the threat laboratory": the title goes on
    title = _text(doc, title_words + [w for w in window if first_head < w < k])
    after = [(w, e) for w, e in bodies if w > first_head]
    before = [(w, e) for w, e in bodies if w < first_head]
    body = after[0] if after and k in window and doc[k].lower_ in _PREPS else before[-1] if before else None
    if body is None:
        return None, j, True
    w, e = body
    return _post_or_seat(subject, Ref(e, "direct", w), title, former, doc[first_head], "position", refs, lex), j, True


def _verb_posts(doc: Any, refs: Referents, lex: Lexicon) -> Iterator[Candidate]:
    """ "He chaired the Labour Party", "was appointed chairman of X", "his appointment as chairman of X",
    "named Y publisher of X", "resigned as leader of X" (ended), "X is the AP's regional reporter",
    "who will become the newspaper's chairman"."""
    for tok in refs.tokens:
        lemma = tok.lemma_.lower()
        if lemma in lex.post_verbs and tok.pos_ == "VERB":
            for obj in (c for c in tok.children if c.dep_ == "dobj"):
                bodies = [r for r in refs.of(obj) if refs.type_of(r.entity) is O]
                subjects = [r for r in refs.subject_of(tok) if refs.type_of(r.entity) is P]
                if bodies and subjects:
                    yield Candidate(H, tuple(subjects), tuple(bodies[:1]), tok, "position", title=lex.post_verbs[lemma],
                                    actor_subject=False, attributes={"former": True} if tok.tag_ == "VBD" else {})
        if lemma not in lex.appointment_words and lemma not in lex.be_to:
            continue
        heads = [p for c in tok.children if c.lower_ == "as" for p in c.children if p.dep_ == "pobj"]
        heads += [c for c in tok.children if c.dep_ in ("attr", "oprd", "xcomp", "dobj", "npadvmod")]
        for head in heads:
            if head.pos_ not in ("NOUN", "PROPN") or not is_title_token(doc, head.i, refs.gaz) or head.i in refs.by_token:
                continue
            yield from _post_of_title(doc, tok, head, refs, lex)


def _post_of_title(doc: Any, verb: Any, head: Any, refs: Referents, lex: Lexicon) -> Iterator[Candidate]:
    """The post a title noun names for the subject (or the object) of an appointment or a copula."""
    bodies = [r for p in head.children if p.dep_ == "prep" and p.lower_ in _PREPS for r in refs.objects_of(p)]
    if not bodies and verb.lemma_.lower() in lex.be_to:
        # "X was acting comptroller at Y": the parser hangs "at Y" on the copula
        bodies = [r for p in verb.children if p.dep_ == "prep" and p.lower_ in ("at", "of", "with") and p.i > head.i
                  for r in refs.objects_of(p)]
    for c in head.children:
        if c.dep_ in ("poss", "compound", "nmod") and c.i < head.i:
            body = _body_by_noun(c, refs, lex)  # "the newspaper's chairman"
            bodies += refs.of(c) or ([Ref(body, "coref", c.i)] if body is not None else [])
    bodies = [r for r in bodies if refs.type_of(r.entity) in (O, L)]
    if verb.pos_ == "NOUN":
        subjects = [r for c in verb.children if c.dep_ == "poss" for r in refs.of(c)]
    elif verb.lemma_.lower() in lex.be_to or verb.lemma_.lower() in ("become", "remain", "serve"):
        subjects = refs.subject_of(verb)
    else:  # "named Larry Jinks publisher", "Jinks has been named publisher"
        subjects = [r for c in verb.children if c.dep_ in ("dobj", "nsubjpass") for r in refs.of(c)] or (
            refs.subject_of(verb) if head.dep_ == "pobj" else [])
    subjects = [r for r in subjects if refs.type_of(r.entity) is P]
    if not bodies or not subjects:
        return
    words = [c.i for c in head.lefts if c.pos_ in ("NOUN", "ADJ", "PROPN", "VERB") and c.i not in refs.by_token
             and c.dep_ in ("compound", "amod", "nmod") and not _body_by_noun(c, refs, lex)]
    former = verb.lemma_.lower() in lex.former_words or any(
        c.lower_ in lex.former_words for c in head.children) or verb.tag_ == "VBD" and verb.lemma_.lower() in lex.be_to
    yield Candidate(H, tuple(subjects[:1]), tuple(bodies[:1]), verb, "position",
                    title=_text(doc, [w for w in words if doc[w].lower_ not in lex.former_words] + [head.i]),
                    actor_subject=False, attributes={"former": True} if former else {})


def _bases(doc: Any, refs: Referents, lex: Lexicon) -> Iterator[Candidate]:
    """ "Australian airline Qantas", "Ireland's Ryanair", "the Paris-based OECD", "X, based in Y"."""
    for i, entity in sorted(refs.by_token.items()):
        if refs.type_of(entity) is not O or i in refs.partial or (i > 0 and refs.by_token.get(i - 1) == entity):
            continue
        org = (Ref(entity, "direct", i),)
        own = _country_in_name(doc, i, entity, refs, lex)
        if own is not None:
            yield _candidate(B, org, own, doc[i], "base")  # "the Haitian Parliament", "the U.S. Congress"
            continue
        j = i - 1
        while j >= 0 and doc[j].pos_ == "NOUN" and doc[j].lower_ in lex.org_nouns:
            j -= 1  # "Australian airline Qantas": the nouns that say what the body is
        if j >= 0 and refs.gaz.demonym(doc[j].text) and doc[j].text[:1].isupper() and (
            j < i - 1 or refs.entities[entity].name.split()[-1] in words_of_bodies(lex)
        ):
            # "Australian airline Qantas", "the Angolan Government", "the Russian Defence Ministry"
            place = refs.of(doc[j])
            if place:
                yield _candidate(B, org, place[0], doc[i], "base")
                continue
        last = i
        while last + 1 < len(doc) and refs.by_token.get(last + 1) == entity:
            last += 1
        after = last + 1
        if after < len(doc) and doc[after].text == "(":  # "Finland's EU (European Union) negotiation result"
            while after < len(doc) and doc[after].text != ")":
                after += 1
            after += 1
        modifier = after < len(doc) and doc[after].pos_ in ("NOUN", "PROPN", "ADJ") and doc[after].text[:1].islower()
        if i >= 2 and doc[i - 1].tag_ == "POS" and doc[last].dep_ not in ("compound", "amod", "nmod") and not modifier:
            # "Ireland's Ryanair"; not "Finland's EU negotiation result", where the body is a modifier
            owner = refs.by_token.get(i - 2)
            if owner is not None and refs.type_of(owner) is L and i - 2 not in refs.partial:
                yield _candidate(B, org, Ref(owner, "direct", i - 2), doc[i], "base")  # "Ireland's Ryanair"
                continue
        based = (_based_before(doc, i, refs) or _based_after(doc, i, refs) or _based_at(doc, i, refs)
                 or _based_apposition(doc, i, refs, lex))
        if based is not None:
            yield _candidate(B, org, based, doc[i], "base")


def _based_by_verb(doc: Any, refs: Referents) -> Iterator[Candidate]:
    """ "The company is headquartered in Newbury", "Iliad, which is based in Paris": the subject of
    "based"/"headquartered" with a place after "in" (the name right after a comma is read in ``_bases``)."""
    for tok in refs.tokens:
        if tok.lemma_.lower() not in ("base", "headquarter") or tok.tag_ != "VBN" or tok.dep_ in ("amod", "acl"):
            continue
        places = [r for c in tok.children if c.dep_ == "prep" and c.lower_ == "in" for r in refs.objects_of(c)
                  if refs.type_of(r.entity) is L and r.how == "direct"]
        bodies = [r for c in tok.children if c.dep_ in ("nsubjpass", "nsubj") for r in refs.of(c)
                  if refs.type_of(r.entity) is O]
        if places and bodies:
            yield _candidate(B, tuple(bodies[:1]), places[0], tok, "base")


def _country_in_name(doc: Any, i: int, entity: int, refs: Referents, lex: Lexicon) -> Ref | None:
    """The country a public body's own name starts with, when the document names that country: "Haitian
    Parliament", "U.S. Congress", "Russian Defence Ministry"; not "European Commission" (no country) nor
    "American Express" (no body's word at the end)."""
    words = refs.entities[entity].name.split()
    first = doc[i]
    if len(words) < 2 or words[-1] not in words_of_bodies(lex) or not first.text[:1].isupper():
        return None
    country = refs.gaz.demonym(first.text) or refs.gaz.country(first.text)
    if country is None or not refs.gaz.country(country) or refs.by_token.get(i + 1) != entity:
        return None
    place = refs.by_name.get(country)
    if place is None or place == entity or refs.type_of(place) is not L:
        return None
    return Ref(place, "modifier", i)


def words_of_bodies(lex: Lexicon) -> frozenset[str]:
    """Last words of the names of public bodies ("Government", "Ministry"), capitalised."""
    return frozenset(w.capitalize() for w in lex.org_nouns)


def _based_at(doc: Any, i: int, refs: Referents) -> Ref | None:
    """ "Owens-Corning of Toledo, Ohio", "Brown University in Providence", "the Red Cross in Khartoum":
    a town or region written right after the body's name, the preposition hung on the name."""
    entity = refs.by_token[i]
    k = i + 1
    while k < len(doc) and refs.by_token.get(k) == entity:
        k += 1
    if k + 1 >= len(doc):
        return None
    word = doc[k]
    place = refs.by_token.get(k + 1)
    if place is None or refs.type_of(place) is not L or k + 1 in refs.partial or refs.gaz.country(
            refs.entities[place].name):
        return None  # a country after "of" or "in" is rather a scope ("the Bank of England", "NATO in Afghanistan")
    if word.lower_ in ("of", "in") and doc[k].head.i in range(i, k):
        return Ref(place, "direct", k + 1)
    return None


def _based_apposition(doc: Any, i: int, refs: Referents, lex: Lexicon) -> Ref | None:
    """ "Qantas, the Australian airline,", "X, a Hong Kong construction firm": an apposition that is a body's
    noun with one place (or its demonym) before it, and nothing after it but the end of the phrase."""
    entity = refs.by_token[i]
    k = i + 1
    while k < len(doc) and refs.by_token.get(k) == entity:
        k += 1
    if k + 3 >= len(doc) or doc[k].text != "," or doc[k + 1].lower_ not in ("a", "an", "the"):
        return None
    places: list[Ref] = []
    j = k + 2
    while j < len(doc) and j - k < 9:
        tok = doc[j]
        if j in refs.by_token:
            if refs.type_of(refs.by_token[j]) is not L or j in refs.partial:
                return None
            if not places or places[-1].entity != refs.by_token[j]:
                places.append(Ref(refs.by_token[j], "direct", j))
        elif refs.gaz.demonym(tok.text) and tok.text[:1].isupper():
            places += [r for r in refs.of(tok) if refs.type_of(r.entity) is L]
        elif tok.pos_ == "NOUN" and tok.lemma_ in lex.org_nouns and (
            j + 1 == len(doc) or doc[j + 1].text in (",", ".", ";")
        ):
            return places[0] if len({r.entity for r in places}) == 1 else None
        elif tok.pos_ not in ("NOUN", "ADJ") and tok.text not in ("-", "based"):
            return None
        j += 1
    return None


def _based_before(doc: Any, i: int, refs: Referents) -> Ref | None:
    """ "the Paris-based OECD": a place, a hyphen and "based" right before the body (or its determiner)."""
    j = i - 1
    while j >= 0 and doc[j].pos_ in ("DET", "ADJ", "NOUN") and doc[j].lower_ not in ("based", "headquartered"):
        j -= 1
        if i - j > 4:
            return None
    if j >= 2 and doc[j].lower_ in ("based", "headquartered") and doc[j - 1].text == "-":
        place = refs.by_token.get(j - 2)
        if place is not None and refs.type_of(place) is L:
            return Ref(place, "direct", j - 2)
    return None


def _based_after(doc: Any, i: int, refs: Referents) -> Ref | None:
    """ "Barclays, based in London", "X, which is headquartered in Y"."""
    k = i + 1
    while k < len(doc) and refs.by_token.get(k) == refs.by_token.get(i):
        k += 1
    words = [t.lower_ for t in doc[k : k + 6]]
    for lead in ((",", "based", "in"), (",", "headquartered", "in"), (",", "which", "is", "based", "in")):
        if tuple(words[: len(lead)]) == lead:
            place = refs.by_token.get(k + len(lead))
            if place is not None and refs.type_of(place) is L:
                return Ref(place, "direct", k + len(lead))
    # "NRC headquarters in nearby Rockville", "Nokia's head office in Espoo"
    if words[:1] == ["'s"]:
        k, words = k + 1, words[1:]
    for lead in (("headquarters",), ("hq",), ("head", "office")):
        if tuple(words[: len(lead)]) == lead and k + len(lead) < len(doc) and words[len(lead)] in ("in", "at"):
            m = k + len(lead) + 1
            while m < len(doc) and doc[m].pos_ in ("ADJ", "DET") and m not in refs.by_token:
                m += 1
            place = refs.by_token.get(m)
            if place is not None and refs.type_of(place) is L and m not in refs.partial:
                return Ref(place, "direct", m)
    return None


def _members(doc: Any, refs: Referents, lex: Lexicon) -> Iterator[Candidate]:
    """ "NATO members Poland and Hungary", "Poland, a member of NATO", "Labour's National Executive
    Committee" (a body of a body), "Mr Lula's Workers' Party" (a person's party)."""
    for tok in refs.tokens:
        if tok.lemma_.lower() in lex.member_nouns:
            owners = [r for c in tok.children if c.dep_ in ("compound", "nmod", "poss") for r in refs.of(c)
                      if refs.type_of(r.entity) is O]
            if not owners:
                owners = [r for p in tok.children if p.dep_ == "prep" and p.lower_ == "of" for r in refs.objects_of(p)
                          if refs.type_of(r.entity) is O]
            members = [r for c in tok.children if c.dep_ == "appos" for r in refs.of(c)]
            if tok.dep_ in ("appos", "attr") or (tok.dep_ == "pobj" and tok.head.lower_ == "as"):
                holder = tok.head if tok.dep_ == "appos" else tok.head.head if tok.dep_ == "pobj" else None
                if tok.dep_ == "attr":
                    members = refs.subject_of(tok.head)
                elif holder is not None:
                    members = refs.of(holder) if tok.dep_ == "appos" else refs.subject_of(holder)
            members = [r for r in members if refs.type_of(r.entity) in (P, O, L)]
            if owners and members:
                yield Candidate(M, tuple(members), tuple(owners[:1]), tok, "member", actor_subject=False)
    for i, entity in sorted(refs.by_token.items()):
        if refs.type_of(entity) is not O or i in refs.partial or (i > 0 and refs.by_token.get(i - 1) == entity):
            continue
        j = i - 1
        while j >= 0 and i - j <= 2 and doc[j].text.islower() and (doc[j].pos_ == "ADJ" or doc[j].tag_ == "VBG"):
            j -= 1  # "Labour's ruling National Executive Committee"
        if j < 1 or doc[j].tag_ != "POS":
            continue
        last = i
        while last + 1 < len(doc) and refs.by_token.get(last + 1) == entity:
            last += 1
        if doc[last].dep_ in ("compound", "amod", "nmod") and doc[last].head.i > last:
            continue  # "the BBC's Freeview digital service": the name of a product of the body
        owner = refs.by_token.get(j - 1)
        if owner is None or owner == entity or j - 1 in refs.partial:
            continue
        name = refs.entities[entity].name
        if refs.type_of(owner) is O:
            yield _candidate(M, (Ref(entity, "direct", i),), Ref(owner, "direct", j - 1), doc[i], "member")
        elif refs.type_of(owner) is P and name.split()[-1] in lex.party_words:
            yield _candidate(M, (Ref(owner, "direct", j - 1),), Ref(entity, "direct", i), doc[i], "member")


def _places(doc: Any, refs: Referents, lex: Lexicon) -> Iterator[Candidate]:
    """ "Brussels, Belgium"; "the Afghan capital, Kabul"; "Indonesia's northern province of Aceh"."""
    gaz = refs.gaz
    L_IN = RelationType.LOCATED_IN
    for tok in refs.tokens:
        if tok.text != "," or tok.i == 0 or tok.i + 1 >= len(doc):
            continue
        left, right = doc[tok.i - 1], doc[tok.i + 1]
        a, b = refs.by_token.get(left.i), refs.by_token.get(right.i)
        if a is None or b is None or a == b:
            continue
        if refs.type_of(a) is not L or refs.type_of(b) is not L:
            continue
        if gaz.country(refs.entities[a].name) or not (gaz.is_region(right.text) or gaz.is_region(
                refs.entities[b].name)):
            continue  # "Latvia, Lithuania" is a list; "Brussels, Belgium" and "Bethany, Conn." name a region second
        while right.i + 1 < len(doc) and refs.by_token.get(right.i + 1) == b:
            right = doc[right.i + 1]  # "Kelowna, British Columbia"
        after = doc[right.i + 1] if right.i + 1 < len(doc) else None
        following = refs.by_token.get(right.i + 2) if after is not None and after.text == "," else None
        if after is not None and (after.lower_ in ("and", "or") or (following is not None and refs.type_of(following) is L)):
            continue  # "Tokyo, Kyoto and Osaka", "Leeds, York, Hull": a list again
        yield Candidate(L_IN, (Ref(a, "direct", left.i),), (Ref(b, "direct", right.i),), tok, "place",
                        actor_subject=False)
    for tok in refs.tokens:
        # "Haifa in northern Israel", "the Lenin Shipyard in Gdansk": a place, "in", a larger place
        if tok.lower_ != "in" or tok.head.i not in refs.by_token or refs.type_of(refs.by_token[tok.head.i]) is not L:
            continue
        inner = refs.by_token[tok.head.i]
        outer = [r for r in refs.objects_of(tok) if refs.type_of(r.entity) is L and r.how == "direct"]
        if outer and outer[0].entity != inner and not gaz.country(refs.entities[inner].name):
            yield Candidate(L_IN, (Ref(inner, "direct", tok.head.i),), (outer[0],), tok, "place", actor_subject=False)
    for tok in refs.tokens:
        if tok.lemma_.lower() not in lex.place_nouns or tok.pos_ != "NOUN":
            continue
        countries = [r for c in tok.children if c.dep_ in ("amod", "compound", "poss") for r in refs.of(c)
                     if refs.type_of(r.entity) is L]
        around = [r for p in tok.children if p.dep_ == "prep" and p.lower_ == "in" for r in refs.objects_of(p)
                  if refs.type_of(r.entity) is L]
        if countries and around and countries[0].how == "direct":
            # "the East Kilbride seat in Lanarkshire": the named place is in the place after "in"
            yield Candidate(L_IN, tuple(countries[:1]), tuple(around[:1]), tok, "place", actor_subject=False)
            continue
        inner = [r for c in tok.children if c.dep_ == "appos" for r in refs.of(c)]
        inner += [r for p in tok.children if p.dep_ == "prep" and p.lower_ == "of" for r in refs.objects_of(p)]
        if not inner and tok.i + 2 < len(doc) and doc[tok.i + 1].text == "," and tok.i + 2 in refs.by_token:
            inner = [Ref(refs.by_token[tok.i + 2], "direct", tok.i + 2)]
        inner = [r for r in inner if refs.type_of(r.entity) is L and (not countries or r.entity != countries[0].entity)]
        if countries and inner and gaz.country(refs.entities[inner[0].entity].name) and not gaz.country(
                refs.entities[countries[0].entity].name):
            # "the Guangdong province of China": the country after "of" holds the named province
            yield Candidate(L_IN, tuple(countries[:1]), tuple(inner[:1]), tok, "place", actor_subject=False)
        elif countries and inner:
            yield Candidate(L_IN, tuple(inner), tuple(countries[:1]), tok, "place", actor_subject=False)


def _title_word(tok: Any, refs: Referents, lex: Lexicon) -> bool:
    """A word of a title before a name: a title word, a lower-case modifier, "former", a hyphen."""
    if tok.i in refs.by_token or tok.is_punct and tok.text not in ("-", "–"):
        return False
    if tok.lower_ in lex.former_words or tok.text in ("-", "–"):
        return True
    if is_title_token(tok.doc, tok.i, refs.gaz):
        return True
    return tok.pos_ in ("NOUN", "ADJ", "PROPN", "VERB") and tok.dep_ in ("compound", "amod", "nmod") and (
        not tok.ent_type_ or tok.text.islower()) and tok.head.i > tok.i and not refs.gaz.demonym(tok.text)


def _names_body(tok: Any, refs: Referents, lex: Lexicon) -> bool:
    """ "Committee" in "Committee chairman John Denham": a body's noun that names one of the document's bodies."""
    return _body_by_noun(tok, refs, lex) is not None


def _body_by_noun(tok: Any, refs: Referents, lex: Lexicon) -> int | None:
    """The body "the committee" or "alliance" stands for: the one whose name ends in the noun, else, for the
    nouns that refer back ("the alliance", "the ministry"), the most salient organisation before it."""
    if tok.pos_ not in ("NOUN", "PROPN") or tok.lower_ not in lex.org_nouns:
        return None
    found = refs.named_by_noun(tok)
    if found is None and O in lex.nominals.get(tok.lemma_.lower(), ()):
        found = refs.resolve_pronoun(tok, frozenset({O}), nominal=True)
    return found


def _body_at(doc: Any, i: int, refs: Referents, lex: Lexicon, forward: bool = False) -> Ref | None:
    """The organisation or state named at token ``i``: a name, a demonym ("Afghan"), or "the committee"."""
    if i < 0 or i >= len(doc):
        return None
    tok = doc[i]
    if i in refs.by_token and i not in refs.partial:
        if _based_modifier(doc, i, refs):
            return None  # "of the New York-based group": the group, not New York
        entity = refs.by_token[i]
        return Ref(entity, "direct", i) if refs.type_of(entity) in (O, L) else None
    if refs.gaz.demonym(tok.text) and tok.text[:1].isupper():
        found = [r for r in refs.of(tok) if refs.type_of(r.entity) is L]
        return found[0] if found else None
    found = _body_by_noun(tok, refs, lex)
    return Ref(found, "coref", i) if found is not None else None


def _based_modifier(doc: Any, i: int, refs: Referents) -> bool:
    """Whether the name at token ``i`` only says where something is based: "New York-based", "Paris based"."""
    entity = refs.by_token.get(i)
    while i + 1 < len(doc) and refs.by_token.get(i + 1) == entity:
        i += 1
    following = doc[i + 1 : i + 3]
    words = [t.lower_ for t in following]
    return bool(words) and (words[0] in ("-based", "based") or words[:2] in (["-", "based"], ["–", "based"]))


def _first_token(doc: Any, i: int, refs: Referents) -> int:
    entity = refs.by_token.get(i)
    while entity is not None and i > 0 and refs.by_token.get(i - 1) == entity:
        i -= 1
    return i


def _skip_det(doc: Any, i: int) -> int:
    """Past "the" and the lower-case words before a name: "of the smaller Rollei company", "of the state Republican Party"."""
    if i < len(doc) and doc[i].lower_ == "the":
        i += 1
        while i + 1 < len(doc) and doc[i].text.islower() and doc[i].pos_ in ("ADJ", "NOUN") and doc[i].ent_type_ == "":
            i += 1
    return i


_ELSEWHERE_PREPS = frozenset({"to", "in", "into", "from", "for", "at"})
_ELSEWHERE_VERBS = frozenset({"visit", "tour", "enter", "leave", "attack", "invade", "bomb", "reach"})


def _only_country(refs: Referents, near: int | None = None) -> Ref | None:
    """The one country the document names, for a title that names no body ("Chancellor Gordon Brown");
    none when, in the sentence of the token ``near``, that country is where someone goes or acts ("will
    visit China", "arrived in Israel"): the country a title holder travels to is rarely his."""
    countries = {e.index for e in refs.entities if e.type is L and refs.gaz.country(e.name)}
    if len(countries) != 1:
        return None
    entity = countries.pop()
    if near is not None:
        sent = refs.sent_of.get(near)
        for pos, ent in refs.order:
            tok = refs.doc[pos]
            if ent != entity or refs.sent_of.get(pos) != sent:
                continue
            head = tok.head
            if (tok.dep_ == "pobj" and head.lower_ in _ELSEWHERE_PREPS) or (
                    tok.dep_ == "dobj" and head.lemma_.lower() in _ELSEWHERE_VERBS):
                return None
    return Ref(entity, "unnamed", -1)


def _text(doc: Any, indices: list[int]) -> str | None:
    if not indices:
        return None
    first, last = min(indices), max(indices)
    while first < last and doc[first].text in ("-", "–"):
        first += 1
    return doc[first : last + 1].text or None
