from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "gold" / "seeds.json"


@pytest.fixture(scope="session")
def nlp():
    from kg import nlp as nlp_mod

    return nlp_mod.load(nlp_mod.DEFAULT_MODEL)


@pytest.fixture(scope="session")
def analyzer():
    """The per-document stages with the real model, as `kg build` runs them."""
    from kg import nlp as nlp_mod
    from kg.pipeline import Analyzer

    return Analyzer(nlp_mod.DEFAULT_MODEL)


@pytest.fixture(scope="session")
def lexicon():
    from kg import nlp as nlp_mod

    return nlp_mod.lexicon(nlp_mod.DEFAULT_MODEL)


@pytest.fixture(scope="session")
def seed_build():
    """The graph of the five seed articles, built once with the real model, as `kg build seeds/` run
    from the repository root builds it (sources are then "seeds/…", wherever the clone lives)."""
    from kg.pipeline import build

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        graph, stats = build(["seeds"])
    finally:
        os.chdir(cwd)
    return graph, stats


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.stem: p.read_bytes().decode("utf-8") for p in sorted(SEEDS.glob("*.txt"))}


def make_doc(words, *, heads=None, deps=None, pos=None, tags=None, ents=None, spaces=None, sent_starts=None,
             lemmas=None):
    """A hand-built spaCy Doc: rules are tested without a model.

    ``heads`` are absolute token indices; ``ents`` are (start, end, label) token spans.
    """
    from spacy.tokens import Doc, Span

    vocab = _blank_vocab()
    n = len(words)
    doc = Doc(
        vocab,
        words=words,
        spaces=spaces,
        heads=heads if heads is not None else list(range(n)),
        deps=deps if deps is not None else (["ROOT"] * n if heads is None else ["dep"] * n),
        pos=pos if pos is not None else ["PROPN" if w[:1].isupper() else "NOUN" for w in words],
        tags=tags,
        lemmas=lemmas if lemmas is not None else [_LEMMAS.get(w.lower(), w.lower()) for w in words],
        sent_starts=sent_starts,
    )
    if ents:
        doc.ents = [Span(doc, s, e, label=label) for s, e, label in ents]
    return doc


_VOCAB = None
_LEMMAS = {"ruled": "rule", "sending": "send", "sent": "send", "plans": "plan", "troops": "troop", "would": "would"}


def _blank_vocab():
    global _VOCAB
    if _VOCAB is None:
        import spacy

        _VOCAB = spacy.blank("en").vocab
    return _VOCAB


def identity_clean(text: str):
    """A CleanText that maps 1:1 onto ``text`` (for mention tests on hand-built Docs)."""
    from kg.clean import CleanText

    return CleanText(doc_id="t", text=text, title=None, blocks=(), runs=((0, 0, len(text)),))


@pytest.fixture
def runner(monkeypatch):
    """The CLI as a user runs it, without a Neo4j of the caller's environment."""
    from click.testing import CliRunner

    for var in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(var, raising=False)
    return CliRunner()


@pytest.fixture(scope="session")
def seed_graph(seed_build):
    return seed_build[0]


@pytest.fixture(scope="session")
def seed_store(seed_graph, tmp_path_factory):
    """The embedded store loaded with the seed build, shared by the tests that only read it."""
    from kg.loaders.kglite_store import open_kglite

    store = open_kglite(tmp_path_factory.mktemp("seed-store"))
    store.write(seed_graph)
    yield store
    store.close()


@pytest.fixture(scope="session")
def falkor_server():
    from servers import FalkorServer

    server = FalkorServer()
    yield server
    server.stop()


@pytest.fixture(params=["kglite", "falkordb", "neo4j"])
def store(request, tmp_path):
    """An empty store of each kind; the same suite runs against every one."""
    from servers import neo4j_store, wipe

    if request.param == "kglite":
        from kg.loaders.kglite_store import open_kglite

        s = open_kglite(tmp_path)
    elif request.param == "falkordb":
        s = request.getfixturevalue("falkor_server").store()
    else:
        s = neo4j_store()
        if s is None:
            pytest.skip("NEO4J_URI is not set: start one with `docker compose up -d` to run the suite on Neo4j")
    wipe(s)
    yield s
    s.close()


@pytest.fixture
def store_graph(store, seed_graph):
    """The seed graph as the store under test can take it (see servers.py on FalkorDB and quotes)."""
    from servers import without_single_quotes

    return without_single_quotes(seed_graph) if store.name == "falkordb" else seed_graph


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite the golden files from the current output instead of comparing with them.")
