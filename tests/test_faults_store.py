"""The stores under faults, through the CLI as a user hits them: a query on a folder without a build,
a query that writes, out-of-range parameters, two builds into one folder, a server without
constraints, and a real `kg load` process killed at several moments of a load over a full store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg import queries
from kg.cli import main
from kg.loaders.json_file import JsonSink

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "kg.cli"]
ENV = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
DELETE_ALL = "// Everything, gone.\nMATCH (n) DETACH DELETE n\n"


@pytest.fixture
def seed_out(tmp_path, seed_graph, runner):
    """A build folder holding the seed build's graph.json and its loaded store."""
    JsonSink(tmp_path).write(seed_graph)
    result = runner.invoke(main, ["load", str(tmp_path / "graph.json"), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    return tmp_path


def rows(runner, *args) -> list[dict]:
    result = runner.invoke(main, ["query", *map(str, args), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_faults_query_on_a_folder_without_a_build_creates_nothing(runner, tmp_path):
    missing = tmp_path / "typo"
    result = runner.invoke(main, ["query", "met_with", "--out", str(missing)])
    assert result.exit_code == 2
    assert f"no store at {missing / 'graph.kgl'}" in result.stderr and "Traceback" not in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    for args in (["query", "documents"], ["forget", "doc1"], ["query", "--write", str(ROOT / "queries/documents.cypher")]):
        result = runner.invoke(main, [*args, "--out", str(empty)])
        assert result.exit_code == 2 and "no store at" in result.stderr, (args, result.output)
    assert not missing.exists() and list(empty.iterdir()) == []


def test_faults_query_is_read_only_unless_write(runner, seed_out, tmp_path):
    own = tmp_path / "delete_all.cypher"
    own.write_text(DELETE_ALL, encoding="utf-8")
    before = rows(runner, "documents", "--out", seed_out)
    result = runner.invoke(main, ["query", str(own), "--out", str(seed_out)])
    assert result.exit_code == 2
    assert "changes the store (DETACH, DELETE)" in result.stderr and "--write" in result.stderr
    assert rows(runner, "documents", "--out", seed_out) == before
    assert rows(runner, own, "--out", seed_out, "--write") == []
    assert rows(runner, "documents", "--out", seed_out) == []


def test_faults_read_only_store_refuses_what_the_check_would_miss(seed_out):
    """The embedded store is opened read-only by the engine itself: a write slips past no parser."""
    from kg.errors import StoreError
    from kg.loaders.kglite_store import KgliteRunner

    runner = KgliteRunner(seed_out / "graph.kgl", read_only=True)
    with pytest.raises(StoreError, match="opened read-only"):
        runner.read("MATCH (d:Document) SET d.title = 'x'", {})
    runner.close()


@pytest.mark.parametrize("text, found", [
    ("MATCH (n) DETACH DELETE n", ("DETACH", "DELETE")),
    ("MATCH (n:Entity) SET n.name = 'x' RETURN n", ("SET",)),
    ("match (n) remove n:Entity", ("REMOVE",)),
    ("MERGE (:Document {id: $x})", ("MERGE",)),
    ("FOREACH (x IN [1] | CREATE (:Q))", ("FOREACH", "CREATE")),
    ("CALL apoc.create.node(['X'], {}) YIELD node RETURN node", ("CALL apoc.create.node",)),
    ("DROP INDEX evidence_relation", ("DROP",)),
    ("MATCH (n {note: 'CREATE'}) /* DELETE */ RETURN n.set, n.`delete` // MERGE", ()),
    ("MATCH (n:Set) WHERE n.name = $create RETURN {remove: 1} AS m", ()),
    ("CALL db.labels() YIELD label RETURN label", ()),
    ('MATCH (n) WHERE n.name = "it\\"s SET" RETURN n', ()),
])
def test_faults_query_writes_are_found_outside_strings_and_comments(text, found):
    assert queries.writes(text) == found


def test_faults_library_queries_are_all_read_only():
    assert {name: q.writes for name, q in queries.library().items() if q.writes} == {}


def test_faults_parameters_out_of_range_are_clear_errors(runner, seed_out):
    for params, message in ((["-p", "limit=1e20"], "parameter limit wants int"),
                            (["-p", "limit=100000000000000000000"], "parameter limit must be from 1 to 1000000"),
                            (["-p", "limit=0"], "must be from 1 to 1000000")):
        result = runner.invoke(main, ["query", "most_connected", *params, "--out", str(seed_out)])
        assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.output, params
    result = runner.invoke(main, ["query", "neighbourhood", "-p", "name=NATO", "-p", "depth=99", "--out", str(seed_out)])
    assert result.exit_code == 2 and "parameter depth must be from 1 to 3, got 99" in result.stderr
    assert len(rows(runner, "neighbourhood", "-p", "name=NATO", "-p", "depth=3", "--out", seed_out)) > 0
    assert "--param depth=<int>  (default 1, 1..3)" in runner.invoke(main, ["query", "--list"]).stdout
    own = seed_out / "big.cypher"
    own.write_text("// Big.\n// param n: int = 3  Any int.\nMATCH (d:Document) RETURN d.id AS id LIMIT $n\n")
    result = runner.invoke(main, ["query", str(own), "-p", "n=99999999999999999999", "--out", str(seed_out)])
    assert result.exit_code == 2 and "9223372036854775807" in result.stderr and "Traceback" not in result.output


def test_faults_two_builds_into_one_folder(runner, seed_out):
    """The second build fails at once naming the first; a query answers meanwhile; the first finishes."""
    first = subprocess.Popen([*KG, "build", str(ROOT / "seeds"), "--out", str(seed_out), "--no-viz"],
                             cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while str(first.pid) not in _read(seed_out / ".kg.lock"):
            assert first.poll() is None and time.monotonic() < deadline, "the first build never took the lock"
            time.sleep(0.05)
        second = runner.invoke(main, ["build", str(ROOT / "seeds"), "--out", str(seed_out)])
        assert second.exit_code == 2
        assert f"{seed_out} is in use: kg build (pid {first.pid}" in second.stderr
        assert len(rows(runner, "documents", "--out", seed_out)) == 5
        forget = runner.invoke(main, ["forget", "000_0758136f7a40e787", "--out", str(seed_out)])
        assert forget.exit_code == 2 and "is in use" in forget.stderr
    finally:
        out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert len(rows(runner, "documents", "--out", seed_out)) == 5


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def test_faults_kg_load_on_a_server_without_constraints_names_the_capability(runner, falkor_server, seed_out):
    falkor_server.prime()
    result = runner.invoke(main, ["load", str(seed_out / "graph.json"), "--store", "neo4j",
                                  "--neo4j-uri", falkor_server.uri])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "cannot create the uniqueness constraints" in result.stderr and "CREATE CONSTRAINT" in result.stderr


def test_faults_falkordb_query_that_writes_is_refused_before_it_reaches_the_server(runner, falkor_server, tmp_path):
    """FalkorDB ignores the read access mode (a DELETE in execute_read deletes): the check stops it."""
    from servers import wipe

    store = falkor_server.store()
    wipe(store)
    store.runner.write("CREATE (:Document {id: 'd1'})", {})
    own = tmp_path / "delete_all.cypher"
    own.write_text(DELETE_ALL, encoding="utf-8")
    falkor_server.prime()
    result = runner.invoke(main, ["query", str(own), "--store", "neo4j", "--neo4j-uri", falkor_server.uri])
    assert result.exit_code == 2 and "kg query is read-only" in result.stderr
    assert store.query("MATCH (n) RETURN count(n) AS n") == [{"n": 1}]


def test_faults_no_traceback_for_a_graph_json_that_is_not_utf8(runner, tmp_path):
    bad = tmp_path / "graph.json"
    bad.write_bytes(b'{"documents": "\xff\xfe"}')
    result = runner.invoke(main, ["load", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "Traceback" not in result.output and result.stderr.startswith("error:")


@pytest.mark.parametrize("command", [["load", "{build}", "--out", "{out}"],
                                     ["export", "--format", "neo4j-csv", "--graph", "{build}", "--out", "{out}"]])
def test_faults_a_json_lines_record_without_its_keys_is_named_by_file_and_line(runner, seed_graph, tmp_path, command):
    from kg.graph_stream import JsonlSink

    JsonlSink(tmp_path / "build").write(seed_graph)
    shard = tmp_path / "build" / "entities.jsonl"
    lines = shard.read_text(encoding="utf-8").splitlines()
    lines[3] = '{"id": "person:nobody"}'
    shard.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = [a.format(build=tmp_path / "build", out=tmp_path / "out") for a in command]
    result = runner.invoke(main, args)
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    assert result.stderr == f"error: {shard}:4: not an entity record (no name, type)\n"


def test_faults_journal_statements_are_clean_cypher():
    """The journal's statements, checked by Neo4j's linter like every other statement."""
    from test_cypher_lint import lint

    from kg.loaders import cypher, journal

    params = {"id": "last", "op": "load", "graph": "/x/graph.json", "sha256": "ab", "docs": ["d"], "owner": "{}"}
    saved = cypher.LABELS, cypher.PROPERTY_KEYS
    cypher.LABELS, cypher.PROPERTY_KEYS = (*saved[0], journal.LABEL), (*saved[1], *journal.PROPERTY_KEYS)
    try:
        results = lint([(f"journal[{i}]", text, params) for i, text in enumerate(journal.STATEMENTS)])
    finally:
        cypher.LABELS, cypher.PROPERTY_KEYS = saved
    assert [(r["name"], d) for r in results for d in r["diagnostics"]] == []
