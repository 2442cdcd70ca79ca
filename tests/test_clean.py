from __future__ import annotations

import pytest

from kg.clean import boilerplate_reason, classify, clean, is_title_case, recase, split_blocks
from kg.model import Document

LEX = frozenset({"seek", "aid", "set", "sight", "help", "offer", "take", "win", "over", "pullout", "security", "car"})

PAGE = """Get the latest updates as we post them — right on your browser

. Last Updated: 07/27/2016

Rebels Seek Help From Ruritania

APThe rebel leader and Smith shaking hands in Strelsau on Monday.
STRELSAU, Ruritania -- Rebels asked Ruritania for help on Monday, Smith said. The rebel\u00a0leader met Smith.
Smith said Ruritania would answer soon.

Sign up for our free weekly newsletter

Dear readers,

Your support, no matter how small, makes a world of difference. Please support us.

Once
Monthly
Continue
"""


def test_clean_boilerplate_lines_are_dropped():
    ct = clean(Document(id="p", text=PAGE, source="p"), LEX)
    for junk in ("Get the latest", "Last Updated", "newsletter", "Dear readers", "Once", "Monthly", "Continue",
                 "Your support"):
        assert junk not in ct.text
    assert "Rebels asked Ruritania for help" in ct.text


def test_clean_headline_is_title_and_recased_from_body_evidence():
    ct = clean(Document(id="p", text=PAGE, source="p"), LEX)
    assert ct.title == "Rebels Seek Help From Ruritania"
    assert ct.text.startswith("Rebels seek help from Ruritania")
    assert ct.headline_end == len("Rebels Seek Help From Ruritania")


def test_clean_glued_photo_credit_is_cut_and_offsets_still_point_into_source():
    text = PAGE
    ct = clean(Document(id="p", text=text, source="p"), LEX)
    pos = ct.text.index("The rebel leader and Smith")
    start, end = ct.to_source(pos, pos + 3)
    assert text[start:end] == "The"
    assert text[start - 2 : start] == "AP"


def test_clean_dateline_place_is_recased_for_ner():
    ct = clean(Document(id="p", text=PAGE, source="p"), LEX)
    assert "Strelsau, Ruritania -- Rebels" in ct.text


@pytest.mark.parametrize("char", ["\u00a0", "\u2009", "\u202f"])
def test_clean_odd_spaces_become_spaces_with_same_offsets(char):
    text = f"Headline Words Here Now\n\nThe{char}minister met Smith in Paris on Monday."
    ct = clean(Document(id="x", text=text, source="x"))
    pos = ct.text.index("Smith")
    assert text[slice(*ct.to_source(pos, pos + 5))] == "Smith"
    assert char not in ct.text


def test_clean_zero_width_characters_are_dropped_and_mapping_skips_them():
    text = "A long enough opening sentence.\n\nSmi\u200bth met Jones in Paris on Monday."
    ct = clean(Document(id="x", text=text, source="x"))
    pos = ct.text.index("Smith")
    s, e = ct.to_source(pos, pos + 5)
    assert text[s:e] == "Smi\u200bth"


def test_clean_every_kept_character_maps_back_to_its_source(seed_texts, lexicon):
    from kg.clean import _SAME_LENGTH

    for doc_id, text in seed_texts.items():
        ct = clean(Document(id=doc_id, text=text, source=doc_id), lexicon)
        for cstart, sstart, length in ct.runs:
            piece = ct.text[cstart : cstart + length]
            if piece == "\n\n":
                continue
            assert piece.lower() == text[sstart : sstart + length].translate(_SAME_LENGTH).lower(), doc_id


@pytest.mark.parametrize(
    "line,boilerplate",
    [
        ("Updated : 2021-05-06 06:42 GMT+08:00", True),
        (". Last Updated: 07/27/2016", True),
        ("• Directory of Taiwan", True),
        ("Read more", True),
        ("Alexa", True),
        ("Subscribers agree to the Privacy Policy", True),
        ("Russia may provide assistance in training Afghan forces, a spokesman said.", False),
        ("Worried Moscow Sets Sights on Kabul", False),
        # a short line without punctuation is a button, unless it is a result or a table row
        ("Comments 14", True),
        ("Kestrel 2 Harbury 1", False),
        ("Harbury 3 1 0 6 1 10", False),
    ],
)
def test_clean_boilerplate_reason(line, boilerplate):
    assert (boilerplate_reason(line) is not None) is boilerplate


@pytest.mark.parametrize(
    "line,expected",
    [
        ("Russia Seeks to Underpin Afghan Security After NATO Pullout", True),
        ("SOCCER - JAPAN GET LUCKY WIN", True),
        ("NATO: Russia may help more in Afghanistan", False),
        ("Rebels asked for help on Monday.", False),
    ],
)
def test_clean_is_title_case(line, expected):
    assert is_title_case(line) is expected


def test_clean_recase_keeps_length_and_body_forms():
    forms = {"nato": __import__("collections").Counter({"NATO": 3}), "aid": __import__("collections").Counter({"aid": 1})}
    out = recase("Nato Seeks Russian Aid for Afghans", forms, LEX)
    assert out == "NATO seeks Russian aid for Afghans"
    assert len(out) == len("Nato Seeks Russian Aid for Afghans")


def test_clean_repeated_headline_is_dropped():
    text = "Alexa\n\nRuritania may help more\n\nRuritania may help more\n\nRuritania may help more, a spokesman said."
    blocks, headline = classify(text)
    assert headline == "Ruritania may help more"
    assert [b.kind for b in blocks] == ["boilerplate", "headline", "boilerplate", "body"]


def test_clean_wrapped_lines_are_joined_into_one_block():
    text = "The minister said the talks\nwould go on next week.\nA new paragraph starts here."
    assert len(split_blocks(text)) == 2


def test_clean_credit_is_not_cut_from_a_real_word():
    text = "Summit Ends Without Deal\n\nAPEC leaders met in Lima on Sunday.\n\nLima, Peru -- The summit ended."
    ct = clean(Document(id="x", text=text, source="x"), LEX)
    assert "APEC leaders" in ct.text
