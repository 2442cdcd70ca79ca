"""Bad and odd input through `kg build`, as a user hits it: a document over spaCy's max_length, a
line of junk, values that are not valid IRIs or not valid Unicode. Nothing may crash the build,
lose the other documents, or fail a sink."""

from __future__ import annotations

import json

from kg.cli import main



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
