"""Every statement the loader sends and every query of the library, checked by Neo4j's own Cypher
parser and linter (@neo4j-cypher/language-support, installed by the test setup into
tests/cypher_lint, run by the Node.js 24 the setup installs into tests/node) against the
project's schema: labels, relationship types, property keys and the parameters each statement
is sent with. No diagnostic of any severity is allowed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from kg import queries
from kg.vocab import EntityType, RelationType
from kg.loaders import cypher

LINT_DIR = Path(__file__).parent / "cypher_lint"
# The linter needs Node.js >= 24.11.1: the test setup installs it from the npm registry (tests/node).
NODE = Path(__file__).parent / "node" / "node_modules" / ".bin" / "node"
SAMPLE = {"string": "x", "int": 1, "float": 0.5}


class RecordingRunner:
    """Wraps a real runner and keeps the first parameters each statement was sent with."""

    def __init__(self, inner):
        self.inner = inner
        self.target = inner.target
        self.seen: dict[str, dict] = {}

    def write(self, statement, params):
        self.seen.setdefault(statement, json.loads(json.dumps(params)))
        return self.inner.write(statement, params)

    def read(self, statement, params):
        self.seen.setdefault(statement, json.loads(json.dumps(params)))
        return self.inner.read(statement, params)

    def close(self):
        self.inner.close()


def lint(statements: list[tuple[str, str, dict]]) -> list[dict]:
    """Diagnostics for (name, text, parameters) triples, from one linter process."""
    if not NODE.exists():
        pytest.fail("Node.js 24 is not installed: run `npm ci --prefix tests/node` (the README's test command does)")
    if not (LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support").exists():
        pytest.fail("the Cypher linter is not installed: run `npm ci --prefix tests/cypher_lint`"
                    " (the README's test command does)")
    # Keys of the parameter rows (row.entity, row.props) are map keys the linter checks like properties.
    row_keys = {k for _, _, params in statements for v in params.values() if isinstance(v, list)
                for row in v if isinstance(row, dict) for k in row}
    schema = {"labels": list(cypher.LABELS), "relationshipTypes": list(cypher.RELATIONSHIP_TYPES),
              "propertyKeys": sorted(set(cypher.PROPERTY_KEYS) | row_keys)}
    items = [{"name": n, "text": t, "parameters": p} for n, t, p in statements]
    proc = subprocess.run([str(NODE), str(LINT_DIR / "lint.mjs")], input=json.dumps({"schema": schema, "statements": items}),
                          capture_output=True, text=True, timeout=300, check=True)
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def loader_statements(seed_graph, tmp_path_factory):
    """The statements a real load, re-load and forget of the seed build sent, with their parameters."""
    from kg.loaders.kglite_store import KgliteRunner

    runner = RecordingRunner(KgliteRunner(tmp_path_factory.mktemp("lint") / "graph.kgl"))
    store = cypher.CypherStore(runner, name="kglite")
    store.write(seed_graph)
    store.write(seed_graph)
    store.forget([seed_graph.documents[0].id])
    store.close()
    return runner.seen


def test_cypher_lint_every_loader_statement_is_sent_and_clean(loader_statements):
    seen = loader_statements
    assert set(seen) <= set(cypher.write_statements()), "the loader sent a statement write_statements() omits"
    # A label or type absent from the seed build is linted with the parameters of its template's twin.
    families = [[cypher.merge_entities_statement(t) for t in EntityType],
                [cypher.merge_relations_statement(t) for t in RelationType]]

    def params_for(text: str) -> dict:
        if text in seen:
            return seen[text]
        family = next(f for f in families if text in f)
        return seen[next(s for s in family if s in seen)]

    statements = []
    for i, text in enumerate(cypher.write_statements()):
        params = {k: v[:1] if isinstance(v, list) else v for k, v in params_for(text).items()}
        statements.append((f"loader[{i}] {text.strip().splitlines()[-1]}", text, params))
    problems = [(r["name"], d) for r in lint(statements) for d in r["diagnostics"]]
    assert problems == []


def test_cypher_lint_every_library_query_is_clean():
    statements = []
    for q in queries.library().values():
        params = {p.name: SAMPLE[p.type] for p in q.params}
        statements.append((q.name, q.text, params))
    results = lint(statements)
    problems = [(r["name"], d) for r in results for d in r["diagnostics"]]
    assert problems == []


def test_cypher_lint_catches_what_it_should():
    """The linter is really on: a misspelt label, an unknown property and a syntax error are reported."""
    results = lint([("bad", "MATCH (n:Entiti) RETURN n.nmae", {}), ("broken", "MATCH (n RETURN n", {})])
    messages = " ".join(d["message"] for r in results for d in r["diagnostics"])
    assert "Entiti" in messages and "nmae" in messages and "Invalid input" in messages


def test_cypher_lint_readback_statements_are_sent_and_clean(seed_graph, tmp_path):
    """What `kg viz --query` sends to read relations, entities and documents back from a store."""
    from kg.loaders.kglite_store import KgliteRunner
    from kg.loaders.readback import STATEMENTS, subgraph

    store = cypher.CypherStore(KgliteRunner(tmp_path / "graph.kgl"), name="kglite")
    store.write(seed_graph)
    runner = RecordingRunner(store.runner)
    store.runner = runner
    subgraph(store, [r.id for r in seed_graph.relations[:3]], [seed_graph.entities[0].id])
    store.close()
    assert set(runner.seen) == set(STATEMENTS)
    results = lint([(f"readback[{i}]", text, runner.seen[text]) for i, text in enumerate(STATEMENTS)])
    assert [(r["name"], d) for r in results for d in r["diagnostics"]] == []
