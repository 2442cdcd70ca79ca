"""The store commands as a user runs them: build, load, query, forget, export."""

from __future__ import annotations

import csv
import json

import pytest

from kg.cli import main
from kg.vocab import RelationType
from kg.loaders.json_file import JsonSink
from kg.loaders.neo4j_csv import ARRAY_DELIMITER, NODE_FILES, RELATIONSHIP_FILES

ARTICLE = "Canada Signs Pact With Mexico\n\nCanada signed a trade pact with Mexico on Monday, officials in Ottawa said.\n"


@pytest.fixture
def seed_out(tmp_path, seed_graph):
    JsonSink(tmp_path).write(seed_graph)
    return tmp_path


def invoke(runner, *args):
    result = runner.invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def test_cli_build_loads_the_embedded_store_and_query_answers(runner, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(runner, "build", src, "--out", out)
    assert f"loaded {out / 'graph.kgl'}" in result.output
    rows = json.loads(invoke(runner, "query", "documents", "--out", out, "--format", "json").stdout)
    assert [(r["document"], r["title"]) for r in rows] == [("a", "Canada Signs Pact With Mexico")]
    assert rows[0]["entities"] == len(json.loads((out / "graph.json").read_text())["entities"])


def test_cli_load_query_forget(runner, seed_out, seed_graph):
    invoke(runner, "load", seed_out / "graph.json", "--out", seed_out)
    table = invoke(runner, "query", "met_with", "--out", seed_out).stdout
    assert "Anders Fogh Rasmussen" in table and "(3 rows)" in table
    rows = json.loads(invoke(runner, "query", "entity", "-p", "name=Ivanov", "--out", seed_out, "--format", "json").stdout)
    assert {r["name"] for r in rows} == {"Sergei Ivanov", "Igor Ivanov"}
    doc = seed_graph.documents[0].id
    out = invoke(runner, "forget", doc, "--out", seed_out).stdout
    assert "Document 1" in out
    docs = list(csv.DictReader(invoke(runner, "query", "documents", "--out", seed_out, "--format", "csv").stdout.splitlines()))
    assert [d["document"] for d in docs] == [d.id for d in seed_graph.documents[1:]]


def test_cli_query_list_and_errors(runner, seed_out, tmp_path):
    listing = invoke(runner, "query", "--list").stdout
    assert "shortest_path" in listing and "--param from=<string>  (required)" in listing
    result = runner.invoke(main, ["query", "entity", "--out", str(seed_out)])
    assert result.exit_code == 2 and "needs --param name" in result.output
    result = runner.invoke(main, ["query", "no_such_query", "--out", str(seed_out)])
    assert result.exit_code == 2 and "no query named 'no_such_query'" in result.output
    result = runner.invoke(main, ["query", "documents", "--store", "neo4j", "--out", str(seed_out)])
    assert result.exit_code == 2 and "NEO4J_URI" in result.output
    own = tmp_path / "places.cypher"
    own.write_text("// Places by name.\n// param n: int = 3  How many.\n"
                   "MATCH (p:Place) RETURN p.name AS name ORDER BY name LIMIT $n\n")
    invoke(runner, "load", seed_out / "graph.json", "--out", seed_out)
    rows = json.loads(invoke(runner, "query", own, "--out", seed_out, "-p", "n=2", "--format", "json").stdout)
    assert len(rows) == 2 and rows == sorted(rows, key=lambda r: r["name"])


def test_cli_export_neo4j_csv_files_are_well_formed(runner, seed_out, seed_graph):
    target = seed_out / "import"
    invoke(runner, "export", "--format", "neo4j-csv", "--graph", seed_out / "graph.json", "--out", target)
    tables = {}
    for name, header in (NODE_FILES | RELATIONSHIP_FILES).items():
        with open(target / name, encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0] == header, name
        assert all(len(r) == len(header) for r in rows[1:]), name
        tables[name] = [dict(zip(header, r)) for r in rows[1:]]
    ids = {space: [r[f"id:ID({space})"] for r in tables[f"{file}.csv"]]
           for space, file in (("Entity", "entities"), ("Document", "documents"), ("Evidence", "evidence"))}
    for space, values in ids.items():
        assert len(values) == len(set(values)), f"duplicate {space} ids"
    assert len(ids["Entity"]) == len(seed_graph.entities)
    assert len(tables["relations.csv"]) == len(seed_graph.relations)
    for name in RELATIONSHIP_FILES:
        header = RELATIONSHIP_FILES[name]
        start_space = header[0].split("(")[1].rstrip(")")
        end_space = header[1].split("(")[1].rstrip(")")
        for r in tables[name]:
            assert r[header[0]] in ids[start_space] and r[header[1]] in ids[end_space]
    assert {r[":TYPE"] for r in tables["relations.csv"]} <= {t.value for t in RelationType}
    for r in tables["evidence.csv"]:
        assert int(r["start_offset:int"]) < int(r["end_offset:int"])
    for r in tables["mentions.csv"]:
        starts = r["starts:int[]"].split(ARRAY_DELIMITER)
        assert len(starts) == int(r["count:int"]) == len(r["texts:string[]"].split(ARRAY_DELIMITER))
    assert "neo4j-admin database import full" in (target / "import.sh").read_text()


def test_cli_build_writes_turtle_and_export_validates(runner, tmp_path, seed_out):
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(runner, "build", src, "--out", out, "--store", "none")
    assert f"{out / 'graph.ttl'}" in result.output
    from rdflib import Graph as RDFGraph

    assert len(RDFGraph().parse(out / "graph.ttl", format="turtle")) > 10
    result = invoke(runner, "export", "--format", "json-ld", "--graph", seed_out / "graph.json",
                    "--out", tmp_path / "g.jsonld", "--validate")
    assert "SHACL: conforms" in result.output
    invoke(runner, "export", "--ontology", "--out", tmp_path / "vocab.ttl")
    assert "kg:offeredAidTo" in (tmp_path / "vocab.ttl").read_text()
    result = runner.invoke(main, ["export", "--graph", str(tmp_path / "missing.json")])
    assert result.exit_code == 2 and "missing.json" in result.output


def test_cli_query_sparql_runs_on_the_turtle_export(runner, seed_out):
    invoke(runner, "export", "--graph", seed_out / "graph.json")  # seed_out/graph.ttl
    rows = json.loads(invoke(runner, "query", "--sparql", "entity", "-p", "name=ivanov", "--out", seed_out,
                             "--format", "json").stdout)
    assert {r["id"] for r in rows} == {"person:sergei-ivanov", "person:igor-ivanov"}
    assert "offered_aid" in invoke(runner, "query", "--sparql", "--list").stdout
