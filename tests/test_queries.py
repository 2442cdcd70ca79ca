"""The query library, run on the embedded store loaded with the seed build, each answer checked
against the same answer computed independently from graph.json in plain Python."""

from __future__ import annotations

import json
from collections import defaultdict, deque

import pytest

from kg import queries
from kg.model import Graph


def matches(entity, name: str) -> bool:
    name_l = name.lower()
    return entity.id == name or entity.name.lower() == name_l or any(a.lower() == name_l for a in entity.aliases)


def evidence_rows(graph: Graph, keep, columns):
    names = {e.id: e.name for e in graph.entities}
    rows = []
    for r in graph.relations:
        if not keep(r):
            continue
        for ev in r.evidence:
            full = {
                "subject": names[r.subject], "relation": r.type.value, "object": names[r.object],
                "polarity": r.polarity.value, "modality": r.modality.value, "confidence": r.confidence,
                "document": ev.doc, "start_offset": ev.start, "end_offset": ev.end, "trigger": ev.trigger,
                "sentence": ev.sentence,
            }
            rows.append({c: full[c] for c in columns})
    return rows


def expected(name: str, graph: Graph, p: dict) -> tuple[list[dict], list[str]]:
    """Rows the query should return, and the columns its ORDER BY sorts on (for ties)."""
    names = {e.id: e.name for e in graph.entities}
    if name == "entity":
        rows = []
        for e in graph.entities:
            if not matches(e, p["name"]):
                continue
            base = {"id": e.id, "type": e.type.value, "name": e.name, "aliases": list(e.aliases),
                    "title": e.attributes.get("title"), "titles": e.attributes.get("titles"),
                    "documents": sorted({m.doc for m in e.mentions})}
            rels = [r for r in graph.relations if e.id in (r.subject, r.object)]
            for r in rels:
                rows.append(base | {
                    "relation": r.type.value, "direction": "out" if r.subject == e.id else "in",
                    "other": names[r.object] if r.subject == e.id else names[r.subject],
                    "polarity": r.polarity.value, "modality": r.modality.value,
                    "evidence": [f"{ev.doc}:{ev.start}:{ev.sentence}"
                                 for ev in sorted(r.evidence, key=lambda ev: (ev.doc, ev.start))]})
            if not rels:
                rows.append(base | dict.fromkeys(("relation", "direction", "other", "polarity", "modality"))
                            | {"evidence": []})
        return rows, ["id", "relation", "direction", "other", "polarity", "modality"]
    if name == "met_with":
        rows = [{"person": names[r.subject], "met": names[r.object], "polarity": r.polarity.value,
                 "modality": r.modality.value, "evidence": len(r.evidence),
                 "documents": sorted({ev.doc for ev in r.evidence})}
                for r in graph.relations if r.type.value == "MET_WITH"
                and (p["name"] is None or any(matches(graph.entity(x), p["name"]) for x in (r.subject, r.object)))]
        return rows, ["person", "met", "polarity", "modality"]
    if name == "offered_aid":
        rows = evidence_rows(graph, lambda r: r.type.value == "OFFERED_AID_TO",
                             ["subject", "object", "polarity", "modality", "document", "start_offset", "end_offset",
                              "trigger", "sentence"])
        rows = [{"giver": r.pop("subject"), "receiver": r.pop("object"), **r} for r in rows]
        return rows, ["giver", "receiver", "polarity", "modality", "document", "start_offset"]
    if name == "relations_of_type":
        cols = ["subject", "relation", "object", "polarity", "modality", "confidence", "document", "start_offset",
                "end_offset", "trigger", "sentence"]
        return (evidence_rows(graph, lambda r: r.type.value == p["type"], cols),
                ["subject", "object", "polarity", "modality", "document", "start_offset"])
    if name == "negated":
        cols = ["subject", "relation", "object", "modality", "document", "start_offset", "end_offset", "trigger",
                "sentence"]
        return (evidence_rows(graph, lambda r: r.polarity.value == "negative", cols),
                ["subject", "relation", "object", "modality", "document", "start_offset"])
    if name == "planned":
        cols = ["subject", "relation", "object", "modality", "polarity", "document", "start_offset", "trigger",
                "sentence"]
        return (evidence_rows(graph, lambda r: r.modality.value in ("future", "possible"), cols),
                ["subject", "relation", "object", "modality", "polarity", "document", "start_offset"])
    if name == "between":
        def overlaps(when: str) -> bool:
            n = len(when)
            return when[: len(p["from"])] >= p["from"][:n] and when[: len(p["to"])] <= p["to"][:n]

        names_ = {e.id: e.name for e in graph.entities}
        rows = [{"time": r.attributes["when"], "subject": names_[r.subject], "relation": r.type.value,
                 "object": names_[r.object], "polarity": r.polarity.value, "modality": r.modality.value,
                 "document": ev.doc, "start_offset": ev.start, "sentence": ev.sentence}
                for r in graph.relations if r.attributes.get("when") and overlaps(r.attributes["when"])
                for ev in r.evidence]
        return rows, ["time", "subject", "relation", "object", "document", "start_offset"]
    if name == "reported_by":
        rows = []
        for speaker in graph.entities:
            if matches(speaker, p["speaker"]):
                rows += [{"speaker": speaker.name, **row} for row in evidence_rows(
                    graph, lambda r: r.reported_by == speaker.id,
                    ["subject", "relation", "object", "polarity", "modality", "document", "sentence"])]
        return rows, ["speaker", "subject", "relation", "object", "polarity", "modality", "document"]
    if name == "most_connected":
        degree = defaultdict(int)
        for r in graph.relations:
            degree[r.subject] += 1
            degree[r.object] += 1
        rows = [{"name": e.name, "type": e.type.value, "relations": degree[e.id],
                 "documents": len({m.doc for m in e.mentions})} for e in graph.entities]
        rows.sort(key=lambda r: (-r["relations"], -r["documents"], r["name"]))
        return rows[: p["limit"]], ["-relations", "-documents", "name"]
    if name == "co_mentioned":
        docs_of = {e.id: {m.doc for m in e.mentions} for e in graph.entities}
        rows = []
        for e in graph.entities:
            for b in graph.entities:
                ok = (e.id < b.id) if p["name"] is None else (matches(e, p["name"]) and e.id != b.id)
                shared = sorted(docs_of[e.id] & docs_of[b.id])
                if ok and shared:
                    rows.append({"entity": e.name, "partner": b.name, "shared": len(shared), "documents": shared})
        rows.sort(key=lambda r: (-r["shared"], r["entity"], r["partner"]))
        return rows[: p["limit"]], ["-shared", "entity", "partner"]
    if name == "documents_mentioning":
        rows = []
        for e in graph.entities:
            if matches(e, p["name"]):
                by_doc = defaultdict(list)
                for m in e.mentions:
                    by_doc[m.doc].append(m.start)
                doc = {d.id: d for d in graph.documents}
                rows += [{"entity": e.name, "document": d, "title": doc[d].title, "source": doc[d].source,
                          "mentions": len(starts), "starts": sorted(starts)} for d, starts in by_doc.items()]
        return rows, ["entity", "-mentions", "document"]
    if name == "documents":
        rows = [{"document": d.id, "title": d.title, "source": d.source, "published": d.published,
                 "entities": sum(1 for e in graph.entities if any(m.doc == d.id for m in e.mentions)),
                 "evidence": sum(1 for r in graph.relations for ev in r.evidence if ev.doc == d.id)}
                for d in graph.documents]
        return rows, ["document"]
    if name == "document_claims":
        cols = ["start_offset", "end_offset", "subject", "relation", "object", "polarity", "modality", "trigger",
                "sentence"]
        rows = [r for r in evidence_rows(graph, lambda r: True, cols + ["document"]) if r.pop("document") == p["document"]]
        return rows, ["start_offset", "end_offset", "subject", "relation", "object"]
    if name == "neighbourhood":
        adjacency = defaultdict(set)
        for r in graph.relations:
            adjacency[r.subject].add(r.object)
            adjacency[r.object].add(r.subject)
        rows = []
        for e in graph.entities:
            if not matches(e, p["name"]):
                continue
            dist = distances(adjacency, e.id)
            for r in graph.relations:
                near = min(dist.get(r.subject, 99), dist.get(r.object, 99))
                if near <= p["depth"] - 1:
                    rows.append({"source": r.subject, "source_name": names[r.subject], "type": r.type.value,
                                 "target": r.object, "target_name": names[r.object], "polarity": r.polarity.value,
                                 "modality": r.modality.value, "id": r.id})
        unique = {json.dumps(r, sort_keys=True): r for r in rows}
        return list(unique.values()), ["source", "type", "target", "id"]
    raise AssertionError(f"no independent answer written for query {name}")


def distances(adjacency, start):
    dist = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in adjacency[node]:
            if nxt not in dist:
                dist[nxt] = dist[node] + 1
                queue.append(nxt)
    return dist


def canonical(rows):
    """Rows as sorted JSON texts, floats rounded (the stores keep doubles)."""
    def rounded(row):
        return {k: round(v, 6) if isinstance(v, float) else v for k, v in row.items()}
    return sorted(json.dumps(rounded(r), sort_keys=True) for r in rows)


def sort_key(row, keys):
    out = []
    for k in keys:
        if k.startswith("-"):
            out.append(-row[k[1:]])
        else:
            v = row[k]
            out.append((v is None, v if v is not None else ""))
    return out


CASES = [
    ("entity", {"name": "Ivanov"}),
    ("entity", {"name": "nato"}),
    ("entity", {"name": "Kabul"}),
    ("met_with", {}),
    ("met_with", {"name": "vladimir putin"}),
    ("offered_aid", {}),
    ("relations_of_type", {"type": "WITHDREW_FROM"}),
    ("relations_of_type", {"type": "HOLDS_POSITION"}),
    ("negated", {}),
    ("planned", {}),
    ("between", {"from": "2000", "to": "2010"}),
    ("between", {"from": "2008-08-01", "to": "2008-08-31"}),
    ("reported_by", {"speaker": "Sergei Ivanov"}),
    ("most_connected", {"limit": 1000}),
    ("co_mentioned", {"limit": 100000}),
    ("co_mentioned", {"name": "Rasmussen", "limit": 1000}),
    ("documents_mentioning", {"name": "Russia"}),
    ("documents", {}),
    ("document_claims", {"document": "000_0758136f7a40e787"}),
    ("neighbourhood", {"name": "Rasmussen", "depth": 1}),
    ("neighbourhood", {"name": "Rasmussen", "depth": 2}),
    ("neighbourhood", {"name": "Russia", "depth": 3}),
]


@pytest.mark.parametrize("name,params", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_queries_answer_as_graph_json_does(seed_store, seed_graph, name, params):
    q = queries.library()[name]
    bound = q.bind(params)
    got = seed_store.query(q.text, bound)
    want, order = expected(name, seed_graph, bound)
    assert want, f"the case for {name} must have an answer on the seed build"
    assert canonical(got) == canonical(want)
    assert list(got[0]) == list(want[0]), "columns in the documented order"
    keys = [sort_key(r, order) for r in got]
    assert keys == sorted(keys), f"{name} rows are not in the documented order {order}"


def test_queries_shortest_path_is_a_shortest_chain_of_stated_relations(seed_store, seed_graph):
    q = queries.library()["shortest_path"]
    adjacency = defaultdict(set)
    edges = defaultdict(set)
    for r in seed_graph.relations:
        adjacency[r.subject].add(r.object)
        adjacency[r.object].add(r.subject)
        edges[frozenset((r.subject, r.object))].add(r.type.value)
    by_name = {e.name: e.id for e in seed_graph.entities}
    checked = 0
    for a, b in [("Rasmussen", "Kabul"), ("Dmitry Medvedev", "NATO"), ("Sergei Ivanov", "Georgia"),
                 ("Russia", "NATO")]:
        rows = seed_store.query(q.text, q.bind({"from": a, "to": b}))
        assert len(rows) == 1, (a, b, rows)
        row = rows[0]
        dist = distances(adjacency, by_name[row["from"]])
        assert row["hops"] == dist[by_name[row["to"]]]
        ids = [by_name[n] for n in row["path"]]
        for (x, y), t in zip(zip(ids, ids[1:]), row["relations"]):
            assert t in edges[frozenset((x, y))]
        checked += 1
    assert checked == 4


def test_queries_library_is_documented_and_declares_its_parameters():
    lib = queries.library()
    assert len(lib) >= 12
    for q in lib.values():
        assert len(q.description) > 20, q.name
        for p in q.params:
            assert p.help, f"{q.name}: parameter {p.name} has no description"


def test_queries_bind_rejects_unknown_and_missing_parameters():
    q = queries.library()["entity"]
    with pytest.raises(queries.QueryError, match="needs --param name"):
        q.bind({})
    with pytest.raises(queries.QueryError, match="takes no parameter nme"):
        q.bind({"nme": "x"})
    assert queries.library()["most_connected"].bind({"limit": "3"}) == {"limit": 3}
    with pytest.raises(queries.QueryError, match="wants int"):
        queries.library()["most_connected"].bind({"limit": "three"})


def test_queries_user_file_declares_parameters_like_the_library(tmp_path):
    path = tmp_path / "mine.cypher"
    path.write_text("// Places only.\n// param n: int = 2  How many.\nMATCH (p:Place) RETURN p.name AS name LIMIT $n\n")
    q = queries.find(str(path))
    assert (q.name, q.bind({})) == ("mine", {"n": 2})
    path.write_text("MATCH (p:Place) WHERE p.name = $who RETURN p\n")
    with pytest.raises(queries.QueryError, match="undeclared parameters who"):
        queries.find(str(path))


def test_queries_between_leaves_out_what_falls_outside_the_period(seed_store, seed_graph):
    q = queries.library()["between"]
    dated = sorted({r.attributes["when"] for r in seed_graph.relations if r.attributes.get("when")})
    assert dated, "the seed build dates some relations"
    last = dated[-1]
    after = str(int(last[:4]) + 1)
    assert seed_store.query(q.text, q.bind({"from": after, "to": after + "-12-31"})) == []
    inside = seed_store.query(q.text, q.bind({"from": last[:4], "to": last[:4]}))
    assert {row["time"] for row in inside} == {w for w in dated if w.startswith(last[:4])}
