"""kg.sections: cutting a long text into sections whose offsets still map into the document, and
telling prose from a line of junk."""

from __future__ import annotations

import pytest

from kg.clean import clean
from kg.model import Document
from kg.sections import longest_span, not_prose, sections, split


@pytest.mark.parametrize("text, limit", [
    ("One two three. Four five six.\n\nSeven eight nine. Ten eleven twelve.\n\n" * 40, 300),
    ("A sentence without breaks goes on. " * 200, 500),
    ("word " * 1000, 120),
    ("x" * 1000, 64),
])
def test_sections_split_covers_the_text_in_bounded_pieces(text, limit):
    spans = split(text, limit)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    assert all(0 < end - start <= limit for start, end in spans)


def test_sections_split_prefers_paragraph_then_sentence_boundaries():
    para = "Russia offered aid. NATO accepted it.\n\n"
    spans = split(para * 10, 100)
    assert all(para[:-2] in (para * 10)[s:e] and (para * 10)[s:e].endswith("\n\n") for s, e in spans)
    text = "Russia offered aid to NATO on Monday. " * 10
    assert all(text[s:e].endswith(". ") for s, e in split(text, 100)[:-1])


def test_sections_map_every_offset_back_into_the_document():
    body = "\n\n".join(f"Paragraph {i}: the minister\u00a0met Sergei Ivanov in Brussels." for i in range(300))
    text = "Ivanov Meets Nato Chief\n\nUpdated: 12:00\n\n" + body
    ct = clean(Document(id="d", text=text, source="d"))
    parts = sections(ct, 2_000)
    assert len(parts) > 5 and "".join(p.text for p in parts) == ct.text
    for part in parts:
        for i in range(0, len(part.text), 37):
            j = part.text.find("Ivanov", i)
            if j < 0:
                break
            start, end = part.to_source(j, j + len("Ivanov"))
            assert text[start:end] == "Ivanov"
    assert parts[0].headline_end == ct.headline_end and all(p.headline_end == 0 for p in parts[1:])


def test_sections_short_text_is_its_own_section():
    ct = clean(Document(id="d", text="Canada signed a pact with Mexico.", source="d"))
    assert sections(ct) == [ct]


@pytest.mark.parametrize("text, prose", [
    ("Russia offered aid. NATO accepted it.", True),
    ("a list\nof short\nlines without any punctuation\n" * 2000, True),
    ("word " * 40_000, False),
    ("Fine start. " + "junk " * 3_000 + "end.", False),
])
def test_sections_not_prose(text, prose):
    assert (not_prose(text) is None) is prose
    if not prose:
        assert f"{longest_span(text):,} characters without a sentence end" in not_prose(text)
