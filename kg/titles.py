"""Titles and roles written next to a person's name.

``person_title(doc, start, end, gaz)`` reads "Defense Minister" in "Defense
Minister Sergei Ivanov", "former prime minister" in "Rasmussen, a former prime
minister of Denmark", "President" in a span the model took whole ("President
Putin"). A title is a run of words that ends in a title word of
``data/titles.txt``; capitalised common words may lead it ("Defense").
"""

from __future__ import annotations

from typing import Any, Collection

from kg.gazetteer import Gazetteer
from kg.places import known_place


def is_title_modifier(tok: Any, gaz: Gazetteer, lexicon: Collection[str]) -> bool:
    """A capitalised common word inside a title ("Defense" in "Defense Minister")."""
    return (
        tok.text.istitle()
        and tok.lower_ in lexicon
        and not gaz.country(tok.text)
        and not gaz.demonym(tok.text)
        and tok.lower_ not in gaz.capitals
        and known_place(tok.text) is None  # "Liverpool manager": a place, not a word of the title
    )


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
        elif tok.ent_type_ and not (tok.ent_type_ == "ORG" and is_title_modifier(tok, gaz, lexicon)):
            break
        elif tok.pos_ in ("DET", "PRON", "VERB", "AUX", "ADP", "CCONJ", "NUM", "PART"):
            break
        elif gaz.demonym(tok.text) or gaz.country(tok.text):
            break
        elif (
            gaz.is_title_word(tok.text)
            or is_title_modifier(tok, gaz, lexicon)
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
    heads = [j for j in chain if is_title_token(doc, j, gaz)]
    if not heads:
        return None
    first, last = chain[0], heads[-1]
    while first < last and doc[first].text in ("-", "–"):
        first += 1
    return doc[first : last + 1].text


def is_title_token(doc: Any, i: int, gaz: Gazetteer) -> bool:
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
        if any(is_title_token(doc, t.i, gaz) for t in words):
            return words.text
    return None
