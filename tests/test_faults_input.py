"""Bad and odd input through `kg build`, as a user hits it: a document over spaCy's max_length, a
line of junk, values that are not valid IRIs or not valid Unicode. Nothing may crash the build,
lose the other documents, or fail a sink."""

from __future__ import annotations

import hashlib
import json

from kg.cli import main

ARTICLE = "Canada Signs Pact With Mexico\n\nCanada signed a trade pact with Mexico on Monday, officials in Ottawa said.\n"
LAST = "Later, Germany offered aid to Afghanistan, Chancellor Angela Merkel said in Berlin."


def long_report(chars: int) -> str:
    """A report longer than ``chars``: real sentences at its start, middle and end, between paragraphs
    of long tokens (cheap to parse, so the test stays fast)."""
    parts = ["Annual Report On Regional Security",
             "NATO Secretary-General Anders Fogh Rasmussen met Russian President Dmitry Medvedev in Moscow."]
    size, i = 0, 0
    while size < chars:
        row = f"row {i} of the annex: " + " ".join(hashlib.sha256(f"{i}-{k}".encode()).hexdigest()[:30]
                                                  for k in range(24)) + "."
        parts.append(row)
        size += len(row) + 2
        i += 1
        if i == 1000:
            parts.append("Canada signed a trade pact with Mexico on Monday, officials in Ottawa said.")
    parts.append(LAST)
    return "\n\n".join(parts) + "\n"


def test_faults_document_over_max_length_is_built_in_sections(runner, tmp_path):
    import spacy

    from kg.clean import clean
    from kg.model import Document

    src = tmp_path / "in"
    src.mkdir()
    text = long_report(1_050_000)
    assert len(clean(Document(id="report", text=text, source="x")).text) > spacy.blank("en").max_length
    (src / "report.txt").write_text(text, encoding="utf-8")
    (src / "short.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(src), "--out", str(out), "--no-viz", "--no-rdf"])
    assert result.exit_code == 0, result.output
    assert "documents: 2" in result.stdout
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    names = {e["name"]: e for e in graph["entities"]}
    for name in ("Anders Fogh Rasmussen", "Ottawa", "Angela Merkel", "Berlin"):
        assert any(m["doc"] == "report" for m in names[name]["mentions"]), name
    for e in graph["entities"]:
        for m in e["mentions"]:
            if m["doc"] == "report":
                assert text[m["start"]:m["end"]] == m["text"]
    merkel = next(m for m in names["Angela Merkel"]["mentions"] if m["doc"] == "report")
    assert merkel["start"] > 1_000_000  # the last section maps into the original text
    offered = [r for r in graph["relations"] if r["type"] == "OFFERED_AID_TO"]
    assert any(ev["doc"] == "report" and text[ev["start"]:ev["end"]] == ev["sentence"]
               for r in offered for ev in r["evidence"])


def test_faults_line_without_punctuation_is_skipped_and_the_rest_built(runner, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    words = ("alpha beta Russia gamma NATO delta Kabul minister offered talks " * 20_000)[:200_000]
    (src / "junk.txt").write_text(words, encoding="utf-8")
    (src / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (src / "feed.jsonl").write_text(json.dumps({"id": "j", "text": words}) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(src), "--out", str(out), "--no-viz"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert f"skipped {src / 'junk.txt'}: not prose: 199,999 characters without a sentence end" in result.stderr
    assert f"skipped {src / 'feed.jsonl'}:1: not prose" in result.stderr
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    assert [d["id"] for d in graph["documents"]] == ["good"]
    strict = runner.invoke(main, ["build", str(src / "junk.txt"), "--out", str(tmp_path / "o2"), "--strict"])
    assert strict.exit_code == 2 and "not prose" in strict.stderr


HOSTILE = {
    "id": "a b\"<x>'\n}",
    "title": "T \u0000 <script>alert(1)</script> \"' \\",
    "url": "http://example.com/a b\"c<d>{e}|^`",
    "published": "2020-01-01\"^^<http://x>",
    "text": "Canada signed a trade pact with Mexico on Monday, officials in Ottawa said.",
}


def test_faults_every_input_value_reaches_every_sink(runner, tmp_path):
    from rdflib import Graph as RDFGraph, URIRef
    from rdflib.namespace import SDO

    records = [
        HOSTILE,
        {"id": "no-scheme", "url": "not a url at all", "text": "Canada signed a pact with Mexico."},
        {"id": "surrogate", "title": "\ud800 lone", "text": "Canada signed a pact with Mexico \udfff today."},
        {"id": 7, "url": 12, "title": ["x"], "text": "Canada signed a pact with Mexico."},
    ]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(feed), "--out", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("graph.json", "graph.ttl", "graph.html", "graph.kgl"):
        assert (out / name).exists(), name
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    docs = {d["id"]: d for d in graph["documents"]}
    assert docs[HOSTILE["id"]]["url"] == HOSTILE["url"] and docs[HOSTILE["id"]]["title"] == HOSTILE["title"]
    assert docs["surrogate"]["title"] == "\ufffd lone"  # one character for one: offsets hold
    assert docs["7"]["url"] == "12"
    rdf = RDFGraph().parse(out / "graph.ttl", format="turtle")
    urls = {str(o) for o in rdf.objects(None, SDO.url)}
    assert "http://example.com/a%20b%22c%3Cd%3E%7Be%7D%7C%5E%60" in urls and "not a url at all" in urls
    assert all(isinstance(o, URIRef) for o in rdf.objects(None, SDO.url) if str(o).startswith("http"))
    for fmt in ("nt", "json-ld", "trig"):
        exported = runner.invoke(main, ["export", "--graph", str(out / "graph.json"), "--format", fmt,
                                        "--out", str(tmp_path / f"g.{fmt}"), "--validate"])
        assert exported.exit_code == 0 and "SHACL: conforms" in exported.output, exported.output
    rows = json.loads(runner.invoke(main, ["query", "documents", "--out", str(out), "--format", "json"]).stdout)
    stored = {r["document"]: r for r in rows}
    assert stored[HOSTILE["id"]]["title"] == HOSTILE["title"]
    assert stored[HOSTILE["id"]]["published"] == HOSTILE["published"]
    page = (out / "graph.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page


def test_faults_bad_document_in_a_worker_process_is_reported_not_a_crash(runner, tmp_path):
    """With --workers, a document a worker refuses comes back as a skipped input (it used to break the pool:
    the error could not be pickled back)."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "junk.txt").write_text("word " * 3000, encoding="utf-8")
    (src / "good.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(src), "--out", str(out), "--workers", "2", "--no-viz", "--no-rdf",
                                  "--store", "none"])
    assert result.exit_code == 1, result.output
    assert "documents: 1" in result.stdout
    assert f"skipped {src / 'junk.txt'}: not prose" in result.stderr
