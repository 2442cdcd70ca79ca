"""Entity mentions from a parsed document.

In: a spaCy ``Doc`` of a ``CleanText`` (any object with the Doc API: this module
does not import spaCy). Out: ``EntityMention``s with offsets into the original
document text.

What it does to the model's entities:

- maps labels to node types (PERSON -> Person, ORG -> Organization, GPE/LOC/FAC
  -> Place; NORP -> Organization only for a group named as a noun, "the Taliban",
  never for a demonym used as an adjective, "Afghan forces"); any span naming a
  country is a Place whatever its label;
- strips leading articles and trailing possessives ("the Soviet Union's" -> Soviet Union);
- drops spans that are dates, numbers, product codes ("AK-47s") or a name used
  as a product's modifier ("Kalashnikov assault rifles");
- repairs person names the model cut short ("Fogh Rasmussen" after a first
  name "Anders" that it left out);
- reads the title or role next to a person ("Defense Minister Sergei Ivanov",
  "Rasmussen, a former prime minister of Denmark").
"""

from __future__ import annotations

import re
from typing import Any, Collection, Iterator

from kg.clean import CleanText
from kg.gazetteer import Gazetteer, gazetteer
from kg.model import EntityMention
from kg.vocab import EntityType

LABEL_TYPES = {
    "PERSON": EntityType.PERSON,
    "ORG": EntityType.ORGANIZATION,
    "GPE": EntityType.PLACE,
    "LOC": EntityType.PLACE,
    "FAC": EntityType.PLACE,
}
LEADING_DROP = frozenset({"the", "a", "an"})
TRAILING_DROP = frozenset({"'s", "'", "’s", "’", ".", ",", ":", ";", "-", "--", "—", '"'})
PRODUCT_HEADS = frozenset(
    "rifle rifles gun guns pistol pistols missile missiles rocket rockets jet jets fighter fighters tank tanks "
    "helicopter helicopters plane planes aircraft drone drones launcher launchers car cars truck trucks "
    "phone phones smartphone smartphones laptop laptops vaccine vaccines engine engines".split()
)
_PRODUCT_CODE = re.compile(r"^[A-Z]{1,4}-?\d+[A-Za-z]*s?$")
_DATE_LIKE = re.compile(r"^[\d\s/.:,-]+$|^\d")
_NAME_TOKEN = re.compile(r"^[A-Z][a-z]+(-[A-Z][a-z]+)?$")
_COUNTRY_PREFIX = re.compile(r"^([A-Z][\w.]*[\w.])-[a-z]+$")
HONORIFICS = frozenset({"Lord", "Lady", "Sir", "Dame", "Baroness", "Baron"})
_ACRONYM_DEF = re.compile(r"\(([A-Z][A-Z&]{1,7})\)")
_DEF_WORD = re.compile(r"[A-Z][\w'&.-]*|of|and|for|the|on|de|du|la")


def extract_mentions(
    doc: Any, clean: CleanText, gaz: Gazetteer | None = None, lexicon: Collection[str] = ()
) -> list[EntityMention]:
    """Entity mentions of ``doc``, in text order. ``lexicon``: lower-case common English words."""
    gaz = gaz or gazetteer()
    sent_of = _sentence_index(doc)
    out: list[EntityMention] = []
    spans = [(ent.start, ent.end, ent.label_) for ent in doc.ents]
    spans = _add_defined_acronyms(doc, spans)
    spans = _split_pairs(doc, spans, gaz)
    spans = _add_missed_countries(doc, spans, gaz)
    for ent_start, ent_end, label in spans:
        span = _trim(doc, ent_start, ent_end)
        if span is None:
            continue
        start, end = _extend_hyphenated(doc, *span)
        etype = _entity_type(doc, label, start, end, gaz)
        if etype is None or _is_noise(doc, start, end, label, gaz, lexicon):
            continue
        title = None
        if etype is EntityType.PERSON:
            start = _extend_person(doc, start, gaz)
            start, end = _strip_leading_titles(doc, start, end, gaz)
            title = person_title(doc, start, end, gaz, lexicon)
        first, last = doc[start], doc[end - 1]
        cstart, cend = first.idx, last.idx + len(last.text)
        name = doc.text[cstart:cend]
        if "\n" in name:
            continue
        sstart, send = clean.to_source(cstart, cend)
        out.append(
            EntityMention(
                start=sstart,
                end=send,
                text="",  # filled by the caller from the document text
                name=" ".join(name.split()),
                type=etype,
                label=label,
                tokens=(start, end),
                sentence=sent_of[start],
                title=title,
                headline=cstart < clean.headline_end,
            )
        )
    for i, cstart, cend in _country_prefixes(doc, gaz):
        sstart, send = clean.to_source(cstart, cend)
        out.append(
            EntityMention(
                start=sstart, end=send, text="", name=doc.text[cstart:cend], type=EntityType.PLACE, label="GPE",
                tokens=(i, i + 1), sentence=sent_of[i], headline=cstart < clean.headline_end,
            )
        )
    out.sort(key=lambda m: (m.start, m.end))
    return out


def _add_defined_acronyms(doc: Any, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Add "Long Name (ACR)" definitions the model missed, and the acronym's later uses.

    The long form is the shortest run of capitalised words (small words allowed
    inside) before the parenthesis whose initials spell the acronym.
    """
    text = doc.text
    taken = {i for s, e, _ in spans for i in range(s, e)}
    added: list[tuple[int, int, str]] = []
    for m in _ACRONYM_DEF.finditer(text):
        acr = m.group(1)
        words = list(_DEF_WORD.finditer(text, max(0, m.start() - 120), m.start()))
        # keep only the run of words separated by single spaces that ends at the parenthesis
        run: list[re.Match[str]] = []
        end = m.start()
        for w in reversed(words):
            if text[w.end() : end].strip():
                break
            run.insert(0, w)
            end = w.start()
        for k in range(len(run)):
            if run[k].group(0)[0].islower():
                continue
            long_words = [w.group(0) for w in run[k:]]
            if "".join(w[0] for w in long_words if w[0].isupper()).upper() == acr.replace("&", ""):
                long_span = doc.char_span(run[k].start(), run[-1].end(), alignment_mode="expand")
                if long_span is not None and not taken.intersection(range(long_span.start, long_span.end)):
                    added.append((long_span.start, long_span.end, "ORG"))
                    taken.update(range(long_span.start, long_span.end))
                elif long_span is not None:
                    # the model saw part of it ("NATO" in "NATO-led International ..."): the definition wins
                    spans = [sp for sp in spans if sp[1] <= long_span.start or sp[0] >= long_span.end]
                    added.append((long_span.start, long_span.end, "ORG"))
                for use in re.finditer(rf"(?<![\w-]){re.escape(acr)}(?![\w-])", text):
                    tok = doc.char_span(use.start(), use.end())
                    if tok is not None and tok.start not in taken:
                        added.append((tok.start, tok.end, "ORG"))
                        taken.update(range(tok.start, tok.end))
                break
    return sorted(set(spans + added)) if added else spans


def _split_pairs(doc: Any, spans: list[tuple[int, int, str]], gaz: Gazetteer) -> list[tuple[int, int, str]]:
    """Split "NATO-Russia talks" into NATO and Russia: a hyphenated pair of names used as a modifier.

    Both halves must be names the document uses on their own (or countries);
    a pair that is itself a name ("NATO-Russia Council") is kept whole.
    """
    labels: dict[str, str] = {}
    for s, e, label in spans:
        labels.setdefault(doc[s:e].text, label)
    out: list[tuple[int, int, str]] = []
    for s, e, label in spans:
        if e - s == 3 and doc[s + 1].text == "-" and not doc[s].whitespace_ and not doc[s + 1].whitespace_:
            left, right = doc[s].text, doc[s + 2].text
            head = doc[s + 2].head
            halves = [labels.get(w) or ("GPE" if gaz.country(w) else None) for w in (left, right)]
            if all(halves) and head.i >= e and head.text.islower():
                out.append((s, s + 1, halves[0]))
                out.append((s + 2, s + 3, halves[1]))
                continue
        out.append((s, e, label))
    return out


def _add_missed_countries(doc: Any, spans: list[tuple[int, int, str]], gaz: Gazetteer) -> list[tuple[int, int, str]]:
    """Country names the model left untagged: exact spelling, proper noun, one token."""
    added = [
        (t.i, t.i + 1, "GPE")
        for t in doc
        if not t.ent_type_ and t.pos_ == "PROPN" and t.text in gaz.country_forms and len(t.text) > 1
    ]
    return sorted(spans + added) if added else spans


def _country_prefixes(doc: Any, gaz: Gazetteer) -> Iterator[tuple[int, int, int]]:
    """A country glued to a participle in one token: "U.S.-led", "Soviet-backed" is not one (a demonym).

    Yields (token index, clean start, clean end) of the country part.
    """
    for t in doc:
        m = _COUNTRY_PREFIX.match(t.text)
        if m and not t.ent_type_ and m.group(1) in gaz.country_forms:
            yield t.i, t.idx, t.idx + len(m.group(1))


def _extend_hyphenated(doc: Any, start: int, end: int) -> tuple[int, int]:
    """Take in the rest of a hyphen-joined name the model cut: "[Mazar]-i-Sharif"."""
    j = end
    while (
        j + 1 < len(doc)
        and doc[j].text == "-"
        and not doc[j - 1].whitespace_
        and not doc[j].whitespace_
        and not doc[j + 1].ent_type_  # "NATO-[Russia]" joins two names; leave them apart
    ):
        j += 2
        if doc[j - 1].text[:1].isupper():
            end = j
    return start, end


def _sentence_index(doc: Any) -> list[int]:
    index = [0] * len(doc)
    for n, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            index[i] = n
    return index


def _trim(doc: Any, start: int, end: int) -> tuple[int, int] | None:
    while start < end and (doc[start].lower_ in LEADING_DROP or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].lower_ in TRAILING_DROP or doc[end - 1].is_space):
        end -= 1
    return (start, end) if start < end else None


def _entity_type(doc: Any, label: str, start: int, end: int, gaz: Gazetteer) -> EntityType | None:
    text = doc[start:end].text
    if gaz.country(text) and label != "PERSON":
        return EntityType.PLACE
    if label in LABEL_TYPES:
        return LABEL_TYPES[label]
    if label == "NORP":
        if gaz.demonym(text):
            return None
        root = doc[start:end].root
        # A group named as a noun ("the Taliban attacked"), not an adjective ("Islamist guerrillas").
        if root.pos_ in ("PROPN", "NOUN") and root.dep_ not in ("amod", "compound", "nmod"):
            return EntityType.ORGANIZATION
        return None
    if gaz.country(text):
        return EntityType.PLACE
    return None


def _is_noise(doc: Any, start: int, end: int, label: str, gaz: Gazetteer, lexicon: Collection[str]) -> bool:
    span = doc[start:end]
    text = span.text
    if not any(ch.isalpha() for ch in text) or _DATE_LIKE.match(text):
        return True
    if _PRODUCT_CODE.match(text):
        return True
    if not any(t.text[:1].isupper() for t in span):
        return True
    if len(span) > 10:
        return True
    # A name used as the modifier of a product noun: "Kalashnikov assault rifles".
    last = doc[end - 1]
    if last.dep_ in ("compound", "amod", "nmod") and last.head.i >= end and last.head.lower_ in PRODUCT_HEADS:
        return True
    # A geographic name used as an adjective: "the Atlantic alliance".
    if label == "LOC" and last.dep_ in ("compound", "amod") and last.head.i >= end and last.head.text.islower():
        return True
    # Common words the model took for a name in front of a title: "[Defense] Minister".
    if end < len(doc) and _is_title_token(doc, end, gaz) and all(_is_title_modifier(t, gaz, lexicon) for t in span):
        return True
    return False


def _is_title_modifier(tok: Any, gaz: Gazetteer, lexicon: Collection[str]) -> bool:
    """A capitalised common word inside a title ("Defense" in "Defense Minister")."""
    return (
        tok.text.istitle()
        and tok.lower_ in lexicon
        and not gaz.country(tok.text)
        and not gaz.demonym(tok.text)
        and tok.lower_ not in gaz.capitals
    )


def _extend_person(doc: Any, start: int, gaz: Gazetteer) -> int:
    """Take back first names the model left out: "Anders [Fogh Rasmussen]"."""
    while start > 0:
        prev = doc[start - 1]
        if prev.text in HONORIFICS:
            return start - 1
        if (
            prev.pos_ == "PROPN"
            and _NAME_TOKEN.match(prev.text)
            and not prev.ent_type_
            and not gaz.is_title_word(prev.text)
            and not gaz.country(prev.text)
            and not gaz.demonym(prev.text)
            and prev.dep_ in ("compound", "nmod", "nsubj", "appos", "npadvmod")
            and prev.head.i >= start
        ):
            start -= 1
        else:
            break
    return start


def _strip_leading_titles(doc: Any, start: int, end: int, gaz: Gazetteer) -> tuple[int, int]:
    """Move titles the model put inside a person span ("President Putin") out of the name."""
    while end - start > 1 and (gaz.is_title_word(doc[start].text) or doc[start].text in ("Mr.", "Mrs.", "Ms.", "Dr.")):
        start += 1
    return start, end


def person_title(doc: Any, start: int, end: int, gaz: Gazetteer, lexicon: Collection[str] = ()) -> str | None:
    """The title or role written next to the person ``doc[start:end]``, or None."""
    for candidate in (_title_before(doc, start, gaz, lexicon), _title_in_apposition(doc, start, end, gaz)):
        if candidate:
            return candidate
    # A title the model kept inside the name: "[President Putin]".
    inner = [t for t in doc[start:end] if gaz.is_title_word(t.text)]
    if inner and inner[-1].i < end - 1 and all(gaz.is_title_word(t.text) for t in doc[start : inner[-1].i + 1]):
        return doc[start : inner[-1].i + 1].text
    return None


def _title_before(doc: Any, start: int, gaz: Gazetteer, lexicon: Collection[str]) -> str | None:
    i = start - 1
    chain: list[int] = []
    while i >= 0:
        tok = doc[i]
        if tok.text in ("-", "–") and chain:
            chain.append(i)
        elif tok.is_punct or tok.is_space or tok.tag_ == "POS":
            break
        elif tok.ent_type_ and not (tok.ent_type_ == "ORG" and _is_title_modifier(tok, gaz, lexicon)):
            break
        elif tok.pos_ in ("DET", "PRON", "VERB", "AUX", "ADP", "CCONJ", "NUM", "PART"):
            break
        elif gaz.demonym(tok.text) or gaz.country(tok.text):
            break
        elif (
            gaz.is_title_word(tok.text)
            or _is_title_modifier(tok, gaz, lexicon)
            or (tok.dep_ in ("compound", "amod", "nmod") and tok.head.i > tok.i)
        ):
            chain.append(i)
        else:
            break
        i -= 1
    if not chain:
        return None
    chain.sort()
    # The title ends at its last title word: "Defense Minister", "alliance spokesman".
    heads = [j for j in chain if _is_title_token(doc, j, gaz)]
    if not heads:
        return None
    first, last = chain[0], heads[-1]
    while first < last and doc[first].text in ("-", "–"):
        first += 1
    return doc[first : last + 1].text


def _is_title_token(doc: Any, i: int, gaz: Gazetteer) -> bool:
    text = doc[i].text
    if gaz.is_title_word(text):
        return True
    # "Prime Minister", "Secretary-General", "Vice-President" written as several tokens.
    if i >= 2 and doc[i - 1].text == "-" and gaz.is_title_word(f"{doc[i - 2].text}-{text}"):
        return True
    return False


def _title_in_apposition(doc: Any, start: int, end: int, gaz: Gazetteer) -> str | None:
    """ "Rasmussen, a former prime minister of Denmark" -> "former prime minister"."""
    if end >= len(doc) or doc[end].text != ",":
        return None
    for tok in doc[start:end].root.children:
        if tok.dep_ != "appos" or tok.i <= end:
            continue
        left = [t for t in tok.lefts if t.dep_ not in ("det", "poss", "punct") and not t.ent_type_]
        left = [t for t in left if not any(a.dep_ == "poss" for a in t.ancestors if a.i < tok.i)]
        first = min([t.i for t in left] + [tok.i])
        words = doc[first : tok.i + 1]
        if any(_is_title_token(doc, t.i, gaz) for t in words):
            return words.text
    return None
