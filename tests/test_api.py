"""The Python API (kg/api.py, exported by kg/__init__.py): build, load, query, export, Graph."""

from __future__ import annotations

import subprocess
import sys
import warnings

import pytest

import kg
from kg.errors import GraphFormatError, InputError, KGError, StoreError
from kg.queries import QueryError


def test_api_import_kg_is_light():
    """`import kg` imports neither spaCy nor the API's modules; the names resolve when used."""
    probe = ("import sys, kg; heavy = [m for m in ('spacy', 'kg.api', 'kg.pipeline', 'rdflib') if m in sys.modules];"
             "print(heavy, kg.__version__, callable(kg.build), kg.Graph.__module__, sorted(kg.__all__))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.startswith(f"[] {kg.__version__} True kg.model ")
    for name in ("build", "load", "query", "export", "Graph"):
        assert name in out
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        kg.nothing  # noqa: B018


def test_api_load_query_export_the_seed_graph(seed_graph, tmp_path):
    counts = kg.load(seed_graph, tmp_path / "out")
    assert counts["entities"] == len(seed_graph.entities) and counts["relations"] == len(seed_graph.relations)
    rows = kg.query(tmp_path / "out", "met_with")
    expected = {(seed_graph.entity(r.subject).name, seed_graph.entity(r.object).name)
                for r in seed_graph.relations if r.type.value == "MET_WITH"}
    assert {(r["person"], r["met"]) for r in rows} == expected
    # A parameter called `name` does not clash with the query's name.
    [first, *_] = kg.query(tmp_path / "out", "entity", name="Sergei Ivanov")
    assert first["id"] == "person:sergei-ivanov"

    path = kg.export(seed_graph, tmp_path / "out" / "graph.json")
    assert path.read_text(encoding="utf-8") == seed_graph.to_json()
    # Loading the same graph.json again changes nothing.
    assert kg.load(path, tmp_path / "out")["entities"] == counts["entities"]
    assert len(kg.query(str(tmp_path / "out"), "documents")) == len(seed_graph.documents)


@pytest.mark.parametrize("name, fmt, start", [
    ("graph.ttl", None, b"@prefix"), ("g.jsonld", None, b"{"), ("g.nt", None, b"<"), ("g.trig", None, b"@prefix"),
    ("page.html", None, b"<!DOCTYPE html>"), ("g.txt", "turtle", b"@prefix"),
])
def test_api_export_formats(seed_graph, tmp_path, name, fmt, start):
    path = kg.export(seed_graph, tmp_path / name, format=fmt)
    assert path == tmp_path / name and path.read_bytes().lstrip().startswith(start)


def test_api_export_neo4j_csv_and_bad_formats(seed_graph, tmp_path):
    folder = kg.export(seed_graph, tmp_path / "import", format="neo4j-csv")
    assert (folder / "import.sh").exists()
    with pytest.raises(KGError, match="cannot tell the format of .*graph.xyz"):
        kg.export(seed_graph, tmp_path / "graph.xyz")
    with pytest.raises(KGError, match="unknown export format 'yaml'"):
        kg.export(seed_graph, tmp_path / "graph.yaml", format="yaml")
    with pytest.raises(GraphFormatError, match="cannot read"):
        kg.export(tmp_path / "missing.json", tmp_path / "g.ttl")


def test_api_query_is_read_only_and_checks_parameters(seed_graph, tmp_path):
    kg.load(seed_graph, tmp_path)
    writer = tmp_path / "wipe.cypher"
    writer.write_text("// Wipes the store.\nMATCH (n) DETACH DELETE n\n", encoding="utf-8")
    with pytest.raises(QueryError, match="changes the store .*read-only"):
        kg.query(tmp_path, str(writer))
    with pytest.raises(QueryError, match="depth must be from 1 to 3"):
        kg.query(tmp_path, "neighbourhood", name="Rasmussen", depth=9)
    with pytest.raises(QueryError, match="takes no parameter colour"):
        kg.query(tmp_path, "met_with", colour="red")
    with pytest.raises(StoreError, match="no store at"):
        kg.query(tmp_path / "nowhere", "met_with")
    assert len(kg.query(tmp_path, "met_with")) == 3  # the store is as it was


def test_api_load_waits_for_no_one(seed_graph, tmp_path):
    """A folder another writer holds is an error at once, saying retrying can help."""
    from kg.loaders.outdir import FolderLock

    with FolderLock(tmp_path, "kg build"):
        with pytest.raises(StoreError, match="is in use") as raised:
            kg.load(seed_graph, tmp_path)
    assert raised.value.retryable


def test_api_build_warns_about_skipped_inputs(tmp_path):
    good = tmp_path / "a.txt"
    good.write_text("Germany offered aid to Indonesia after the tsunami.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\xff\xfe not UTF-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        graph = kg.build([good, tmp_path / "b.txt", str(tmp_path / "missing.txt")])
    skipped = [str(w.message) for w in caught if issubclass(w.category, kg.SkippedInput)]
    assert len(skipped) == 2 and "b.txt: not valid UTF-8" in skipped[0] and "missing.txt" in skipped[1]
    assert [d.id for d in graph.documents] == ["a"]
    assert {e.name for e in graph.entities} >= {"Germany", "Indonesia"}
    with pytest.raises(InputError, match="not valid UTF-8"):
        kg.build(tmp_path, strict=True)


def test_api_store_names():
    from kg.api import _store

    assert _store("out") == ("kglite", "out", None)
    kind, _, config = _store("bolt://db.example:7687")
    assert (kind, config.uri) == ("neo4j", "bolt://db.example:7687")
    given = kg.Neo4jConfig("neo4j://x:7687", "neo4j", "secret")
    assert _store(given) == ("neo4j", "", given)


def test_api_load_takes_a_json_lines_build_or_its_folder(seed_graph, tmp_path):
    from kg.graph_stream import INDEX, JsonlSink

    JsonlSink(tmp_path / "build").write(seed_graph)
    counts = kg.load(tmp_path / "build", tmp_path / "store")
    assert counts["entities"] == len(seed_graph.entities) and counts["relations"] == len(seed_graph.relations)
    assert kg.load(tmp_path / "build" / INDEX, tmp_path / "store") == counts
    assert len(kg.query(tmp_path / "store", "documents")) == len(seed_graph.documents)
