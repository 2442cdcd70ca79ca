"""Names of people, the entity file, kinds of names and place identifiers."""

from __future__ import annotations

import pytest

from kg.catalog import load_catalog
from kg.errors import InputError
from kg.kinds import is_generic, is_not_entity, word_votes
from kg.names import FEMALE, MALE, compatible, parse
from kg.places import identify, known_place
from kg.vocab import EntityType


@pytest.mark.parametrize(
    "text,name,honorific,first,last,gender,peer_of",
    [
        ("Mr Hatton", "Hatton", "Mr", "", "Hatton", MALE, None),
        ("Mrs Hatton", "Hatton", "Mrs", "", "Hatton", FEMALE, None),
        ("Dr. Ines Varga", "Ines Varga", "Dr", "Ines", "Varga", FEMALE, None),
        ("Prof Leslie Varga", "Leslie Varga", "Prof", "Leslie", "Varga", None, None),
        ("Baroness Whitcombe of Elmsford", "Whitcombe", "Baroness", "", "Whitcombe", FEMALE, "Elmsford"),
        ("Sir Alan Pryce", "Alan Pryce", "Sir", "Alan", "Pryce", MALE, None),
        ("Jean-Paul de la Roche", "Jean-Paul de la Roche", None, "Jean-Paul", "de la Roche", None, None),
        ("Margaret Oduya", "Margaret Oduya", None, "Margaret", "Oduya", FEMALE, None),
    ],
)
def test_names_parse_splits_form_of_address_and_parts(text, name, honorific, first, last, gender, peer_of):
    p = parse(text)
    assert (p.name, p.honorific, p.first, p.last, p.gender, p.peer_of) == (name, honorific, first, last, gender, peer_of)


def test_names_a_peer_without_a_first_name_is_known_by_the_peerage_a_mister_by_the_surname():
    assert parse("Lord Fenwick").known_by == "Lord Fenwick"
    assert parse("Mr Fenwick").known_by == "Fenwick"
    assert parse("Sir Alan Pryce").known_by == "Alan Pryce"


def test_names_gender_compatibility_treats_unknown_as_either():
    assert compatible(MALE, None) and compatible(None, FEMALE) and compatible(MALE, MALE)
    assert not compatible(MALE, FEMALE)


def test_names_catalog_longest_form_wins_and_case_matters():
    catalog = load_catalog()
    catalog.compile(str.split)
    words = "The Liberal Democrats and the Lib Dems met the labour unions and Labour".split()
    found = [(" ".join(words[s:e]), catalog.entry(i).name) for s, e, i in catalog.matches(words)]
    assert found == [("Liberal Democrats", "Liberal Democrats"), ("Lib Dems", "Liberal Democrats"),
                     ("Labour", "Labour Party")]


def test_names_catalog_user_file_adds_and_overrides(tmp_path):
    f = tmp_path / "mine.jsonl"
    f.write_text('{"name": "Glenmoor Rovers", "type": "Organization", "aliases": ["Rovers"], "ids": {"wikidata": "Q1"}}\n'
                 '// a comment line\n'
                 '{"name": "Labour Movement", "type": "Organization", "aliases": ["Labour"]}\n', encoding="utf-8")
    catalog = load_catalog([f])
    assert catalog.lookup("Rovers").name == "Glenmoor Rovers"
    assert catalog.lookup("Rovers").ids == {"wikidata": "Q1"}
    assert catalog.lookup("Labour").name == "Labour Movement"  # the user's entry wins on a shared alias


@pytest.mark.parametrize(
    "line,message",
    [
        ('{"name": "X", "type": "Organization", "alias": ["Y"]}', "unknown key(s) alias"),
        ('{"name": "X", "type": "Company"}', "'type' 'Company' is not one of"),
        ('{"name": "", "type": "Place"}', "'name' must be a non-empty string"),
        ('{"name": "X", "type": "Place", "aliases": "Y"}', "'aliases' must be a list"),
        ('{"name": "X", "type": "Place", "ids": {"osm": "1"}}', "unknown identifier scheme(s) osm"),
        ('{"name": "X", "type": "Place"', "line 2"),
    ],
)
def test_names_catalog_schema_is_closed_and_errors_name_file_and_line(tmp_path, line, message):
    f = tmp_path / "bad.jsonl"
    f.write_text('{"name": "Fine", "type": "Place"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_catalog([f])
    assert str(f) in str(err.value) and "line 2" in str(err.value) and message in str(err.value)


@pytest.mark.parametrize(
    "name,not_entity",
    [("Clean Air Act", True), ("Northern Cup", True), ("Spring Festival", True), ("Harbour Authority", False),
     ("Clean Air", False), ("Act", False)],
)
def test_names_events_laws_and_competitions_are_not_entities(name, not_entity):
    assert is_not_entity(name) is not_entity


@pytest.mark.parametrize(
    "name,expected",
    [("Eastwind Airlines", EntityType.ORGANIZATION), ("Bank of Molvania", EntityType.ORGANIZATION),
     ("Lake Orla", EntityType.PLACE), ("Kestrel Street", EntityType.PLACE), ("Leeds Panthers", EntityType.ORGANIZATION),
     ("Adrian Hughes", None), ("Orla Kestrel", None)],
)
def test_names_first_and_last_words_vote_for_a_type(name, expected):
    votes = word_votes(name)
    assert (max(votes, key=votes.get) if votes else None) is expected


def test_names_generic_institutions_are_recognised():
    assert is_generic("Parliament") and is_generic("the Cabinet") and is_generic("Supreme Court")
    assert not is_generic("European Parliament") and not is_generic("Home Office")


def test_names_places_get_identifiers_and_the_named_country_chooses_among_cities():
    france = identify("France")
    assert france["iso_3166"] == "FR" and isinstance(france["geonames_id"], int)
    assert -90 <= france["latitude"] <= 90 and -180 <= france["longitude"] <= 180
    assert identify("Manchester", ["United Kingdom"])["country"] == "GB"
    assert identify("Manchester", ["United States"])["country"] == "US"
    assert identify("Texas") == {"iso_3166": "US-TX"}
    assert identify("Qwzlandia") == {}
    assert known_place("Manchester") == "city" and known_place("Kenya") == "country"
    assert known_place("Qwzlandia") is None
