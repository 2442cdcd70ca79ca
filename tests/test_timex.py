"""When an event happened or is due: date expressions, their resolution, and the relations that carry them."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.model import Document
from kg.timex import granularity, published_date, resolve

FRIDAY = dt.date(2004, 11, 19)  # a Friday


@pytest.mark.parametrize(
    "text,expected",
    [
        ("in 1968", ("1968", None)),
        ("in November 2003", ("2003-11", None)),
        ("on 2 March 2005", ("2005-03-02", None)),
        ("last month", ("2004-10", None)),
        ("last year", ("2003", None)),
        ("yesterday", ("2004-11-18", None)),
        ("on Wednesday", ("2004-11-17", None)),
        # not a time of the event: durations, decades, weeks
        ("for seven years", (None, None)),
        ("the 1980s", (None, None)),
        ("next week", (None, None)),
    ],
)
def test_timex_resolves_against_the_published_date(text, expected):
    assert resolve(text, FRIDAY) == expected


def test_timex_a_planned_event_resolves_forward_and_a_relative_date_without_a_published_date_keeps_its_words():
    assert resolve("on Tuesday", FRIDAY, future=True) == ("2004-11-23", None)
    assert resolve("on Tuesday", None) == (None, "on Tuesday")
    assert resolve("in 1968", None) == ("1968", None)


@pytest.mark.parametrize("text,grain", [("Friday", "day"), ("March", "month"), ("2003", "year"), ("54", None)])
def test_timex_granularity(text, grain):
    assert granularity(text) == grain


def test_timex_published_date_reads_iso_forms():
    assert published_date("2004-11-19T08:00:00Z") == FRIDAY
    assert published_date("19/11/2004") is None and published_date(None) is None


def _relations(analyzer, text, published=None):
    [res] = analyzer.analyze([Document(id="t", text=text, source="t", published=published)])
    names = {e.index: e.name for e in res.entities}
    return res, {(names[r.subject], r.type.value, names[r.object]): r for r in res.relations}


def test_timex_relations_carry_when_and_a_present_event_dated_ahead_is_planned(analyzer):
    lead = "Officials Meet in Geneva\n\n"
    _, rels = _relations(analyzer, lead + "Germany sent troops to Mali on Wednesday.", "2004-11-19")
    rel = rels[("Germany", "DEPLOYED_TO", "Mali")]
    assert rel.attributes["when"] == "2004-11-17" and rel.modality.value == "asserted"
    _, rels = _relations(analyzer, lead + "Angela Merkel arrives in Paris on Tuesday.", "2004-11-19")
    rel = rels[("Angela Merkel", "VISITED", "Paris")]
    assert rel.attributes["when"] == "2004-11-23" and rel.modality.value == "future"
    _, rels = _relations(analyzer, lead + "Angela Merkel visited Paris in 1998.")
    assert rels[("Angela Merkel", "VISITED", "Paris")].attributes["when"] == "1998"
    _, rels = _relations(analyzer, lead + "Angela Merkel visited Paris, where she has lived for seven years.")
    assert "when" not in rels[("Angela Merkel", "VISITED", "Paris")].attributes


def test_timex_a_wire_dateline_is_the_published_date(analyzer):
    res, rels = _relations(analyzer, "Troops Sent\n\nBERLIN 1996-08-30\n\nGermany sent troops to Mali on Wednesday.")
    assert res.document.published == "1996-08-30"
    assert rels[("Germany", "DEPLOYED_TO", "Mali")].attributes["when"] == "1996-08-28"
