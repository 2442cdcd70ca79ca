"""Reading input: every kind of bad file is reported by name and reason, and the others are read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import read_documents
from kg.model import Document

ARTICLE = "Ruritania Signs Pact\n\nRuritania signed a pact with Graustark on Monday, officials said.\n"


def read(paths, **kw):
    items = list(read_documents([str(p) for p in paths], **kw))
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, InputError)]


@pytest.fixture
def good(tmp_path) -> Path:
    p = tmp_path / "good.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "name,content,reason",
    [
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("latin1.txt", "Caf\u00e9 in M\u00fcnchen".encode("latin-1"), "not valid UTF-8"),
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n \t\n", "empty"),
    ],
)
def test_ingest_bad_file_is_reported_and_others_are_read(tmp_path, good, name, content, reason):
    bad = tmp_path / name
    bad.write_bytes(content)
    docs, errors = read([bad, good])
    assert [d.id for d in docs] == ["good"]
    [err] = errors
    assert err.source == str(bad) and reason in err.reason


def test_ingest_missing_path_is_reported(tmp_path, good):
    docs, errors = read([tmp_path / "nope.txt", good])
    assert [d.id for d in docs] == ["good"]
    assert "no such file" in errors[0].reason and "nope.txt" in errors[0].source


def test_ingest_oversized_file_is_skipped_with_the_limit_named(tmp_path, good):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    docs, errors = read([big, good])
    assert [d.id for d in docs] == ["good"]
    assert "50.0 MiB" in errors[0].reason and "--max-bytes" in errors[0].reason


def test_ingest_text_is_kept_exactly_as_read(tmp_path):
    p = tmp_path / "crlf.txt"
    p.write_bytes("\ufeffHead Line Here\r\n\r\nBody\u00a0text.\r\n".encode("utf-8"))
    [doc], _ = read([p])
    assert doc.text == "Head Line Here\r\n\r\nBody\u00a0text.\r\n"
    assert doc.id == "crlf"


def test_ingest_directory_and_glob(tmp_path, good):
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (sub / "notes.bin").write_bytes(b"\x00")
    docs, errors = read([tmp_path])
    assert sorted(d.id for d in docs) == ["b", "good"] and not errors
    docs, errors = read([str(tmp_path / "**" / "*.txt")])
    assert sorted(d.id for d in docs) == ["b", "good"]


def test_ingest_empty_directory_and_unmatched_glob_are_reported(tmp_path):
    (tmp_path / "empty").mkdir()
    _, errors = read([tmp_path / "empty", tmp_path / "*.nothing"])
    assert [e.reason for e in errors] == ["directory holds no .txt, .html or .jsonl files", "pattern matches no file"]


def test_ingest_jsonl_bad_line_is_reported_with_its_number(tmp_path):
    p = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "a1", "text": ARTICLE, "title": "T", "url": "http://x", "published": "2024-01-02"}),
        "{not json",
        json.dumps({"id": "a2"}),
        json.dumps({"text": ARTICLE}),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, errors = read([p])
    assert [d.id for d in docs] == ["a1", "feed-4"]
    assert docs[0].title == "T" and docs[0].published == "2024-01-02" and docs[0].url == "http://x"
    assert [e.source for e in errors] == [f"{p}:2", f"{p}:3"]


def test_ingest_duplicate_ids_are_reported(tmp_path, good):
    other = tmp_path / "x"
    other.mkdir()
    (other / "good.txt").write_text(ARTICLE, encoding="utf-8")
    docs, errors = read([good, other / "good.txt"])
    assert len(docs) == 1 and "duplicate document id" in errors[0].reason


def test_ingest_html_article_is_extracted(tmp_path):
    body = " ".join(["Ruritania signed a trade pact with Graustark on Monday, the foreign ministry said."] * 4)
    html = f"""<html><head><title>Ruritania Signs Pact</title></head><body>
    <nav><a href="/">Home</a> <a href="/s">Subscribe</a></nav>
    <article><h1>Ruritania Signs Pact</h1><p>{body}</p><p>{body}</p></article>
    <footer>Copyright 2024 Example News. All rights reserved.</footer></body></html>"""
    p = tmp_path / "page.html"
    p.write_text(html, encoding="utf-8")
    [doc], errors = read([p])
    assert not errors
    assert doc.title == "Ruritania Signs Pact"
    assert "signed a trade pact" in doc.text and "<p>" not in doc.text
