"""Relation extraction: each phenomenon on real sentences (real model), rules on hand-built Docs."""

from __future__ import annotations

import pytest

from conftest import make_doc
from kg.lexicon import load_lexicon
from kg.model import Document
from kg.qualify import modality, polarity
from kg.vocab import Modality, Polarity


def relations(analyzer, text):
    """(subject, TYPE, object, polarity, modality) of every relation in ``text``, names for ids."""
    [res] = analyzer.analyze([Document(id="t", text=text, source="t")])
    names = {e.index: e.name for e in res.entities}
    return {
        (names[r.subject], r.type.value, names[r.object], r.polarity.value, r.modality.value): r
        for r in res.relations
    }


def has(rels, subject, rtype, obj, pol="positive", mod=None):
    return any(
        k[0] == subject and k[1] == rtype and k[2] == obj and k[3] == pol and (mod is None or k[4] == mod)
        for k in rels
    )


LEAD = "Officials Meet in Geneva\n\n"


@pytest.mark.parametrize(
    "sentence,expected",
    [
        # verb frames with prepositional objects
        ("Germany offered technical aid to NATO earlier this month.", ("Germany", "OFFERED_AID_TO", "NATO")),
        ("France will withdraw troops from Mali next year.", ("France", "WITHDREW_FROM", "Mali")),
        ("Emmanuel Macron met with Angela Merkel in Berlin on Monday.", ("Emmanuel Macron", "MET_WITH", "Angela Merkel")),
        # light verb
        ("Emmanuel Macron held talks with Angela Merkel on Monday.", ("Emmanuel Macron", "MET_WITH", "Angela Merkel")),
        # control and raising chains
        ("Japan has offered to supply Philippine forces with radars to protect the Philippines.", ("Japan", "OFFERED_AID_TO", "Philippines")),
        ("Canada agreed to stick to its pledge to withdraw troops from Latvia.", ("Canada", "WITHDREW_FROM", "Latvia")),
        # passive with agent
        ("Angela Merkel has been criticized privately by some NATO diplomats.", ("NATO", "CRITICIZED", "Angela Merkel")),
        # nominal triggers
        ("Russia's brief war with Georgia ended in August.", ("Russia", "FOUGHT", "Georgia")),
        # borders through a relative pronoun
        ("Troops guard Tajikistan, whose border with Afghanistan is long.", ("Tajikistan", "BORDERS", "Afghanistan")),
        # places
        ("The talks took place in Brussels, Belgium, on Friday.", ("Brussels", "LOCATED_IN", "Belgium")),
        ("Fighting in Afghanistan reached the Afghan capital, Kabul, on Sunday.", ("Kabul", "LOCATED_IN", "Afghanistan")),
    ],
)
def test_relations_pattern_families(analyzer, sentence, expected):
    rels = relations(analyzer, LEAD + sentence)
    assert has(rels, *expected), sorted(rels)


def test_relations_coordination_on_both_sides(analyzer):
    rels = relations(analyzer, LEAD + "Latvia, Lithuania, Estonia and Slovenia will join NATO next May.")
    for country in ("Latvia", "Lithuania", "Estonia", "Slovenia"):
        assert has(rels, country, "JOINED", "NATO", mod="future"), sorted(rels)
    rels = relations(analyzer, LEAD + "Emmanuel Macron will meet with Joe Biden and Rishi Sunak on Friday.")
    assert has(rels, "Emmanuel Macron", "MET_WITH", "Joe Biden", mod="future")
    assert has(rels, "Emmanuel Macron", "MET_WITH", "Rishi Sunak", mod="future")


@pytest.mark.parametrize(
    "sentence,subject,rtype,obj",
    [
        ("Germany will not send any troops to Mali.", "Germany", "DEPLOYED_TO", "Mali"),
        ("Germany has ruled out sending troops to Mali.", "Germany", "DEPLOYED_TO", "Mali"),
        ("Germany refused to send troops to Mali.", "Germany", "DEPLOYED_TO", "Mali"),
        ("Imran Khan was unable to meet Nawaz Sharif.", "Imran Khan", "MET_WITH", "Nawaz Sharif"),
        # a denial governs the clause it denies
        ("Germany denied that it had sent troops to Mali.", "Germany", "DEPLOYED_TO", "Mali"),
    ],
)
def test_relations_denials_are_negative_never_positive(analyzer, sentence, subject, rtype, obj):
    rels = relations(analyzer, LEAD + sentence)
    assert has(rels, subject, rtype, obj, "negative"), sorted(rels)
    assert not has(rels, subject, rtype, obj, "positive")


@pytest.mark.parametrize(
    "sentence,subject,rtype,obj,mod",
    [
        ("Angela Merkel will meet with Joe Biden on Friday.", "Angela Merkel", "MET_WITH", "Joe Biden", "future"),
        ("Angela Merkel is scheduled to meet with Joe Biden.", "Angela Merkel", "MET_WITH", "Joe Biden", "future"),
        ("Germany plans to send troops to Mali.", "Germany", "DEPLOYED_TO", "Mali", "future"),
        ("Germany may provide assistance to Ukraine.", "Germany", "OFFERED_AID_TO", "Ukraine", "possible"),
        ("Germany could send troops to Mali.", "Germany", "DEPLOYED_TO", "Mali", "possible"),
        ("Germany sent troops to Mali last year.", "Germany", "DEPLOYED_TO", "Mali", "asserted"),
        # the subject of an adjective's complement is the subject of its copula
        ("Imran Khan is due to visit the Kenyan community in Leeds on Tuesday.", "Imran Khan", "VISITED", "Leeds",
         "future"),
        ("Imran Khan is unlikely to visit Leeds.", "Imran Khan", "VISITED", "Leeds", "possible"),
    ],
)
def test_relations_modality(analyzer, sentence, subject, rtype, obj, mod):
    rels = relations(analyzer, LEAD + sentence)
    assert has(rels, subject, rtype, obj, mod=mod), sorted(rels)


def test_relations_pronoun_subject_lands_on_the_entity_meant(analyzer):
    text = LEAD + "Angela Merkel arrived in Paris on Monday. She offered technical aid to NATO."
    rels = relations(analyzer, text)
    assert has(rels, "Angela Merkel", "OFFERED_AID_TO", "NATO"), sorted(rels)
    text = LEAD + "Germany says it backs NATO and Ukraine. It has also offered to supply Ukrainian forces with weapons."
    rels = relations(analyzer, text)
    assert has(rels, "Germany", "OFFERED_AID_TO", "Ukraine"), sorted(rels)


def test_relations_pronoun_in_subordinate_clause_takes_main_subject(analyzer):
    text = LEAD + "Angela Merkel is scheduled to meet with Joe Biden when she visits Washington on Friday."
    rels = relations(analyzer, text)
    assert has(rels, "Angela Merkel", "VISITED", "Washington", mod="future"), sorted(rels)
    assert not any(k[0] == "Joe Biden" and k[1] == "VISITED" for k in rels)


def test_relations_the_alliance_resolves_to_an_organisation(analyzer):
    text = LEAD + "NATO met in Madrid. Russia said it supports the alliance."
    rels = relations(analyzer, text)
    assert has(rels, "Russia", "SUPPORTED", "NATO"), sorted(rels)


def test_relations_capital_as_actor_is_its_state_with_surface_in_evidence(analyzer):
    text = LEAD + "Russia has troops abroad. Moscow has offered technical aid to Serbia."
    rels = relations(analyzer, text)
    rel = next(r for k, r in rels.items() if k[1] == "OFFERED_AID_TO")
    assert has(rels, "Russia", "OFFERED_AID_TO", "Serbia")
    assert "Moscow" in rel.evidence.sentence


def test_relations_roles(analyzer):
    text = LEAD + (
        "NATO Secretary-General Mark Rutte arrived in Afghanistan. Afghan President Hamid Karzai spoke. "
        "Rutte, a former prime minister of the Netherlands, listened."
    )
    rels = relations(analyzer, text)
    assert has(rels, "Mark Rutte", "HOLDS_POSITION", "NATO"), sorted(rels)
    assert has(rels, "Hamid Karzai", "HOLDS_POSITION", "Afghanistan")
    assert has(rels, "Mark Rutte", "HOLDS_POSITION", "Netherlands")
    titles = {r.attributes.get("title") for k, r in rels.items() if k[1] == "HOLDS_POSITION"}
    assert {"Secretary-General", "President", "prime minister"} <= titles
    [ended] = [r for k, r in rels.items() if k[:3] == ("Mark Rutte", "HOLDS_POSITION", "Netherlands")]
    assert ended.attributes.get("former") is True


def test_relations_speaker_and_evidence(analyzer):
    text = LEAD + "Germany will provide logistical support to NATO troops, Angela Merkel said."
    [res] = analyzer.analyze([Document(id="t", text=text, source="t")])
    names = {e.index: e.name for e in res.entities}
    [rel] = [r for r in res.relations if r.type.value == "OFFERED_AID_TO"]
    assert names[rel.reported_by] == "Angela Merkel"
    ev = rel.evidence
    assert text[ev.start : ev.end] == ev.sentence and ev.sentence.startswith("Germany will provide")
    assert ev.trigger == "provide"
    assert 0 < rel.confidence <= 1


# --- rules on hand-built Docs --------------------------------------------------------------------

LEX = load_lexicon()


def _sent(words, heads, deps, pos, tags=None):
    return make_doc(words, heads=heads, deps=deps, pos=pos, tags=tags)


@pytest.mark.parametrize(
    "words,heads,deps,pos,trigger,expected",
    [
        (["Russia", "will", "not", "send", "troops"], [3, 3, 3, 3, 3], ["nsubj", "aux", "neg", "ROOT", "dobj"],
         ["PROPN", "AUX", "PART", "VERB", "NOUN"], 3, Polarity.NEGATIVE),
        (["Russia", "ruled", "out", "sending", "troops"], [1, 1, 1, 1, 3], ["nsubj", "ROOT", "prt", "xcomp", "dobj"],
         ["PROPN", "VERB", "ADP", "VERB", "NOUN"], 3, Polarity.NEGATIVE),
        (["Russia", "sent", "no", "troops"], [1, 1, 3, 1], ["nsubj", "ROOT", "det", "dobj"],
         ["PROPN", "VERB", "DET", "NOUN"], 1, Polarity.NEGATIVE),
        (["Russia", "sent", "troops"], [1, 1, 1], ["nsubj", "ROOT", "dobj"], ["PROPN", "VERB", "NOUN"], 1,
         Polarity.POSITIVE),
    ],
)
def test_relations_polarity_rules(words, heads, deps, pos, trigger, expected):
    doc = _sent(words, heads, deps, pos)
    theme = next((t for t in doc[trigger].children if t.dep_ == "dobj"), None)
    assert polarity(doc[trigger], LEX, theme) is expected


@pytest.mark.parametrize(
    "words,heads,deps,tags,trigger,expected",
    [
        (["Russia", "will", "send", "troops"], [2, 2, 2, 2], ["nsubj", "aux", "ROOT", "dobj"],
         ["NNP", "MD", "VB", "NNS"], 2, Modality.FUTURE),
        (["Russia", "may", "send", "troops"], [2, 2, 2, 2], ["nsubj", "aux", "ROOT", "dobj"],
         ["NNP", "MD", "VB", "NNS"], 2, Modality.POSSIBLE),
        (["Russia", "plans", "to", "send", "troops"], [1, 1, 3, 1, 3], ["nsubj", "ROOT", "aux", "xcomp", "dobj"],
         ["NNP", "VBZ", "TO", "VB", "NNS"], 3, Modality.FUTURE),
        (["Russia", "would", "like", "to", "send", "troops"], [2, 2, 2, 4, 2, 4],
         ["nsubj", "aux", "ROOT", "aux", "xcomp", "dobj"], ["NNP", "MD", "VB", "TO", "VB", "NNS"], 4, Modality.POSSIBLE),
        (["Russia", "sent", "troops"], [1, 1, 1], ["nsubj", "ROOT", "dobj"], ["NNP", "VBD", "NNS"], 1,
         Modality.ASSERTED),
    ],
)
def test_relations_modality_rules(words, heads, deps, tags, trigger, expected):
    pos = ["PROPN" if t == "NNP" else "AUX" if t == "MD" else "PART" if t == "TO" else "NOUN" if t == "NNS" else "VERB"
           for t in tags]
    doc = _sent(words, heads, deps, pos, tags)
    assert modality(doc[trigger], LEX) is expected


def test_relations_lexicon_rejects_unknown_type(tmp_path):
    from kg.errors import GraphFormatError

    bad = tmp_path / "t.json"
    bad.write_text('{"types": {"MET_WTIH": {}}, "cues": {}}', encoding="utf-8")
    with pytest.raises(GraphFormatError, match="t.json"):
        load_lexicon(bad)


def test_relations_a_clause_that_is_said_or_confirmed_is_no_denial(analyzer):
    for sentence in ("Germany said that it had sent troops to Mali.",
                     "Germany denied reports, but officials confirmed that it had sent troops to Mali."):
        rels = relations(analyzer, LEAD + sentence)
        assert has(rels, "Germany", "DEPLOYED_TO", "Mali", "positive"), sorted(rels)


def test_relations_a_purpose_is_as_planned_or_denied_as_its_clause(analyzer):
    rels = relations(analyzer, LEAD + "Emmanuel Macron will visit Rome on Monday to meet Giuseppe Conte.")
    assert has(rels, "Emmanuel Macron", "MET_WITH", "Giuseppe Conte", mod="future"), sorted(rels)
    rels = relations(analyzer, LEAD + "Emmanuel Macron refused to go to Rome to meet Giuseppe Conte.")
    assert has(rels, "Emmanuel Macron", "MET_WITH", "Giuseppe Conte", "negative"), sorted(rels)
