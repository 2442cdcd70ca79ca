"""`kg build --dask` on a real Dask LocalCluster with the real model: the same graph.json, byte for byte, as
the single-process build; bad inputs reported as the local build reports them; the JSON Lines form in
shards written by the workers; inputs read through fsspec URLs; the neo4j-admin files written by workers.

One cluster of two worker processes serves the module (``--dask ADDRESS``, as for a cluster that runs
already); one test starts its own one-worker cluster (``--dask`` alone)."""

from __future__ import annotations

import csv
import json
import logging
import shutil

import pytest

from conftest import ROOT
from kg.cli import main
from kg.graph_stream import INDEX, KINDS
from test_fetch import server  # noqa: F401  (the local HTTP server of the fetch tests)

ARTICLE = "Canada Signs Pact With Mexico\n\nCanada signed a trade pact with Mexico on Monday, officials in Ottawa said.\n"
OTHER = "Germany Offers Aid\n\nGermany offered aid to Afghanistan, Chancellor Angela Merkel said in Berlin on Friday.\n"


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR)
    yield cluster.scheduler_address
    Client(cluster).close()
    cluster.close()


def run(runner, *args, code=0):
    result = runner.invoke(main, [str(a) for a in args])
    assert result.exit_code == code, result.output + repr(result.exception)
    return result


def test_distributed_seed_build_is_byte_identical_on_two_workers(runner, cluster, seed_graph, monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "out"
    run(runner, "build", "--dask", cluster, "seeds", "--out", out, "--no-viz", "--no-rdf", "--store", "none")
    assert (out / "graph.json").read_text(encoding="utf-8") == seed_graph.to_json()


def test_distributed_own_local_cluster_of_one_worker_same_bytes_and_store(runner, seed_graph, monkeypatch, tmp_path):
    """`--dask` with no address starts a LocalCluster of --workers processes; `--dask seeds` keeps seeds a path."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    out = tmp_path / "out"
    result = run(runner, "build", "--dask", "seeds", "--workers", "1", "--out", out, "--no-viz", "--no-rdf")
    assert (out / "graph.json").read_text(encoding="utf-8") == seed_graph.to_json()
    assert f"loaded {out / 'graph.kgl'}" in result.stdout and "documents: 5" in result.stdout
    rows = json.loads(run(runner, "query", "met_with", "--out", out, "--format", "json").stdout)
    assert len(rows) == 3


def corpus(folder):
    """Good articles and every kind of bad input, a duplicate id among them."""
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    (folder / "a" / "canada.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "a" / "germany.txt").write_text(OTHER, encoding="utf-8")
    (folder / "a" / "junk.txt").write_text("word " * 3000, encoding="utf-8")
    (folder / "a" / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (folder / "a" / "latin1.txt").write_bytes("Caf\xe9 au lait in Paris.".encode("latin-1"))
    (folder / "a" / "feed.jsonl").write_text(
        json.dumps({"id": "f1", "text": OTHER.replace("Germany", "France")}) + "\nnot json\n"
        + json.dumps({"id": "canada", "text": ARTICLE}) + "\n" + json.dumps({"title": "no text"}) + "\n",
        encoding="utf-8")
    (folder / "b" / "canada.txt").write_text(ARTICLE.replace("Monday", "Tuesday"), encoding="utf-8")
    return folder


def test_distributed_bad_inputs_are_reported_like_the_local_build_and_exit_1(runner, cluster, tmp_path, monkeypatch):
    monkeypatch.chdir(corpus(tmp_path / "in"))
    plain = run(runner, "build", "a", "b", "missing.txt", "--out", tmp_path / "plain", "--no-viz", "--no-rdf",
                "--store", "none", code=1)
    dask = run(runner, "build", "a", "b", "missing.txt", "--dask", cluster, "--out", tmp_path / "dask", "--no-viz",
               "--no-rdf", "--store", "none", code=1)
    skipped = [line for line in plain.stderr.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == 8 and "duplicate document id 'canada'" in plain.stderr
    assert [line for line in dask.stderr.splitlines() if line.startswith("skipped ")] == skipped
    assert "Traceback" not in dask.output
    assert (tmp_path / "dask" / "graph.json").read_bytes() == (tmp_path / "plain" / "graph.json").read_bytes()


def test_distributed_strict_stops_with_exit_2_and_writes_nothing(runner, cluster, tmp_path, monkeypatch):
    monkeypatch.chdir(corpus(tmp_path / "in"))
    result = run(runner, "build", "a", "--dask", cluster, "--strict", "--out", tmp_path / "out", "--store", "none",
                 code=2)
    assert "error: a/binary.txt: binary file" in result.stderr
    assert not (tmp_path / "out" / "graph.json").exists()


def test_distributed_jsonl_shards_are_the_single_files_in_parts(runner, cluster, seed_graph, tmp_path, monkeypatch):
    """With small output parts the workers write several shards a kind; in name order they are the lines of
    the single-process --format jsonl files. The store loads them."""
    from kg import distributed

    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(distributed, "DOCS_PER_PART", 2)
    run(runner, "build", "seeds", "--format", "jsonl", "--out", tmp_path / "plain", "--store", "none")
    result = run(runner, "build", "seeds", "--dask", cluster, "--format", "jsonl", "--out", tmp_path / "dask")
    index = json.loads((tmp_path / "dask" / INDEX).read_text())
    for kind in KINDS:
        shards = [s["file"] for s in index[kind]]
        assert len(shards) == 3 and shards == sorted(shards), shards
        joined = b"".join((tmp_path / "dask" / name).read_bytes() for name in shards)
        assert joined == (tmp_path / "plain" / f"{kind}.jsonl").read_bytes()
    assert not (tmp_path / "dask" / "graph.json").exists() and not (tmp_path / "dask" / "graph.html").exists()
    assert f"wrote {tmp_path / 'dask' / INDEX} and loaded" in result.stdout
    from kg.model import Graph

    assert Graph.load(str(tmp_path / "dask")).to_json() == seed_graph.to_json()
    table = run(runner, "query", "met_with", "--out", tmp_path / "dask").stdout
    assert "(3 rows)" in table


def test_distributed_reads_inputs_through_fsspec_urls(runner, cluster, tmp_path):
    """A folder given as a file:// URL is listed with fsspec and read by the workers: the same graph, the
    documents' source being the URL."""
    folder = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", folder)
    run(runner, "build", folder, "--out", tmp_path / "plain", "--no-viz", "--no-rdf", "--store", "none")
    run(runner, "build", "--dask", cluster, f"file://{folder}", "--out", tmp_path / "url", "--no-viz", "--no-rdf",
        "--store", "none")
    plain = json.loads((tmp_path / "plain" / "graph.json").read_text())
    url = json.loads((tmp_path / "url" / "graph.json").read_text())
    assert url["entities"] == plain["entities"] and url["relations"] == plain["relations"]
    assert [d["source"] for d in url["documents"]] == [f"file://{folder / (d['id'] + '.txt')}" for d in plain["documents"]]
    result = run(runner, "build", "--dask", cluster, f"file://{tmp_path}/nowhere", "--out", tmp_path / "none",
                 "--store", "none", code=1)
    assert f"skipped file://{tmp_path}/nowhere: no such file or directory" in result.stderr


def test_distributed_neo4j_csv_parts_written_by_workers(runner, cluster, tmp_path, monkeypatch):
    from kg import distributed
    from kg.loaders.neo4j_csv import NODE_FILES, RELATIONSHIP_FILES

    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(distributed, "DOCS_PER_PART", 2)
    build = tmp_path / "build"
    run(runner, "build", "seeds", "--dask", cluster, "--format", "jsonl", "--out", build, "--store", "none")
    run(runner, "export", "--format", "neo4j-csv", "--graph", build, "--out", tmp_path / "one")
    result = run(runner, "export", "--format", "neo4j-csv", "--graph", build, "--dask", cluster, "--out",
                 tmp_path / "parts")
    assert "wrote" in result.stdout
    script = (tmp_path / "parts" / "import.sh").read_text()
    for name, header in (NODE_FILES | RELATIONSHIP_FILES).items():
        stem = name.removesuffix(".csv")
        parts = sorted(p.name for p in (tmp_path / "parts").glob(f"{stem}-0*.csv"))
        assert len(parts) == 3
        assert f"{stem}-header.csv,{','.join(parts)}" in script
        with open(tmp_path / "parts" / f"{stem}-header.csv", encoding="utf-8", newline="") as fh:
            assert next(csv.reader(fh)) == header
        rows = []
        for part in parts:
            with open(tmp_path / "parts" / part, encoding="utf-8", newline="") as fh:
                rows += list(csv.reader(fh))
        with open(tmp_path / "one" / name, encoding="utf-8", newline="") as fh:
            single = list(csv.reader(fh))
        assert single[0] == header and sorted(rows) == sorted(single[1:]), name


def test_distributed_reads_feeds_and_pages_as_the_local_build_does(runner, cluster, server, tmp_path):
    """An http(s) input is read by a worker through kg.fetch (feed items, their pages, the cache): the same
    graph as without --dask; a second --dask build comes from the cache the workers filled."""
    feed = f"{server.base}/feed.xml"
    options = ["--store", "none", "--no-viz", "--no-rdf"]
    run(runner, "build", feed, "--out", tmp_path / "plain", "--cache", tmp_path / "c1", *options)
    requests = len(server.requests)
    run(runner, "build", "--dask", cluster, feed, "--out", tmp_path / "dask", "--cache", tmp_path / "c2", *options)
    assert len(server.requests) == 2 * requests
    assert (tmp_path / "dask" / "graph.json").read_bytes() == (tmp_path / "plain" / "graph.json").read_bytes()
    run(runner, "build", "--dask", cluster, feed, "--out", tmp_path / "again", "--cache", tmp_path / "c2", *options)
    assert len(server.requests) == 2 * requests


def test_distributed_a_worker_loads_the_model_once_for_every_build(runner, cluster, monkeypatch, tmp_path):
    """A cluster that lives on keeps each worker's pipeline: a second build does not load the model again."""
    from distributed import Client

    monkeypatch.chdir(ROOT)

    def loaded():
        from kg import distributed

        return sorted(id(a) for a in distributed._ANALYZERS.values())

    options = ["--no-viz", "--no-rdf", "--store", "none"]
    run(runner, "build", "--dask", cluster, "seeds", "--out", tmp_path / "one", *options)
    with Client(cluster) as client:
        first = client.run(loaded)
        run(runner, "build", "--dask", cluster, "seeds", "--out", tmp_path / "two", *options)
        assert client.run(loaded) == first and all(len(ids) == 1 for ids in first.values())


def test_distributed_a_port_that_never_answers_is_one_error_line(runner, monkeypatch, tmp_path):
    """A scheduler address where something accepts connections and says nothing: no hang, no traceback."""
    import socket
    import threading

    from kg import distributed

    monkeypatch.setattr(distributed, "CONNECT_SECONDS", 2)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(4)
    held = []
    threading.Thread(target=lambda: held.append(silent.accept()), daemon=True).start()
    address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
    try:
        result = run(runner, "build", "seeds", "--dask", address, "--out", tmp_path / "out", "--store", "none",
                     code=2)
    finally:
        silent.close()
    assert result.stderr == f"error: cannot reach the Dask scheduler at {address}: no answer within 2 s\n"


def test_distributed_a_page_given_twice_is_one_document(runner, cluster, server, tmp_path):
    page = f"{server.base}/news/aid.html"
    options = ["--store", "none", "--no-viz", "--no-rdf", "--cache", tmp_path / "cache"]
    plain = run(runner, "build", page, page, "--out", tmp_path / "plain", *options)
    dask = run(runner, "build", "--dask", cluster, page, page, "--out", tmp_path / "dask", *options)
    assert "documents: 1" in plain.stdout and "documents: 1" in dask.stdout
    assert (tmp_path / "dask" / "graph.json").read_bytes() == (tmp_path / "plain" / "graph.json").read_bytes()
