"""Entities of one document with the real model: names of people, the entity file, types, junk.

Every sentence here is written for the test; each rule has one where it fires and one where it must not.
"""

from __future__ import annotations

import pytest

from kg.model import Document
from kg.vocab import EntityType

P, O, L = EntityType.PERSON, EntityType.ORGANIZATION, EntityType.PLACE


def entities(analyzer, text):
    [result] = analyzer.analyze([Document(id="t", text=text, source="t")])
    return {e.name: e for e in result.entities}


def test_entities_forms_of_address_go_to_the_full_name_of_the_right_gender(analyzer):
    ents = entities(analyzer, "Roy Hatton and his wife Sheila Hatton opened the bakery in 1990. Mr Hatton said the "
                              "shop was his life. Mrs Hatton said she would keep it open.")
    people = {n: e for n, e in ents.items() if e.type is P}
    assert set(people) == {"Roy Hatton", "Sheila Hatton"}
    assert {m.text for m in people["Roy Hatton"].mentions} == {"Roy Hatton", "Mr Hatton"}
    assert {m.text for m in people["Sheila Hatton"].mentions} == {"Sheila Hatton", "Mrs Hatton"}
    assert people["Roy Hatton"].honorific == "Mr"


def test_entities_a_peer_and_the_place_of_the_peerage(analyzer):
    ents = entities(analyzer, "Lord Fenwick of Marlow will table the amendment. Lord Fenwick said reform was overdue.")
    assert ents["Lord Fenwick"].type is P and ents["Lord Fenwick"].honorific == "Lord"
    assert ents["Marlow"].type is L


def test_entities_a_first_name_alone_goes_to_the_one_full_name_it_opens(analyzer):
    ents = entities(analyzer, "Maria Lopes won the prize on Friday. Her coach said Maria had trained for years.")
    assert "Maria" not in ents
    assert {m.text for m in ents["Maria Lopes"].mentions} == {"Maria Lopes", "Maria"}


def test_entities_a_bracketed_first_name_is_part_of_the_name(analyzer):
    ents = entities(analyzer, '"The way that (Stefan) Kowalczyk played was superb," the manager said.')
    assert ents["Stefan Kowalczyk"].type is P


def test_entities_short_forms_from_the_entity_file_are_one_node(analyzer):
    ents = entities(analyzer, "The Tories attacked the plan. The Lib Dems backed it, and Conservative MPs said "
                              "the Liberal Democrats were naive.")
    assert ents["Conservative Party"].type is O and ents["Liberal Democrats"].type is O
    assert {m.text for m in ents["Conservative Party"].mentions} == {"Tories", "Conservative"}
    assert {m.text for m in ents["Liberal Democrats"].mentions} == {"Lib Dems", "Liberal Democrats"}


def test_entities_a_party_word_opening_a_sentence_as_a_common_word_is_not_the_party(analyzer):
    ents = entities(analyzer, "Labour costs rose sharply in the third quarter, the figures showed.")
    assert "Labour Party" not in ents


@pytest.mark.parametrize(
    "text,name,etype",
    [
        ("Shares in the airline Skyvale Express fell on Monday.", "Skyvale Express", O),
        ("The band played in Kettering and Corby on Friday night.", "Corby", L),
        ("Thousands of voters in Manchester queued for hours on Thursday.", "Manchester", L),
        ("Bank of Molvania raised interest rates.", "Bank of Molvania", O),
        # a title of a person's in apposition, or an age, makes a person of a name the model took for a body
        ("Pemberton, a surgeon at St Mary's Hospital, said the patient was stable.", "Pemberton", P),
        ("Dombrovskis, 52, said the plan was sound.", "Dombrovskis", P),
        # a title a body takes as well does not
        ("Nokia, the market leader, cut prices.", "Nokia", O),
        # a constituency
        ("Mr Hale entered Parliament for Leeds Kirkstall in 1987.", "Leeds Kirkstall", L),
        ("Jane Cole, the Labour MP for Bristol Redland, voted against.", "Bristol Redland", L),
        ("He is the candidate for Labour.", "Labour Party", O),
        # a body's name with "of" before a work's kind is still the body ("the Bank of England programme")
        ("The Bank of Molvania programme will end in May, the governor said.", "Bank of Molvania", O),
        # a country that is a first name too opens a body's name unless the model saw a person
        ("The report appeared in the China Daily on Tuesday.", "China Daily", O),
        ("Jordan Henderson scored for Liverpool on Saturday.", "Jordan Henderson", P),
        # a first name opens no person's name where the model and a body's noun in apposition agree
        ("Sun Hung Kai Properties, a Hong Kong construction firm, bought the site.", "Sun Hung Kai Properties", O),
        # but a noun beside the name does not outweigh a first name the model took for a person's
        ("Jamaican rival Merlene Ottey was second in 10.94 seconds.", "Merlene Ottey", P),
    ],
)
def test_entities_type_comes_from_context_words_and_gazetteers(analyzer, text, name, etype):
    assert entities(analyzer, text)[name].type is etype


@pytest.mark.parametrize(
    "text,absent",
    [
        ("The Clean Rivers Act passed its second reading.", "Clean Rivers Act"),
        ("His guide dog Rufus slept under the desk.", "Rufus"),
        ("She was given a Grade B for the essay.", "Grade B"),
        ("Viewers complained about the storyline of Harbour Lights.", "Harbour Lights"),
        ("The shop sold players such as the Vexo Mini player, the Kord Tune and others.", "Kord Tune"),
        ("Afghans queued to vote.", "Afghans"),
        ("Mr Hale told ITV's Lunch with Parkinson programme that he would act.", "Parkinson"),
    ],
)
def test_entities_laws_animals_codes_works_products_and_peoples_are_not_nodes(analyzer, text, absent):
    assert absent not in entities(analyzer, text)


def test_entities_places_named_as_competitors_in_sport_are_teams_and_stay_places_elsewhere(analyzer):
    sport = ("In Cardiff on Saturday, Wales beat Scotland 24-10 in the Six Nations match. The Wales captain said the "
             "squad had trained hard for the game, and the coach praised the team's kicking.")
    ents = entities(analyzer, sport)
    assert ents["Wales"].type is O and ents["Scotland"].type is O
    politics = "Wales and Scotland will get more money for schools, the minister said on Saturday."
    ents = entities(analyzer, politics)
    assert ents["Wales"].type is L and ents["Scotland"].type is L



def test_entities_a_player_once_taken_for_a_competitor_stays_a_person():
    from kg.kinds import entity_type
    from kg.model import EntityMention

    def mention(name, etype, team=False):
        return EntityMention(start=0, end=len(name), text=name, name=name, type=etype, label="X", tokens=(0, 1),
                             sentence=0, team=team)

    # "Wilkinson to miss Ireland match": the headline's surname, tagged a club, is the subject of a sport verb
    player = [mention("Wilkinson", O, team=True), mention("Jonny Wilkinson", P), mention("Wilkinson", P)]
    assert entity_type(player) is P
    # a place the model calls a person once is still the team it plays as
    team = [mention("Leeds", L, team=True), mention("Leeds", L), mention("Leeds", P)]
    assert entity_type(team) is O


def test_entities_an_alias_after_aka_is_the_same_person(analyzer):
    ents = entities(analyzer, "Former hacker Karel Novak, aka Bobo from the 29B group, quit last year. Bobo said he "
                              "was bored.")
    assert "Bobo" not in ents and {m.name for m in ents["Karel Novak"].mentions} == {"Karel Novak", "Bobo"}
    # a name after a comma without an alias phrase stays apart
    ents = entities(analyzer, "Karel Novak, Jan Dvorak and Petr Svoboda quit last year.")
    assert "Jan Dvorak" in ents and "Karel Novak" in ents


def test_entities_an_acronym_with_two_letters_swapped_is_the_organisation(analyzer):
    ents = entities(analyzer, "The Asian Development Bank (ADB) said growth would slow. ABD president Haruo Kuroda "
                              "said the risk was high.")
    assert "ABD" not in ents and "ABD" in {m.name for m in ents["Asian Development Bank"].mentions}
    # two acronyms of their own are two organisations
    ents = entities(analyzer, "The National Basketball Association (NBA) and the National Australia Bank (NAB) "
                              "signed a deal.")
    assert "National Basketball Association" in ents and "National Australia Bank" in ents



def test_entities_an_ampersand_and_a_shire_say_what_a_name_is():
    """Names the model took for people: an ampersand makes a body, a county's "-shire" a place."""
    from kg.kinds import entity_type
    from kg.model import EntityMention

    def taken_for_a_person(name):
        return [EntityMention(start=0, end=len(name), text=name, name=name, type=P, label="PERSON", tokens=(0, 1),
                              sentence=0)]

    assert entity_type(taken_for_a_person("Harwell & Stroud")) is O
    assert entity_type(taken_for_a_person("Worcestershire")) is L
    # a name that only ends in the letters is left to the other evidence
    assert entity_type(taken_for_a_person("Shire")) is P
