"""Mention rules on hand-built Docs (no model), then on real sentences."""

from __future__ import annotations

import pytest

from conftest import identity_clean, make_doc
from kg.catalog import load_catalog
from kg.gazetteer import gazetteer
from kg.mentions import extract_mentions
from kg.titles import person_title
from kg.vocab import EntityType

LEX = frozenset({"defense", "alliance", "minister", "spokesman", "assault", "rifle"})
CATALOG = load_catalog()
CATALOG.compile(str.split)


def mentions_of(doc):
    return extract_mentions(doc, identity_clean(doc.text), gazetteer(), LEX)


def test_mentions_possessive_and_article_are_stripped():
    doc = make_doc(
        ["the", "Soviet", "Union", "'s", "collapse"],
        spaces=[True, True, False, True, False],
        heads=[2, 2, 4, 2, 4], deps=["det", "compound", "poss", "case", "ROOT"],
        ents=[(0, 4, "GPE")],
    )
    [m] = mentions_of(doc)
    assert m.name == "Soviet Union"
    assert doc.text[m.start : m.end] == "Soviet Union"
    assert m.type is EntityType.PLACE


@pytest.mark.parametrize(
    "words,ent,label",
    [
        (["They", "could", "send", "AK-47s", "."], (3, 4), "ORG"),
        (["It", "was", "07/27/2016", "."], (2, 3), "PERSON"),
    ],
)
def test_mentions_codes_and_dates_wearing_entity_labels_are_dropped(words, ent, label):
    doc = make_doc(words, ents=[(*ent, label)])
    assert mentions_of(doc) == []


def test_mentions_name_modifying_a_product_noun_is_dropped():
    words = ["Kalashnikov", "assault", "rifles", "arrived"]
    doc = make_doc(words, heads=[2, 2, 3, 3], deps=["compound", "compound", "nsubj", "ROOT"],
                   pos=["PROPN", "NOUN", "NOUN", "VERB"], ents=[(0, 1, "PERSON")])
    assert mentions_of(doc) == []


def test_mentions_title_before_person_is_kept():
    words = ["alliance", "spokesman", "James", "Appathurai", "said"]
    doc = make_doc(words, heads=[1, 3, 3, 4, 4], deps=["compound", "compound", "compound", "nsubj", "ROOT"],
                   pos=["NOUN", "NOUN", "PROPN", "PROPN", "VERB"], ents=[(2, 4, "PERSON")])
    [m] = mentions_of(doc)
    assert (m.name, m.title) == ("James Appathurai", "alliance spokesman")


def test_mentions_title_stops_at_organisation_and_joins_hyphenated_title():
    words = ["NATO", "Secretary", "-", "General", "Lord", "Robertson", "said"]
    doc = make_doc(words, spaces=[True, False, False, True, True, True, False],
                   heads=[3, 3, 3, 5, 5, 6, 6], deps=["compound", "compound", "punct", "compound", "compound", "nsubj", "ROOT"],
                   pos=["PROPN", "PROPN", "PUNCT", "PROPN", "PROPN", "PROPN", "VERB"],
                   ents=[(0, 1, "ORG"), (5, 6, "PERSON")])
    people = [m for m in mentions_of(doc) if m.type is EntityType.PERSON]
    assert [(m.name, m.honorific, m.title) for m in people] == [("Robertson", "Lord", "Secretary-General")]


def test_mentions_truncated_first_name_is_repaired():
    words = ["Secretary-General", "Anders", "Fogh", "Rasmussen", "arrives"]
    doc = make_doc(words, heads=[3, 3, 3, 4, 4], deps=["compound", "compound", "compound", "nsubj", "ROOT"],
                   pos=["PROPN"] * 4 + ["VERB"], ents=[(2, 4, "PERSON")])
    [m] = mentions_of(doc)
    assert m.name == "Anders Fogh Rasmussen"
    assert m.title == "Secretary-General"


@pytest.mark.parametrize(
    "words,heads,deps,pos,expected",
    [
        # "the Taliban attacked": a group the entity file knows is an organisation
        (["the", "Taliban", "attacked"], [1, 2, 2], ["det", "nsubj", "ROOT"], ["DET", "PROPN", "VERB"], ["Taliban"]),
        # "the Zapotecs protested": a people, not a body that acts as one
        (["the", "Zapotecs", "protested"], [1, 2, 2], ["det", "nsubj", "ROOT"], ["DET", "PROPN", "VERB"], []),
        # "Afghan forces": a demonym is not a node
        (["Afghan", "forces", "left"], [1, 2, 2], ["amod", "nsubj", "ROOT"], ["ADJ", "NOUN", "VERB"], []),
        # "Islamist guerrillas": an adjective is not a node
        (["Islamist", "guerrillas", "fought"], [1, 2, 2], ["amod", "nsubj", "ROOT"], ["ADJ", "NOUN", "VERB"], []),
    ],
)
def test_mentions_norp_is_an_organisation_only_when_the_entity_file_knows_it(words, heads, deps, pos, expected):
    doc = make_doc(words, heads=heads, deps=deps, pos=pos, ents=[(1 if words[0] == "the" else 0, 2 if words[0] == "the" else 1, "NORP")])
    ms = extract_mentions(doc, identity_clean(doc.text), gazetteer(), LEX, catalog=CATALOG)
    assert [m.name for m in ms] == expected
    assert all(m.type is EntityType.ORGANIZATION for m in ms)


def test_mentions_country_with_wrong_label_is_a_place():
    doc = make_doc(["Tajikistan", "borders", "it"], heads=[1, 1, 1], deps=["nsubj", "ROOT", "dobj"],
                   pos=["PROPN", "VERB", "PRON"], ents=[(0, 1, "NORP")])
    [m] = mentions_of(doc)
    assert (m.name, m.type) == ("Tajikistan", EntityType.PLACE)


def test_mentions_acronym_definition_is_found_when_the_model_misses_it():
    words = ["members", "of", "the", "International", "Security", "Assistance", "Force", "(", "ISAF", ")",
             "left", ".", "ISAF", "stayed"]
    spaces = [True, True, True, True, True, True, True, False, False, True, False, True, True, False]
    doc = make_doc(words, spaces=spaces)
    names = [m.name for m in mentions_of(doc)]
    assert names == ["International Security Assistance Force", "ISAF", "ISAF"]


def test_mentions_hyphenated_pair_used_as_modifier_is_split():
    words = ["NATO", "-", "Russia", "talks", "began", ".", "NATO", "and", "Russia", "agreed"]
    spaces = [False, False, True, True, False, True, True, True, True, False]
    doc = make_doc(words, spaces=spaces, heads=[2, 2, 3, 4, 4, 4, 9, 6, 6, 9],
                   deps=["compound", "punct", "compound", "nsubj", "ROOT", "punct", "nsubj", "cc", "conj", "ROOT"],
                   ents=[(0, 3, "ORG"), (6, 7, "ORG"), (8, 9, "GPE")])
    assert [m.name for m in mentions_of(doc)] == ["NATO", "Russia", "NATO", "Russia"]


def test_mentions_title_in_apposition(nlp):
    doc = nlp("Rasmussen, a former prime minister of Denmark, has been criticized.")
    assert person_title(doc, 0, 1, gazetteer()) == "former prime minister"


def test_mentions_country_glued_to_participle(nlp):
    doc = nlp("It backed the U.S.-led coalition.")
    ms = mentions_of(doc)
    assert [(m.name, m.type) for m in ms] == [("U.S.", EntityType.PLACE)]
    assert doc.text[ms[0].start : ms[0].end] == "U.S."


@pytest.mark.parametrize(
    "line,teams",
    [
        ("Kestrel 2 Harbury Town 1", ["Kestrel", "Harbury Town"]),
        ("Kestrel 2 Harbury Town 1 ( half-time 1-0 )", ["Kestrel", "Harbury Town"]),
        ("HARBURY 61 52 .540 4 1/2", ["HARBURY"]),
        ("Harbury Town 3 1 1 1 2 2 4", ["Harbury Town"]),
        # not a results line: prose, a date, a single number
        ("Harbury won 2 of its 3 games .", []),
        ("HARBURY 1996-08-30", []),
        ("Windows 95", []),
    ],
)
def test_mentions_results_and_table_lines_name_teams(nlp, line, teams):
    from kg.scores import team_spans

    doc = nlp(line)
    assert [doc[s:e].text for s, e in team_spans(doc)] == teams


@pytest.mark.parametrize(
    "text,name",
    [
        # the model's span runs into a bracket it does not close, or over a score
        ("Goran Ivanisevic (Croatia) beat Scott Draper (Australia) 6-7 6-3 6-4.", "Scott Draper"),
        ("France beat Mexico 2-0 in a friendly on Saturday.", "Mexico"),
        # a number that is part of the name stays
        ("She presented a show on BBC Radio 4 on Monday.", "BBC Radio 4"),
    ],
)
def test_mentions_a_name_ends_before_an_open_bracket_or_a_score(nlp, text, name):
    names = [m.name for m in mentions_of(nlp(text))]
    assert name in names and not any("(" in n or "-" in n for n in names), names


@pytest.mark.parametrize(
    "words,label,expected",
    [
        # a person span opening with a country: the country and an organisation
        (["U.S.", "Vextora", "rose"], "PERSON", [("U.S.", EntityType.PLACE), ("Vextora", EntityType.ORGANIZATION)]),
        # a country that is a first name opens a person's name
        (["Chad", "Morrow", "rose"], "PERSON", [("Chad Morrow", EntityType.PERSON)]),
        # a common word, or its plural, after the country: one organisation
        (["Chile", "Rifles", "rose"], "PERSON", [("Chile Rifles", EntityType.ORGANIZATION)]),
        # an organisation's span is left whole
        (["China", "Vextora", "rose"], "ORG", [("China Vextora", EntityType.ORGANIZATION)]),
    ],
)
def test_mentions_a_person_span_opening_with_a_country_is_split(words, label, expected):
    doc = make_doc(words, ents=[(0, 2, label)])
    assert [(m.name, m.type) for m in mentions_of(doc)] == expected


def test_mentions_a_span_across_a_line_break_is_two_names():
    """A headline's last word and the body's first, taken by the model for one name."""
    doc = make_doc(["Talks", "in", "Geneva", "\n\n", "Vextora", "said", "so"], ents=[(2, 5, "ORG")],
                   spaces=[True, True, False, False, True, True, False])
    names = [m.name for m in mentions_of(doc)]
    assert names == ["Geneva", "Vextora"], names


def test_mentions_a_number_after_a_persons_name_is_no_part_of_it():
    """A scorecard line: "J. Pooley 111"."""
    doc = make_doc(["J.", "Pooley", "111", "not", "out"], ents=[(0, 3, "PERSON")])
    assert [(m.name, m.type) for m in mentions_of(doc)] == [("J. Pooley", EntityType.PERSON)]


@pytest.mark.parametrize(
    "words,label,expected",
    [
        # a name the model took for a body, after a title only people hold
        (["Chancellor", "Olaf", "Scholz", "spoke"], "ORG", [("Olaf Scholz", EntityType.PERSON)]),
        # not one whose own words name a body
        (["Chancellor", "Molvania", "Airlines", "spoke"], "ORG", [("Molvania Airlines", EntityType.ORGANIZATION)]),
    ],
)
def test_mentions_a_body_after_a_persons_title_is_a_person(words, label, expected):
    doc = make_doc(words, ents=[(1, 3, label)])
    assert [(m.name, m.type) for m in mentions_of(doc)] == expected


def test_mentions_a_department_in_a_title_is_no_body(nlp):
    """ "Secretary of State", "Minister of Defence": words of the title; "of the Foreign Ministry" a body."""
    names = [m.name for m in mentions_of(nlp("Secretary of State Colin Powell met the Minister of Defence."))]
    assert "State" not in names and "Defence" not in names and "Colin Powell" in names, names
    names = [m.name for m in mentions_of(nlp("He met the deputy secretary of the Foreign Ministry."))]
    assert "Foreign Ministry" in names, names
