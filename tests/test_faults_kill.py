"""A real `kg load` process killed (SIGKILL) at several moments of a load over a full store: afterwards
every answer of the store is that of the old build or the new one, or `kg query` says the load did
not finish; the next load finishes it and leaves no temporary file."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import pytest

from faults import KG, ROOT, ask, classify, kill_when, run, temp_files, timed, write_dump
from kg.cli import main
from kg.loaders.json_file import JsonSink
from synthetic import news_like

FALKOR_LOAD = [sys.executable, str(ROOT / "tests" / "falkor_load.py")]


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """Two builds over the same 800 documents (the second restates them differently), and a small pair."""
    folder = tmp_path_factory.mktemp("builds")
    JsonSink(folder, "a.json").write(news_like(3000, 8000, 800, seed=11))
    JsonSink(folder, "b.json").write(news_like(3000, 8000, 800, seed=12))
    JsonSink(folder, "small-a.json").write(news_like(400, 1000, 100, seed=11))
    JsonSink(folder, "small-b.json").write(news_like(400, 1000, 100, seed=12))
    return folder


def test_faults_kill_kg_load_into_the_embedded_store(builds, tmp_path, runner):
    out = tmp_path / "out"
    journal = out / "graph.kgl.journal"
    load_b = [*KG, "load", str(builds / "b.json"), "--out", str(out)]
    dump = write_dump(tmp_path)

    def answer():
        return ask([str(dump), "--out", str(out)], invoke=lambda argv: runner.invoke(main, argv))

    assert runner.invoke(main, ["load", str(builds / "a.json"), "--out", str(out)]).exit_code == 0
    saved = tmp_path / "old.kgl"
    shutil.copy(out / "graph.kgl", saved)
    old = answer()[1]

    # A query while a load runs answers from the old store, and says a load is running.
    def documents():
        result = runner.invoke(main, ["query", "documents", "--out", str(out), "--format", "json"])
        return result.exit_code, result.stdout, result.stderr

    before = documents()
    running, _ = kill_when(load_b, lambda p: journal.exists() and _query_during(documents, before, p))
    assert running, "no query was made while the load ran"
    # The load run to its end, timed: when its journal appeared (it had read graph.json), when it ended.
    shutil.copy(saved, out / "graph.kgl")
    began, ended = timed(load_b, journal.exists)
    new = answer()[1]
    assert new != old and began < ended

    moments = {"reading graph.json": (lambda p: True, min(0.3, began / 2))}
    moments |= {f"{f:.0%} into the load": (lambda p: journal.exists(), f * (ended - began)) for f in (0.25, 0.5, 0.75)}
    moments["saving the new file"] = (lambda p: any(n.startswith(".graph.kgl-") for n in temp_files(out)), 0)
    seen = {}
    for name, (ready, delay) in moments.items():
        shutil.copy(saved, out / "graph.kgl")
        for _ in range(3):  # the save takes milliseconds: catch it
            running, _ = kill_when(load_b, ready, delay=delay)
            if running or name != "saving the new file":
                break
        got = answer()
        seen[name] = classify(got, old, new)
        assert seen[name] in ("old", "new", "refused"), (name, got)
        if name == "saving the new file":
            assert running and temp_files(out), "the kill did not land during the save"
            assert seen[name] == "old" and "did not finish" in got[2]
    assert "old" in seen.values()

    run(load_b)  # the next load: it finishes, and removes what the killed one left
    assert temp_files(out) == [] and not journal.exists()
    code, got, err = answer()
    assert (code, got, err) == (0, new, "")


def _query_during(query, before, proc) -> bool:
    """Query once while ``proc`` loads: the answer is the old store's, with a note saying a load runs."""
    code, got, err = query()
    if proc.poll() is not None:
        return False
    assert (code, got) == before[:2] and "is running" in err, err
    return True


def test_faults_kill_a_load_into_falkordb(builds, falkor_server, tmp_path):
    from servers import wipe

    dump = write_dump(tmp_path)
    uri = falkor_server.uri

    def answer():  # a `kg query` process of its own, tried again if FalkorDB leaves its handshake hanging
        return ask([str(dump), "--store", "neo4j", "--neo4j-uri", uri], before=falkor_server.prime, timeout=20,
                   tries=4)

    falkor_server.prime()
    wipe(falkor_server.store())
    run([*FALKOR_LOAD, uri, str(builds / "small-a.json")])
    falkor_server.snapshot("kg-old")
    old = answer()[1]
    load_b = [*FALKOR_LOAD, uri, str(builds / "small-b.json")]
    falkor_server.prime()
    duration = run(load_b)
    new = answer()[1]
    assert old and new and new != old

    # A query while a load runs waits for it to finish, says so, and answers from the whole load.
    falkor_server.restore("kg-old")
    falkor_server.prime()
    loading = subprocess.Popen(load_b, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    store = falkor_server.store()
    while not store.query("MATCH (j:KgLoad) RETURN count(j) AS n")[0]["n"]:
        assert loading.poll() is None, "the load ended before its journal was seen"
        time.sleep(0.05)
    during = answer()
    assert loading.wait(timeout=300) == 0
    assert during[:2] == (0, new), during
    assert "waiting for the load of" in during[2], "the query did not run while the load did"

    seen = []
    for fraction in (0.3, 0.6, 0.9):
        falkor_server.restore("kg-old")
        falkor_server.prime()
        kill_when(load_b, lambda p: True, delay=fraction * duration)
        got = answer()
        seen.append(classify(got, old, new))
        assert seen[-1] in ("old", "new", "refused"), got
        if seen[-1] == "refused":
            assert f"kg load {builds / 'small-b.json'} --store neo4j --neo4j-uri {uri}` finishes it" in got[2]
    assert "refused" in seen, seen
    falkor_server.restore("kg-old")
    falkor_server.prime()
    kill_when(load_b, lambda p: True, delay=0.5 * duration)
    falkor_server.prime()
    run(load_b)  # the next load finishes the killed one (the same graph.json) and clears the journal
    assert answer() == (0, new, "")


def test_faults_kill_during_the_graph_json_write_leaves_the_old_file_and_no_tmp_after_the_next_run(
        builds, tmp_path, runner):
    """A process killed while it writes graph.json (JsonSink, as `kg build` writes it): the old file
    stays whole, and the next command that writes the folder removes the temporary file."""
    out = tmp_path / "out"
    JsonSink(out).write(news_like(20, 30, 5, seed=3))
    before = (out / "graph.json").read_bytes()
    write = [sys.executable, "-c", "import sys; from kg.model import Graph; from kg.loaders.json_file import JsonSink; "
             "JsonSink(sys.argv[1]).write(Graph.load(sys.argv[2]))", str(out), str(builds / "a.json")]
    for _ in range(20):  # the write of a few MB takes a fraction of a second: catch it (a busy CI may miss a few)
        running, _ = kill_when(write, lambda p: any(n.startswith(".graph.json-") for n in temp_files(out)))
        if running:
            break
    assert running and temp_files(out), "the kill did not land during the write"
    assert (out / "graph.json").read_bytes() == before
    result = runner.invoke(main, ["load", str(out / "graph.json"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert temp_files(out) == []
