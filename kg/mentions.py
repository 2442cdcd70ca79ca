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

from kg.catalog import Catalog, KnownEntity
from kg.clean import CleanText
from kg.gazetteer import Gazetteer, gazetteer
from kg.kinds import (
    LABEL_TYPES, context_cue, inside_titled_work, is_animal, is_generic, is_not_entity, is_work, word_votes, words,
)
from kg.model import EntityMention
from kg.names import honorifics, is_first_name, parse
from kg.places import known_place
from kg.scores import team_spans, team_tokens
from kg.titles import is_title_modifier, is_title_token, person_title
from kg.vocab import EntityType

LEADING_DROP = frozenset({"the", "a", "an"})
TRAILING_DROP = frozenset({"'s", "'", "’s", "’", ".", ",", ":", ";", "-", "--", "—", '"'})
_PRODUCT_CODE = re.compile(r"^[A-Z]{1,4}-?\d+[A-Za-z]*s?$")
_DATE_LIKE = re.compile(r"^[\d\s/.:,-]+$|^\d")
_NAME_TOKEN = re.compile(r"^[A-Z][a-z]+(-[A-Z][a-z]+)?$")
_COUNTRY_PREFIX = re.compile(r"^([A-Z][\w.]*[\w.])-[a-z]+$")
_DASHES = frozenset({"-", "–", "—", "--"})
NOISE, KIND = "noise", "kind"
_ACRONYM_DEF = re.compile(r"\(([A-Z][A-Z&]{1,7})\)")
_DEF_WORD = re.compile(r"[A-Z][\w'&.-]*|of|and|for|the|on|de|du|la")


def extract_mentions(
    doc: Any,
    clean: CleanText,
    gaz: Gazetteer | None = None,
    lexicon: Collection[str] = (),
    catalog: Catalog | None = None,
) -> list[EntityMention]:
    """Entity mentions of ``doc``, in text order. ``lexicon``: lower-case common English words;
    ``catalog``: known entities (compiled with the pipeline's tokenizer)."""
    gaz = gaz or gazetteer()
    sent_of = _sentence_index(doc)
    text = doc.text  # a property that joins every token: read once
    out: list[EntityMention] = []
    void: set[str] = set()  # names that a context shows to be no entity (a product, a work, an animal)
    spans = _split_at_line_breaks(doc, [(ent.start, ent.end, ent.label_) for ent in doc.ents])
    spans = _add_defined_acronyms(doc, spans)
    known: dict[tuple[int, int], KnownEntity] = {}
    if catalog is not None:
        spans, known = _apply_catalog(doc, spans, catalog, lexicon)
    spans = _add_addressed_persons(doc, spans, known, gaz)
    spans = _add_bracketed_first_names(doc, spans)
    competitors = team_tokens(doc)
    teams = team_spans(doc)  # results and table lines of sports pages: the names there are teams
    if teams:
        spans = [sp for sp in spans if sp[:2] in known or not any(sp[0] < e and s < sp[1] for s, e in teams)]
        spans += [(s, e, "TEAM") for s, e in teams if (s, e) not in known]
        spans.sort()
    spans = _split_pairs(doc, spans, gaz)
    spans = _split_country_prefix(doc, spans, gaz, lexicon)
    spans = _add_missed_countries(doc, spans, gaz)
    spans = _add_repeated_names(doc, spans, known, lexicon)
    for ent_start, ent_end, label in spans:
        entry = known.get((ent_start, ent_end))
        if entry is not None:
            if entry.type is None:
                continue  # the entity file says these words are never an entity
            start, end, etype = ent_start, ent_end, entry.type
        else:
            span = _trim(doc, ent_start, ent_end)
            if span is None:
                continue
            if label == "PERSON":
                while span[1] - span[0] > 1 and doc[span[1] - 1].text.isdigit():
                    span = (span[0], span[1] - 1)  # "J. Pooley 111": a score after a player's name
            start, end = _extend_hyphenated(doc, *span)
            if start > 0 and doc[start - 1].text in words().org_first and doc[start - 1].pos_ == "PROPN" and (
                not doc[start - 1].ent_type_ and label != "PERSON"
            ):
                start, label = start - 1, "ORG"  # "Air India", "Bank Negara": the model kept only the place
            etype = _entity_type(doc, label, start, end, gaz)
            if etype is None or _portfolio_in_title(doc, start, end, gaz):
                continue  # "Secretary of State", "Minister of Defence": the title's words, no body
            if etype is EntityType.ORGANIZATION and _after_person_title(doc, start, end, gaz):
                etype, label = EntityType.PERSON, "PERSON"  # "Chancellor Olaf Scholz", taken for a body
            noise = _is_noise(doc, start, end, label, gaz, lexicon)
            if noise:
                if noise == KIND:
                    void.add(" ".join(doc[start:end].text.split()))
                continue
        title = honorific = None
        name = " ".join(doc[start:end].text.split())
        if is_animal(doc, start, end):
            void.add(name)  # "guide dog Lucy": no mention of that name is an entity
            continue
        if etype is EntityType.PERSON and entry is None:
            start = _extend_person(doc, start, gaz)
            start, end = _strip_leading_titles(doc, start, end, gaz)
            title = person_title(doc, start, end, gaz, lexicon)
            person = parse(" ".join(t.text for t in doc[start:end] if t.text not in "()" and not t.is_space))
            name, honorific = person.name, person.honorific
        first, last = doc[start], doc[end - 1]
        cstart, cend = first.idx, last.idx + len(last.text)
        if "\n" in text[cstart:cend]:
            continue
        sstart, send = clean.to_source(cstart, cend)
        out.append(
            EntityMention(
                start=sstart,
                end=send,
                text="",  # filled by the caller from the document text
                name=name,
                type=etype,
                label=label,
                tokens=(start, end),
                sentence=sent_of[start],
                title=title,
                headline=cstart < clean.headline_end,
                honorific=honorific,
                canonical=entry.name if entry is not None else None,
                cue=context_cue(doc, start, end),
                team=label == "TEAM" or any(i in competitors for i in range(start, end)),
            )
        )
    for i, cstart, cend in _country_prefixes(doc, gaz):
        sstart, send = clean.to_source(cstart, cend)
        out.append(
            EntityMention(
                start=sstart, end=send, text="", name=text[cstart:cend], type=EntityType.PLACE, label="GPE",
                tokens=(i, i + 1), sentence=sent_of[i], headline=cstart < clean.headline_end,
            )
        )
    out = [m for m in out if m.name not in void and " ".join(m.text.split()) not in void]
    out.sort(key=lambda m: (m.start, m.end))
    return out


def _apply_catalog(
    doc: Any, spans: list[tuple[int, int, str]], catalog: Catalog, lexicon: Collection[str]
) -> tuple[list[tuple[int, int, str]], dict[tuple[int, int], KnownEntity]]:
    """Put the entity file's names into the model's spans.

    A known name replaces the model's spans it overlaps ("Lib Dems" PERSON,
    "Democrats" of "Liberal Democrats"), except a longer span of the model
    that contains it ("Labour Party National Executive"); a party opening a
    person span is split off ("Tory Neil Hamilton"). A one-word name that is
    also a common word opening a sentence ("Labour costs rose") counts only
    where the model saw an entity too, and one that ends a longer run of
    capitalised words ("Social Democrats") is left to the model.
    """
    known: dict[tuple[int, int], KnownEntity] = {}
    out = list(spans)
    for s, e, index in catalog.matches([t.text for t in doc]):
        entry = catalog.entry(index)
        tok = doc[s]
        if e - s == 1:
            common = tok.lower_ in lexicon
            if common and not tok.ent_type_ and (tok.is_sent_start or s == 0) and tok.pos_ != "PROPN" and (
                tok.dep_ not in ("nsubj", "nsubjpass")
            ):
                continue
            prev = doc[s - 1] if s > 0 else None
            if (prev is not None and prev.pos_ == "PROPN" and prev.text[:1].isupper() and not prev.is_sent_start
                    and not honorifics().form(prev.text) and not any(a <= s - 1 < b for a, b in known)):
                continue
        keep: list[tuple[int, int, str]] = []
        accepted = True
        for a, b, label in out:
            a0 = a + 1 if doc[a].lower_ in LEADING_DROP and a + 1 < b else a  # "the Red Cross" is "Red Cross"
            if b <= s or a >= e:
                keep.append((a, b, label))
            elif a0 <= s and e <= b and (b - a0) > (e - s):
                if label == "PERSON" and a0 == s and entry.type is not None and entry.type.value != "Person":
                    keep.append((e, b, label))  # "Tory Neil Hamilton": the party, then the person
                else:
                    keep.append((a, b, label))
                    accepted = False
        if accepted:
            out = keep + [(s, e, "KNOWN")]
            known[(s, e)] = entry
    return sorted(out), known


_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "KNOWN", "TEAM"})


def _add_repeated_names(
    doc: Any, spans: list[tuple[int, int, str]], known: dict[tuple[int, int], KnownEntity], lexicon: Collection[str]
) -> list[tuple[int, int, str]]:
    """A name the model tagged once is that name wherever else the document writes it ("Deportivo coach
    Javier Irureta" after "Deportivo La Coruna ... Deportivo"): the same words, capitalised, untagged."""
    names: dict[tuple[str, ...], tuple[str, KnownEntity | None]] = {}
    for s, e, label in spans:
        words = tuple(t.text for t in doc[s:e])
        if label in _NAME_LABELS and all(w[:1].isupper() or not w[:1].isalpha() for w in words) and len("".join(words)) > 2:
            names.setdefault(words, (label, known.get((s, e))))
            first = words[0]
            if (label in ("ORG", "FAC", "TEAM") and len(words) > 1 and first.isalpha() and len(first) > 3
                    and first.lower() not in lexicon and not is_first_name(first) and known_place(first) is None):
                names.setdefault((first,), (label, None))  # "Deportivo" for "Deportivo La Coruna"
    if not names:
        return spans
    taken = {i for s, e, _ in spans for i in range(s, e)}
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for words in sorted(names, key=len, reverse=True):
        by_first.setdefault(words[0], []).append(words)
    texts = [t.text for t in doc]
    added: list[tuple[int, int, str]] = []
    i = 0
    while i < len(texts):
        for words in by_first.get(texts[i], ()):
            end = i + len(words)
            if tuple(texts[i:end]) != words or taken.intersection(range(i, end)):
                continue
            if len(words) == 1 and doc[i].lower_ in lexicon and (doc[i].pos_ != "PROPN" or doc[i].is_sent_start):
                continue  # a common word ("Labour costs"), unless written as a proper noun mid-sentence
            label, entry = names[words]
            added.append((i, end, label))
            if entry is not None:
                known[(i, end)] = entry
            taken.update(range(i, end))
            i = end - 1
            break
        i += 1
    return sorted(spans + added) if added else spans


def _add_bracketed_first_names(doc: Any, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """ "(Dietmar) Hamann": a first name the writer put in brackets before a surname is part of the name."""
    out = list(spans)
    for t in doc[: len(doc) - 3]:
        first, close, last = doc[t.i + 1], doc[t.i + 2], doc[t.i + 3]
        if t.text == "(" and close.text == ")" and first.pos_ == "PROPN" and first.text.istitle() and (
            last.pos_ == "PROPN" and last.text[:1].isupper()
        ):
            end = last.i + 1
            while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper():
                end += 1
            out = [(a, b, label) for a, b, label in out if b <= t.i or a >= end]
            out.append((t.i, end, "PERSON"))
    return sorted(out)


def _add_addressed_persons(
    doc: Any, spans: list[tuple[int, int, str]], known: dict[tuple[int, int], KnownEntity], gaz: Gazetteer
) -> list[tuple[int, int, str]]:
    """A form of address before capitalised words names a person ("Mr Houston", "Lord Woolf"),
    whatever the model called them; a peer's "of X" is a place ("Lord Kinnock of Bedwellty")."""
    hon = honorifics()
    out = list(spans)
    for t in doc:
        form = hon.form(t.text)
        if form is None or t.i + 1 >= len(doc) or gaz.is_title_word(doc[t.i + 1].text):
            continue  # "Lord Chancellor" is a post
        j = t.i + 1
        while j < len(doc) and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper() and not hon.form(doc[j].text):
            j += 1
        if j == t.i + 1 or any(a <= t.i + 1 < b for a, b in known):
            continue
        person = (t.i + 1, j)
        place = None
        if form in hon.peerage and j + 1 < len(doc) and doc[j].lower_ == "of" and doc[j + 1].text[:1].isupper():
            k = j + 1
            while k < len(doc) and doc[k].pos_ == "PROPN" and doc[k].text[:1].isupper():
                k += 1
            place = (j + 1, k)
        last = place[1] if place else person[1]
        out = [(a, b, label) for a, b, label in out if b <= t.i or a >= last]
        out.append((*person, "PERSON"))
        if place:
            out.append((*place, "GPE"))
    return sorted(out)


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
                if is_not_entity(" ".join(long_words)):
                    # "Consumer Electronics Show (CES)": the acronym names no entity either
                    spans = [sp for sp in spans if doc[sp[0] : sp[1]].text != acr]
                    break
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


def _portfolio_in_title(doc: Any, start: int, end: int, gaz: Gazetteer) -> bool:
    """ "State" in "Secretary of State", "Defence" in "the Minister of Defence", "Exchequer" in "Chancellor
    of the Exchequer": a department's word after a title word and "of" is part of the title; not a body's
    name ("the deputy secretary of the Foreign Ministry")."""
    i = start - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    return (i >= 1 and doc[i].lower_ == "of" and gaz.is_title_word(doc[i - 1].text)
            and doc[start].lower_ in words().portfolios and not word_votes(doc[start:end].text))


def _after_person_title(doc: Any, start: int, end: int, gaz: Gazetteer) -> bool:
    """A name the model took for a body, right after a title only people hold ("Chancellor Olaf Scholz",
    "Secretary General Kofi Annan"), whose own words name no body ("… Party", "Bank of …")."""
    prev = doc[start - 1] if start > 0 else None
    return (prev is not None and prev.text[:1].isupper() and gaz.is_title_word(prev.text)
            and prev.lower_ not in words().shared_titles and end - start <= 3
            and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in doc[start:end])
            and not word_votes(doc[start:end].text) and not gaz.country(doc[start:end].text))


def _split_at_line_breaks(doc: Any, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A span the model ran across a line break ("Geneva\n\nZalando": a headline's last word and the
    body's first) is two names, one on each line."""
    out: list[tuple[int, int, str]] = []
    for s, e, label in spans:
        start = s
        for i in range(s, e):
            if "\n" in doc[i].text or "\n" in doc[i].whitespace_:
                end = i if "\n" in doc[i].text else i + 1
                if end > start:
                    out.append((start, end, label))
                start = i + 1
        if start < e:
            out.append((start, e, label))
    return out


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


def _split_country_prefix(doc: Any, spans: list[tuple[int, int, str]], gaz: Gazetteer,
                          lexicon: Collection[str]) -> list[tuple[int, int, str]]:
    """A person span that opens with a country is none: "U.S. Motorola", "Netherlands Rabobank" (a company
    and where it is from, in a list of companies) are the country and an organisation; "China Daily" (a
    common word after the country) is one organisation. A country that is also a first name ("Jordan
    Henderson", "Chad Smith") opens a person's name."""
    out: list[tuple[int, int, str]] = []
    for s, e, label in spans:
        if label != "PERSON":
            out.append((s, e, label))
            continue
        k = next((k for k in (3, 2, 1) if s + k < e and gaz.country(doc[s : s + k].text)), 0)
        if not k or is_first_name(doc[s].text) or doc[s + k].text in ("'s", "’s", "-"):
            out.append((s, e, label))
        elif e - (s + k) == 1 and (doc[s + k].lower_ in lexicon or doc[s + k].lower_[:-1] in lexicon
                                   and doc[s + k].lower_.endswith("s")):  # "China Daily", "Bangladesh Lamps"
            out.append((s, e, "ORG"))
        else:
            out += [(s, s + k, "GPE"), (s + k, e, "ORG")]
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


_SCORE = re.compile(r"\d+(?:[-–:]\d+)+")


def _trim(doc: Any, start: int, end: int) -> tuple[int, int] | None:
    for i in range(start + 1, end):
        tok = doc[i]
        if (tok.text in _DASHES and doc[i - 1].whitespace_) or (tok.pos_ in ("VERB", "AUX") and tok.text.islower()):
            end = i  # "John Prescott - were": a name ends before a spaced dash or a verb
            break
        if tok.text in ("(", "[") and not any(t.text in (")", "]") for t in doc[i + 1 : end]):
            end = i  # "Scott Draper (Australia": a bracket the span does not close is not part of the name
            break
    while True:  # "Mexico 2-0": a score after a team, one token or three
        if end - start > 1 and _SCORE.fullmatch(doc[end - 1].text):
            end -= 1
        elif end - start > 3 and _SCORE.fullmatch(doc[end - 3 : end].text.replace(" ", "")):
            end -= 3
        else:
            break
    while start < end and (doc[start].lower_ in LEADING_DROP or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].lower_ in TRAILING_DROP or doc[end - 1].is_space):
        end -= 1
    return (start, end) if start < end else None


def _entity_type(doc: Any, label: str, start: int, end: int, gaz: Gazetteer) -> EntityType | None:
    text = doc[start:end].text
    if gaz.demonym(text) and not gaz.country(text):
        return None  # "Pakistanis", "Afghan": people of a country, not a node
    if label == "TEAM":
        words = text.split()
        return EntityType.PERSON if len(words) >= 2 and is_first_name(words[0]) else EntityType.ORGANIZATION
    if gaz.country(text) and label != "PERSON":
        return EntityType.PLACE
    if label in LABEL_TYPES:
        return LABEL_TYPES[label]
    if label == "NORP":
        return None  # nationalities, religions, groups of people; a party or movement is in the entity file
    if gaz.country(text):
        return EntityType.PLACE
    return None


def _is_noise(doc: Any, start: int, end: int, label: str, gaz: Gazetteer, lexicon: Collection[str]) -> str | None:
    """Why the span is no mention: ``NOISE`` (here), ``KIND`` (what it names is no entity anywhere), or None."""
    span = doc[start:end]
    text = span.text
    if not any(ch.isalpha() for ch in text) or _DATE_LIKE.match(text):
        return NOISE
    if _PRODUCT_CODE.match(text):
        return NOISE
    if not any(t.text[:1].isupper() for t in span):
        return NOISE
    if len(span) > 10:
        return NOISE
    if is_not_entity(text) or any(t.pos_ in ("PRON", "AUX") for t in span):
        return KIND  # an event, a law, a competition; a title of a work ("We Are the World")
    if is_not_entity(_with_capitalised_words_before(doc, start, end)):
        return NOISE  # "Bill" of "the Criminal Justice Bill", which the model left out
    if is_work(doc, start) and not is_first_name(doc[start].text) and not (end < len(doc) and doc[end].tag_ == "POS"):
        return KIND  # "the storyline of EastEnders"; not "an adaptation of Philip Pullman's trilogy"
    if inside_titled_work(doc, start, end):
        return NOISE  # a name inside a title: "Breakfast with Frost programme" (Frost may be named elsewhere)
    if len(span) == 2 and re.fullmatch(r"[A-Z]|\d+", span[1].text) and span[0].lower_ in lexicon:
        return NOISE  # a grade or a code: "Grade C", "Plan B", "Category 4"
    # One common word used as a name ("the Authority", "the Church", "Heroes"): not a body of its own.
    word = span[0]
    if (len(span) == 1 and label != "PERSON" and (word.lower_ in lexicon or word.lemma_.lower() in lexicon)
            and not is_generic(word.text) and known_place(word.text) is None
            and ((start > 0 and doc[start - 1].lower_ in LEADING_DROP) or word.lemma_.lower() != word.lower_)):
        return NOISE
    # A name used as the modifier of a product noun: "Kalashnikov assault rifles", "the Samsung Yepp player".
    last = doc[end - 1]
    if last.dep_ in ("compound", "amod", "nmod") and last.head.i >= end and last.head.lower_ in words().product_nouns:
        return KIND if len(span) > 1 else NOISE  # a product's name; a one-word maker ("ATR 72-500") stays a maker
    # An item of a list of products: "players such as the Creative Zen player, the Samsung Yepp and …".
    first = span.root
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    if first is not span.root and first.pos_ == "NOUN" and first.lemma_.lower() in words().product_nouns:
        return KIND if len(span) > 1 else NOISE
    # The plural of a brand the text names: "their TiVos" after "TiVo".
    stem = text[:-1]
    if len(span) == 1 and text.endswith("s") and any(c.isupper() for c in stem[1:]) and any(t.text == stem for t in doc):
        return NOISE
    # A common word that opens a sentence: "Controversial", "Elderly", "Viruses".
    if len(span) == 1 and (span[0].is_sent_start or start == 0) and span[0].pos_ != "PROPN" and (
        span[0].lower_ in lexicon or span[0].lemma_.lower() in lexicon
    ):
        return NOISE
    # A geographic name used as an adjective: "the Atlantic alliance".
    if label == "LOC" and last.dep_ in ("compound", "amod") and last.head.i >= end and last.head.text.islower():
        return NOISE
    # Common words the model took for a name in front of a title: "[Defense] Minister".
    if end < len(doc) and is_title_token(doc, end, gaz) and all(is_title_modifier(t, gaz, lexicon) for t in span):
        return NOISE
    return None


def _with_capitalised_words_before(doc: Any, start: int, end: int) -> str:
    i = start
    while i > 0 and start - i < 4 and doc[i - 1].text[:1].isupper() and doc[i - 1].pos_ in ("PROPN", "ADJ", "NOUN"):
        i -= 1
    return doc[i:end].text


def _extend_person(doc: Any, start: int, gaz: Gazetteer) -> int:
    """Take back first names the model left out: "Anders [Fogh Rasmussen]"."""
    while start > 0:
        prev = doc[start - 1]
        if honorifics().form(prev.text):
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
    while end - start > 1 and not honorifics().form(doc[start].text) and (
        gaz.is_title_word(doc[start].text) or words().before.get(doc[start].lower_) is EntityType.PERSON
    ):
        start += 1  # "President Putin", "Actress Sandra Bullock"
    return start, end


