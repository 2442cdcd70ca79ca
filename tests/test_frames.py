"""Event frames: the frame, not the word, decides the type. Sentences written for the test."""

from __future__ import annotations

import json

import pytest

from kg.errors import GraphFormatError
from kg.lexicon import load_lexicon
from kg.model import Document

LEAD = "Officials Meet in Geneva\n\n"


def relations(analyzer, text):
    [res] = analyzer.analyze([Document(id="t", text=LEAD + text, source="t")])
    names = {e.index: e.name for e in res.entities}
    return {(names[r.subject], r.type.value, names[r.object]) for r in res.relations}


@pytest.mark.parametrize(
    "text,expected,absent",
    [
        # a verbal attack on a person or on their words is criticism, an attack on a town is fighting
        ("Angela Merkel attacked Boris Johnson's plans on Monday.", ("Angela Merkel", "CRITICIZED", "Boris Johnson"),
         ("Angela Merkel", "FOUGHT", "Boris Johnson")),
        ("Russia attacked Kharkiv on Monday.", ("Russia", "FOUGHT", "Kharkiv"), ("Russia", "CRITICIZED", "Kharkiv")),
        # troops to a place are a deployment, not aid too
        ("Germany will provide troops to Mali next year.", ("Germany", "DEPLOYED_TO", "Mali"),
         ("Germany", "OFFERED_AID_TO", "Mali")),
        # a visit to a person is a meeting, to a place a visit
        ("Angela Merkel visited Joe Biden on Monday.", ("Angela Merkel", "MET_WITH", "Joe Biden"),
         ("Angela Merkel", "VISITED", "Joe Biden")),
    ],
)
def test_frames_one_trigger_one_frame(analyzer, text, expected, absent):
    rels = relations(analyzer, text)
    assert expected in rels, rels
    assert absent not in rels


@pytest.mark.parametrize(
    "text",
    [
        # giving something that is not aid
        "Gordon Brown delivered a speech to the Labour Party on Sunday.",
        # a sale is not aid
        "Yukos sold its oil unit to Rosneft last year.",
        # urging someone to act is no request for aid unless the act is giving or helping
        "Germany urged Turkey to do more to stop smugglers.",
        # meeting goals is no meeting
        "The European Commission will present proposals to meet the Lisbon goals.",
        # people of a country are not the state
        "Officials fear that a million Indonesians could join the Asian Development Bank programme.",
    ],
)
def test_frames_a_word_alone_is_no_relation(analyzer, text):
    types = {t for _, t, _ in relations(analyzer, text)}
    assert not types & {"OFFERED_AID_TO", "REQUESTED_AID_FROM", "MET_WITH", "JOINED"}, relations(analyzer, text)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Sweden pledged a large aid contribution to Unicef.", ("Sweden", "OFFERED_AID_TO", "Unicef")),
        ("Canada has donated $1m to the Red Cross.", ("Canada", "OFFERED_AID_TO", "International Red Cross")),
        ("Japan offered to supply Philippine forces with radars to protect the Philippines.",
         ("Japan", "OFFERED_AID_TO", "Philippines")),
        ("The committee urged the BBC to give watchdogs more freedom.", None),
        ("Microsoft has agreed a content deal with Nokia.", ("Microsoft", "AGREED_WITH", "Nokia")),
        ("His firm will also work with Qantas to open a training centre.", None),
        ("Sweden criticised George W Bush's policies on Monday.", ("Sweden", "CRITICIZED", "George W Bush")),
        ("Russia has supported US and NATO operations since then.", ("Russia", "SUPPORTED", "NATO")),
    ],
)
def test_frames_arguments_through_themes_owners_and_complements(analyzer, text, expected):
    rels = relations(analyzer, text)
    if expected is not None:
        assert expected in rels or (expected[2], expected[1], expected[0]) in rels, rels


def test_frames_pronouns_agree_in_gender(analyzer):
    rels = relations(analyzer, "Angela Merkel and Joe Biden spoke on Monday. She later visited Paris.")
    assert ("Angela Merkel", "VISITED", "Paris") in rels, rels
    assert ("Joe Biden", "VISITED", "Paris") not in rels


def test_frames_a_title_phrase_refers_to_the_person_holding_it(analyzer):
    text = ("President Ramos of Kenya is in London. On Monday the Kenyan president met Prime Minister Tony Blair "
            "at Downing Street.")
    rels = relations(analyzer, text)
    assert ("Ramos", "MET_WITH", "Tony Blair") in rels or ("Tony Blair", "MET_WITH", "Ramos") in rels, rels
    assert not any(t == "MET_WITH" and "Kenya" in (s, o) for s, t, o in rels)


def _lexicon_with(tmp_path, change):
    from importlib import resources

    data = json.loads(resources.files("kg").joinpath("data/lexicon.json").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "lexicon.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "change,message",
    [
        (lambda d: d["verb_frames"][0].update(verbal=True), "unknown key(s) verbal"),
        (lambda d: d["verb_frames"][0].update(type="MET_WTIH"), "MET_WTIH"),
        (lambda d: d["verb_frames"][0].update(verbs=[]), "can never match"),
        (lambda d: d["verb_frames"][0].update(object=["theme:"]), "does not exist"),
        (lambda d: d["verb_frames"][0].update(object_types=["Document"]), "Document"),
        (lambda d: d["types"]["VISITED"].update(object_types=["Place"]) or d["verb_frames"].append(
            {"type": "VISITED", "verbs": ["tour"], "object": ["dobj"], "object_types": ["Person"]}), "can never match"),
        (lambda d: d.update(extra={}), "unknown key(s) extra"),
    ],
)
def test_frames_lexicon_schema_is_closed(tmp_path, change, message):
    path = _lexicon_with(tmp_path, change)
    with pytest.raises(GraphFormatError) as err:
        load_lexicon(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_frames_packaged_lexicon_loads_and_every_type_has_its_node_types():
    lex = load_lexicon()
    assert lex.verb_frames["attack"][0].type.value == "CRITICIZED"
    assert {f.type.value for f in lex.verb_frames["attack"]} == {"CRITICIZED", "FOUGHT"}


@pytest.mark.parametrize(
    "text,expected",
    [
        # the passive subject of the main clause acts in its adverbial clause
        ("Giuseppe Conti was arrested when travelling to London.", ("Giuseppe Conti", "VISITED", "London")),
        # officials from a continent's governments
        ("Ministers from European governments have called on the US to strengthen the dollar. Europe was worried.",
         ("Europe", "REQUESTED_AID_FROM", "United States")),
        # an event noun whose verb frame found nothing still states its relation
        ("The resources will be used to increase UK aid to Africa.", ("United Kingdom", "OFFERED_AID_TO", "Africa")),
        # "his firm": the body of his post, not the last company named
        ("Vodafone rose and Nokia fell. Paul Hill, Nokia's chief executive, said his firm will work with Ryanair.",
         ("Nokia", "COOPERATED_WITH", "Ryanair")),
        # a subject pronoun continues the subjects before it, not a name used as a modifier
        ("Microsoft made announcements. It has agreed a deal with Nokia. US consumers will like it. It also said it had "
         "launched a service with Sony.", ("Microsoft", "COOPERATED_WITH", "Sony")),
        # a subject pronoun continues a subject that was a title phrase
        ("President Imran Khan spoke on Sunday. On Monday the Pakistani president met Prime Minister Tony Blair in "
         "London. He is due to visit Leeds on Tuesday.", ("Imran Khan", "VISITED", "Leeds")),
        # a noun with a name in apposition is that name
        ("The singer Tom Jones donated his fee to Oxfam.", ("Tom Jones", "OFFERED_AID_TO", "Oxfam")),
    ],
)
def test_frames_arguments_across_clauses_and_sentences(analyzer, text, expected):
    rels = relations(analyzer, text)
    assert expected in rels or (expected[2], expected[1], expected[0]) in rels, rels


def test_frames_a_name_the_parser_hung_on_an_object_is_the_subject_of_the_verb_after_it(analyzer):
    rels = relations(analyzer, "Norway has donated $5m to the International Red Cross and businessman Peter Olsen "
                               "pledged a large contribution to Unicef.")
    assert ("Norway", "OFFERED_AID_TO", "International Red Cross") in rels, rels
    assert ("Peter Olsen", "OFFERED_AID_TO", "Unicef") in rels, rels
    # neither a recipient of the first gift nor a second giver of the first subject
    assert ("Norway", "OFFERED_AID_TO", "Peter Olsen") not in rels and ("Norway", "OFFERED_AID_TO", "Unicef") not in rels
    # a coordinated object with no verb after it stays an object
    rels = relations(analyzer, "Norway gave aid to Kenya and Uganda on Monday.")
    assert {("Norway", "OFFERED_AID_TO", "Kenya"), ("Norway", "OFFERED_AID_TO", "Uganda")} <= rels, rels


def test_frames_a_one_word_maker_before_a_product_stays_an_entity(analyzer):
    rels = relations(analyzer, "Air India signed a deal with Airbus. It will buy 15 new Airbus A320 planes.")
    assert ("Air India", "AGREED_WITH", "Airbus") in rels or ("Airbus", "AGREED_WITH", "Air India") in rels, rels


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Microsoft sued Google on Monday.", ("Microsoft", "sue", "Google")),
        ("Vodafone acquired Nokia last year.", ("Vodafone", "acquire", "Nokia")),
        ("Angela Merkel told the BBC she would stay.", ("Angela Merkel", "tell", "BBC")),
    ],
)
def test_frames_related_to_carries_the_verb_of_a_stated_link(analyzer, text, expected):
    [res] = analyzer.analyze([Document(id="t", text=LEAD + text, source="t")])
    names = {e.index: e.name for e in res.entities}
    found = {(names[r.subject], r.attributes.get("predicate"), names[r.object]) for r in res.relations
             if r.type.value == "RELATED_TO"}
    assert expected in found, found


@pytest.mark.parametrize(
    "text",
    [
        "Microsoft watched Google closely on Monday.",  # a verb that links nothing worth a relation
        "Microsoft sued US consumers on Monday.",  # a name used as a modifier is no argument
        "Microsoft met Google on Monday.",  # a frame reads it: MET_WITH, not RELATED_TO as well
    ],
)
def test_frames_related_to_must_not_fire(analyzer, text):
    [res] = analyzer.analyze([Document(id="t", text=LEAD + text, source="t")])
    assert not [r for r in res.relations if r.type.value == "RELATED_TO"]


def test_frames_a_headline_without_a_finite_verb_states_no_event(analyzer):
    [res] = analyzer.analyze([Document(id="t", text="Merkel accused of attacking Macron\n\nThe row grew on Monday.",
                                       source="t")])
    assert not [r for r in res.relations if r.type.value in ("CRITICIZED", "FOUGHT")]
    [res] = analyzer.analyze([Document(id="t", text="Germany Sends Troops to Mali\n\nThe move came on Monday.",
                                       source="t")])
    assert [r for r in res.relations if r.type.value == "DEPLOYED_TO"]


def test_frames_the_speaker_is_never_the_subject_again(analyzer):
    [res] = analyzer.analyze([Document(id="t", text=LEAD + "Germany said it would send troops to Mali.", source="t")])
    [rel] = [r for r in res.relations if r.type.value == "DEPLOYED_TO"]
    assert rel.reported_by is None
    [res] = analyzer.analyze([Document(id="t", text=LEAD + "Germany will send troops to Mali, Angela Merkel said.",
                                       source="t")])
    names = {e.index: e.name for e in res.entities}
    [rel] = [r for r in res.relations if r.type.value == "DEPLOYED_TO"]
    assert names[rel.reported_by] == "Angela Merkel"


@pytest.mark.parametrize(
    "text,expected,absent",
    [
        # the object of "urge … to" acts, named or not; the one who urged never does
        ("Germany urged Turkey to attack Syria on Monday.", ("Turkey", "FOUGHT", "Syria"), None),
        ("Germany urged the rebels to attack Chad on Monday.", None, ("Germany", "FOUGHT", "Chad")),
        # "the city" is a place that is no country; "the country" is a country
        ("Rebels entered Kismayo on Monday. On Tuesday Kenya attacked the city.", ("Kenya", "FOUGHT", "Kismayo"),
         None),
        ("Rebels entered Kismayo on Monday. On Tuesday Kenya attacked the country.", None,
         ("Kenya", "FOUGHT", "Kismayo")),
        # seeing someone is no meeting; visiting is
        ("Nolan Ryan said he saw Tom Seaver pitch in New York.", None, ("Nolan Ryan", "MET_WITH", "Tom Seaver")),
        ("Tony Blair will visit Gerhard Schroeder in Berlin.", ("Tony Blair", "MET_WITH", "Gerhard Schroeder"),
         None),
    ],
)
def test_frames_who_acts_and_which_place_a_noun_means(analyzer, text, expected, absent):
    rels = relations(analyzer, text)
    assert expected is None or expected in rels, rels
    assert absent is None or absent not in rels, rels


def test_frames_an_invitation_to_join_is_no_membership_yet(analyzer):
    [res] = analyzer.analyze([Document(id="t", text=LEAD + "NATO invited Ukraine to join the alliance.", source="t")])
    [rel] = [r for r in res.relations if r.type.value == "JOINED"]
    assert rel.modality.value != "asserted"
    [res] = analyzer.analyze([Document(id="t", text=LEAD + "Ukraine joined NATO on Monday.", source="t")])
    assert [r.modality.value for r in res.relations if r.type.value == "JOINED"] == ["asserted"]


def test_frames_a_place_beside_a_named_object_is_where_not_whom(analyzer):
    [res] = analyzer.analyze([Document(id="t", text=LEAD + "Microsoft sued Google in Tokyo on Sunday.", source="t")])
    names = {e.index: e.name for e in res.entities}
    found = {(names[r.subject], names[r.object]) for r in res.relations if r.type.value == "RELATED_TO"}
    assert found == {("Microsoft", "Google")}
    [res] = analyzer.analyze([Document(id="t", text=LEAD + "Microsoft sued in Tokyo on Sunday.", source="t")])
    names = {e.index: e.name for e in res.entities}
    assert {(names[r.subject], names[r.object]) for r in res.relations} == {("Microsoft", "Tokyo")}
    # an object that names no one still makes the place where: "told reporters in Paris"
    rels = relations(analyzer, "Guillaume Faury told reporters in Paris that sales rose.")
    assert not [r for r in rels if r[1] == "RELATED_TO"], rels


@pytest.mark.parametrize(
    "text,expected,absent",
    [
        # the agent of a criticised or praised act is the one criticised or praised
        ("Tony Blair condemned the bombing by ETA in Madrid.", ("Tony Blair", "CRITICIZED", "ETA"), None),
        ("Jacques Chirac welcomed the decision by Germany.", ("Jacques Chirac", "SUPPORTED", "Germany"), None),
        ("Tony Blair praised Japan's offer of aid.", ("Tony Blair", "SUPPORTED", "Japan"), None),
        # the target of the act is not
        ("Tony Blair condemned the attack on Israel.", None, ("Tony Blair", "CRITICIZED", "Israel")),
        # criticism voiced or support expressed: the subject of the light verb holds it
        ("David Davis voiced criticism of Tony Blair on Monday.", ("David Davis", "CRITICIZED", "Tony Blair"), None),
        ("Germany expressed support for France on Monday.", ("Germany", "SUPPORTED", "France"), None),
        ("Germany expressed concern about the talks with France.", None, ("Germany", "MET_WITH", "France")),
    ],
)
def test_frames_evaluations_of_acts_and_voiced_opinions(analyzer, text, expected, absent):
    rels = relations(analyzer, text)
    assert expected is None or expected in rels, rels
    assert absent is None or absent not in rels, rels


@pytest.mark.parametrize(
    "text,absent",
    [
        # "pro-Moscow leaders" are not Moscow, "anti-American protesters" not America
        ("Moscow is far away. Pro-Moscow leaders in Chechnya have criticised Tim Guldimann.",
         ("Moscow", "CRITICIZED", "Tim Guldimann")),
        ("America is far away. Anti-American protesters in Pakistan attacked Pervez Musharraf.",
         ("United States", "CRITICIZED", "Pervez Musharraf")),
        # a person's aides or counterparts are not the person
        ("Tony Blair was away. Blair aides met Jacques Chirac in Paris.", ("Tony Blair", "MET_WITH", "Jacques Chirac")),
        ("The letter invited Bill Clinton's counterparts to meet with Scott Reed.",
         ("Bill Clinton", "MET_WITH", "Scott Reed")),
    ],
)
def test_frames_a_names_people_are_not_the_name(analyzer, text, absent):
    rels = relations(analyzer, text)
    assert absent not in rels and (absent[2], absent[1], absent[0]) not in rels, rels


def test_frames_a_bodys_people_are_the_body(analyzer):
    assert ("NATO", "MET_WITH", "Sergei Ivanov") in relations(analyzer, "NATO diplomats met Sergei Ivanov in Brussels.")


@pytest.mark.parametrize(
    "text,expected",
    [
        # a body's people written in the plural of a group noun the lexicon lists so ("fighters")
        ("Hamas fighters attacked Israel on Saturday.", ("Hamas", "FOUGHT", "Israel")),
        # a title with the name in apposition stands for the name
        ("The Prime Minister, Theresa May, met Leo Varadkar in Dublin on Monday.",
         ("Theresa May", "MET_WITH", "Leo Varadkar")),
    ],
)
def test_frames_groups_and_titles_stand_for_their_names(analyzer, text, expected):
    assert expected in relations(analyzer, text)


@pytest.mark.parametrize(
    "text,expected,absent",
    [
        # a call is a consultation (CAMEO 041); speaking to a newspaper is an interview, no meeting
        ("The Kremlin said Vladimir Putin had spoken to Recep Erdogan by phone.",
         ("Vladimir Putin", "MET_WITH", "Recep Erdogan"), None),
        ("Tony Blair spoke to the BBC on Monday.", None, ("Tony Blair", "MET_WITH", "BBC")),
        # exchanging fire is fighting, both ways; restoring ties cooperation; cutting them is not
        ("India and Pakistan exchanged fire along the border on Friday.", ("India", "FOUGHT", "Pakistan"), None),
        ("The United States restored relations with Cuba in 2015.", ("United States", "COOPERATED_WITH", "Cuba"),
         None),
        ("Russia cut ties with Georgia in 2008.", None, ("Russia", "COOPERATED_WITH", "Georgia")),
        ("India and Pakistan exchanged prisoners on Friday.", None, ("India", "FOUGHT", "Pakistan")),
    ],
)
def test_frames_calls_fire_and_ties(analyzer, text, expected, absent):
    rels = relations(analyzer, text)
    assert expected is None or expected in rels or (expected[2], expected[1], expected[0]) in rels, rels
    assert absent is None or (absent not in rels and (absent[2], absent[1], absent[0]) not in rels), rels


def test_frames_trading_shots_in_words_is_no_fighting(analyzer):
    rels = relations(analyzer, "Bill Clinton and Bob Dole traded shots over taxes on Monday.")
    assert not [r for r in rels if r[1] == "FOUGHT"], rels


def test_frames_a_clash_over_a_matter_is_no_fight(analyzer):
    rels = relations(analyzer, "Giuseppe Conte has clashed with the European Commission over spending plans.")
    assert not [r for r in rels if r[1] == "FOUGHT"], rels
    rels = relations(analyzer, "Armenia clashed with Azerbaijan on the border on Friday.")
    assert ("Armenia", "FOUGHT", "Azerbaijan") in rels or ("Azerbaijan", "FOUGHT", "Armenia") in rels, rels


def test_frames_related_to_reads_a_preposition_the_parser_calls_a_dative(analyzer):
    """ "sold its Italian business to telecoms group Iliad": the parser hangs "to" as a dative."""
    rels = relations(analyzer, "Vodafone sold its Italian business to telecoms group Iliad.")
    assert ("Vodafone", "RELATED_TO", "Iliad") in rels, rels


@pytest.mark.parametrize(
    "text,expected",
    [
        # in the passive the agent acts on the subject; "fined" is "fine", whatever the lemmatiser says
        ("Google has been fined 4.3 billion euros by the European Commission.",
         ("European Commission", "RELATED_TO", "Google")),
        ("Nokia was bought by Microsoft in 2013.", ("Microsoft", "RELATED_TO", "Nokia")),
    ],
)
def test_frames_related_to_in_the_passive(analyzer, text, expected):
    rels = relations(analyzer, text)
    assert expected in rels and (expected[2], expected[1], expected[0]) not in rels, rels
