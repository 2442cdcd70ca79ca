"""The page's data and files, without a browser: payload, contract fields, co-mentions, escaping,
determinism, what is inlined and packaged, .grass, kg viz."""

from __future__ import annotations

import json
import re
from collections import deque

import pytest

from kg.cli import main
from kg.model import Entity, Evidence, Graph, Mention, Relation, relation_id
from synthetic import contract_graph
from kg.vocab import EntityType, Modality, Polarity, RelationType
from kg.loaders import viz
from kg.loaders.comention import comentions
from kg.loaders.json_file import JsonSink
from kg.loaders.kglite_store import open_kglite
from kg.loaders.style import NODE_STYLE, grass, relation_colour


def page_data(html: str) -> dict:
    """The JSON the page draws, read back out of the page as the browser reads it."""
    found = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert found, "no kg-data script in the page"
    return json.loads(found.group(1))


@pytest.mark.parametrize("sentence, trigger, marks, expected", [
    ("Russia will meet NATO.", "meet", [], [12, 16]),
    ("The meeting: they meet.", "meet", [], [18, 22]),           # whole words only
    ("Talks were HELD in Kabul.", "held", [], [11, 15]),         # any case
    ("Brussels, Belgium, and Paris, France", ",", [[23, 28, "s"], [30, 36, "o"]], [28, 29]),  # between the args
    ("Nobody said it.", "offered", [], None),
    ("x", "", [], None),
])
def test_viz_trigger_span(sentence, trigger, marks, expected):
    assert viz.trigger_span(sentence, trigger, marks) == expected


def test_viz_payload_matches_the_graph(seed_graph):
    data = viz.payload(seed_graph, title="t")
    ents, rels, docs = data["entities"], data["relations"], data["documents"]
    assert [e["id"] for e in ents] == sorted(e.id for e in seed_graph.entities)
    assert len(rels) == len(seed_graph.relations)
    assert {d["id"] for d in docs} == {d.id for d in seed_graph.documents}
    by_id = {r.id: r for r in seed_graph.relations}
    degree = {e.id: 0 for e in seed_graph.entities}
    for r in seed_graph.relations:
        degree[r.subject] += 1
        degree[r.object] += 1
    assert {e["id"]: e["degree"] for e in ents} == degree
    for r in rels:
        rel = by_id[r["id"]]
        assert (ents[r["s"]]["id"], r["type"], ents[r["t"]]["id"]) == (rel.subject, rel.type.value, rel.object)
        assert (r["polarity"], r["modality"]) == (rel.polarity.value, rel.modality.value)
        assert len(r["evidence"]) == len(rel.evidence)
        for ev in r["evidence"]:
            sentence = ev["sentence"]
            if ev["trigger"]:
                a, b = ev["trigger"]
                assert sentence[a:b].lower() == ev["trigger_text"].lower()
            for a, b, role in ev["marks"]:  # the marked spans are mentions of the subject or object
                entity = ents[r["s"] if role == "s" else r["t"]]
                names = {entity["name"].lower(), *(x.lower() for x in entity["aliases"])}
                assert sentence[a:b].lower() in names or sentence[a:b].lower() in {
                    m.text.lower() for m in seed_graph.entity(entity["id"]).mentions}
    # Every trigger is found in its sentence, punctuation triggers ("," of an apposition) included.
    found = sum(1 for r in rels for ev in r["evidence"] if ev["trigger"])
    assert found == sum(len(r["evidence"]) for r in rels)


def _hostile_graph() -> Graph:
    name = '</script><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
    sentence = f"{name} met {{{{APP}}}} & <!-- friends --> in Kabul\u2028today."
    a = Entity(id="person:hostile", type=EntityType.PERSON, name=name, aliases=(name, "{{DATA}}"),
               mentions=(Mention("doc1", 0, len(name), name),))
    b = Entity(id="place:kabul", type=EntityType.PLACE, name="Kabul", aliases=("Kabul",),
               mentions=(Mention("doc1", sentence.index("Kabul"), sentence.index("Kabul") + 5, "Kabul"),))
    rid = relation_id(a.id, RelationType.VISITED, b.id, Polarity.POSITIVE, Modality.ASSERTED)
    rel = Relation(id=rid, subject=a.id, type=RelationType.VISITED, object=b.id,
                   evidence=(Evidence("doc1", 0, len(sentence), sentence, "met"),))
    from kg.model import Document
    return Graph(documents=(Document("doc1", "", "x.txt", title="<b>bold</b>"),), entities=(a, b), relations=(rel,))


def test_viz_page_keeps_hostile_text_as_data(tmp_path):
    graph = _hostile_graph()
    report = viz.HtmlSink(tmp_path / "graph.html", title="<Title> & co").write(graph)
    html = (tmp_path / "graph.html").read_text(encoding="utf-8")
    template = viz._asset("page.html")
    # The page's own script elements (the template's, one per inlined library and script), nothing from the text.
    own = template.count("</script>") + len(viz.LIBRARIES) - 1 + len(viz.SCRIPTS) - 1
    assert html.count("</script>") == html.lower().count("</script") == own
    assert "<title>&lt;Title&gt; &amp; co</title>" in html
    data = page_data(html)
    names = {e["id"]: e["name"] for e in data["entities"]}
    assert names["person:hostile"] == graph.entities[0].name  # comes back verbatim
    assert data["relations"][0]["evidence"][0]["sentence"] == graph.relations[0].evidence[0].sentence
    assert report.counts["entities"] == 2 and report.counts["relations"] == 1


def test_viz_page_is_byte_identical_for_the_same_graph(tmp_path, seed_graph):
    viz.HtmlSink(tmp_path / "a.html").write(seed_graph)
    viz.HtmlSink(tmp_path / "b.html").write(Graph.from_dict(json.loads(seed_graph.to_json())))
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


@pytest.mark.parametrize("mapped", [False, True])
def test_viz_page_is_self_contained(seed_graph, mapped):
    if mapped:
        graph = contract_graph()
    else:  # the seed build's places carry coordinates: take them away for a graph with no map
        from dataclasses import replace

        graph = replace(seed_graph, entities=tuple(
            replace(e, attributes={k: v for k, v in e.attributes.items() if k not in ("latitude", "longitude")})
            for e in seed_graph.entities))
    html = viz.render(viz.payload(graph, title="t"))
    # The libraries inlined whole, each after a comment with its package, version and licence text.
    for package, name, licence in viz.LIBRARIES + viz.MAP_LIBRARIES:
        code = (viz.node_modules() / package / name).read_text(encoding="utf-8")
        notice = (viz.node_modules() / package / licence).read_text(encoding="utf-8").strip()
        version = json.loads((viz.node_modules() / package / "package.json").read_text(encoding="utf-8"))["version"]
        header = f"/*! {package} {version} "
        inlined = header in html and code in html and notice.replace("*/", "* /") in html
        # The map's library and outlines go in only when a place has coordinates.
        assert inlined == (mapped or (package, name, licence) in viz.LIBRARIES), package
    world = re.search(r'<script type="application/json" id="kg-world">(.*?)</script>', html, re.S).group(1)
    assert (json.loads(world) is not None) == mapped
    # No external resource of any kind: nothing to fetch at view time.
    assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)=', html, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", html)


def test_viz_packages_the_files_the_page_inlines():
    """The wheel carries the vendored copies of what the page inlines (tests/test_packaging.py builds one)."""
    import fnmatch
    import tomllib

    from conftest import ROOT

    listed = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]["kg.loaders"]
    needed = {f"page/vendor/{package}/{file}"
              for package, name, licence in viz.LIBRARIES + viz.MAP_LIBRARIES + (viz.WORLD,)
              for file in (name, licence, "package.json")}
    assert all(any(fnmatch.fnmatch(f, pattern) for pattern in listed) for f in needed), needed
    assert not [f for f in listed if "node_modules" in f]
    assert {f"page/{name}" for name in viz.SCRIPTS} <= {f"page/{p.name}" for p in (ROOT / "loaders" / "page").glob("*.js")}


def test_viz_missing_library_is_a_clear_error(tmp_path, monkeypatch, seed_graph):
    monkeypatch.setenv(viz.NODE_MODULES_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(viz.SetupError, match=f"{viz.NODE_MODULES_ENV} points to .*nowhere, which lacks it"):
        viz.HtmlSink(tmp_path / "graph.html").write(seed_graph)
    assert not (tmp_path / "graph.html").exists()


@pytest.mark.parametrize("value, expected", [
    ("1968", ["1968-01-01", "1968-12-31"]),
    ("2003-11", ["2003-11-01", "2003-11-30"]),
    ("2004-02", ["2004-02-01", "2004-02-29"]),      # a leap year
    ("2004-11-19", ["2004-11-19", "2004-11-19"]),
    (" 2005-01 ", ["2005-01-01", "2005-01-31"]),
    ("2004-13", None), ("2005-02-29", None), ("last Friday", None), ("", None), (None, None), (2004, None),
])
def test_viz_when_range(value, expected):
    assert viz.when_range(value) == expected


def test_viz_payload_reads_the_data_contract():
    """Coordinates, dates, predicates and attributes the page does not know, as graph.json has them."""
    graph = contract_graph()
    data = viz.payload(graph, title="t")
    ents = {e["id"]: e for e in data["entities"]}
    for e in graph.entities:
        lat, lon = e.attributes.get("latitude"), e.attributes.get("longitude")
        assert ents[e.id].get("geo") == ([lat, lon] if lat is not None else None), e.id
        assert ents[e.id]["attributes"] == {k: list(v) if isinstance(v, tuple) else v
                                            for k, v in sorted(e.attributes.items())}
        assert ents[e.id]["mentions"] == len(e.mentions)
    for r in data["relations"]:
        when = next(rel for rel in graph.relations if rel.id == r["id"]).attributes.get("when")
        assert r.get("when") == viz.when_range(when)
    related = [r for r in data["relations"] if r["type"] == "RELATED_TO"]
    assert related and all(isinstance(r["attributes"]["predicate"], str) for r in related)
    assert len(data["layout"]["x"]) == len(data["layout"]["y"]) == len(graph.entities)


@pytest.mark.parametrize("attrs", [
    {"latitude": 91.0, "longitude": 0.0}, {"latitude": "51.5", "longitude": "-0.1"}, {"latitude": 51.5},
    {"latitude": True, "longitude": 0.0}, {"latitude": float("nan"), "longitude": 0.0},
])
def test_viz_bad_coordinates_are_not_on_the_map(attrs):
    place = Entity(id="place:x", type=EntityType.PLACE, name="X", attributes=attrs)
    assert viz.geo(place) is None
    assert viz.geo(Entity(id="person:x", type=EntityType.PERSON, name="X",
                          attributes={"latitude": 1.0, "longitude": 2.0})) is None


def _brute_comentions(graph: Graph) -> dict[tuple[str, str], tuple[int, int]]:
    """Pairs of entity ids -> (articles, recorded sentences) naming both, counted the slow way."""
    out = {}
    sentences = {(ev.doc, ev.start, ev.end) for r in graph.relations for ev in r.evidence}
    ents = sorted(graph.entities, key=lambda e: e.id)
    for i, a in enumerate(ents):
        for b in ents[i + 1:]:
            docs = {m.doc for m in a.mentions} & {m.doc for m in b.mentions}
            inside = sum(1 for doc, start, end in sentences
                         if any(m.doc == doc and start <= m.start and m.end <= end for m in a.mentions)
                         and any(m.doc == doc and start <= m.start and m.end <= end for m in b.mentions))
            if docs or inside:
                out[(a.id, b.id)] = (len(docs), inside)
    return out


@pytest.mark.parametrize("which", ["contract", "seed"])
def test_viz_comentions_count_articles_and_sentences(which, seed_graph):
    graph = contract_graph() if which == "contract" else seed_graph
    data = viz.payload(graph, title="t")
    ids = [e["id"] for e in data["entities"]]
    expected = _brute_comentions(graph)  # every pair (far fewer than the limit here)
    got = {(ids[a], ids[b]): (articles, sentences) for a, b, articles, sentences, _ in data["comention"]}
    assert got == expected
    # Strongest first; each example sentence underlines both entities' mentions in it.
    keys = [(-s, -a) for _, _, a, s, _ in data["comention"]]
    assert keys == sorted(keys)
    for a, b, _, sentences, examples in data["comention"]:
        assert len(examples) == min(sentences, 3)
        for rel, ev, marks in examples:
            sentence = data["relations"][rel]["evidence"][ev]["sentence"]
            names = {"s": ents_forms(graph, ids[a]), "o": ents_forms(graph, ids[b])}
            assert {role for _, _, role in marks} == {"s", "o"}
            for start, end, role in marks:
                assert sentence[start:end] in names[role]


def ents_forms(graph: Graph, entity_id: str) -> set[str]:
    return {m.text for m in graph.entity(entity_id).mentions}


def test_viz_comentions_keep_the_strongest_when_limited():
    graph = contract_graph()
    ents = sorted(graph.entities, key=lambda e: e.id)
    rels = sorted(graph.relations, key=lambda r: r.id)
    everything = comentions(ents, rels)
    assert [(c.a, c.b) for c in comentions(ents, rels, limit=3)] == [(c.a, c.b) for c in everything[:3]]


def test_viz_relation_colours_cover_new_types():
    """Types the vocabulary gains get their family by name; any other is drawn as "other"."""
    from kg.loaders import style

    assert style.relation_colour("MEMBER_OF") == style.relation_colour("BASED_IN") == style.STRUCTURE
    assert style.relation_colour("SOMETHING_NEW") == style.relation_colour(RelationType.RELATED_TO) == style.OTHER
    assert set(style.page_style()["relations"]) == {t.value for t in RelationType}


def test_viz_grass_has_the_page_colours():
    text = grass()
    blocks = dict(re.findall(r"^(\S+) \{\n(.*?)^\}", text, re.S | re.M))
    for type_, (fill, border, _shape) in NODE_STYLE.items():
        assert f"color: {fill};" in blocks[f"node.{type_.value}"]
        assert f"border-color: {border};" in blocks[f"node.{type_.value}"]
        assert 'caption: "{name}";' in blocks[f"node.{type_.value}"]
    for type_ in RelationType:
        assert f"color: {relation_colour(type_)};" in blocks[f"relationship.{type_.value}"]
    # Neo4j Browser reads "selector { key: value; }" blocks; every line is one of those.
    assert all(re.fullmatch(r"(\S+ \{|  [a-z-]+: [^;]+;|\}|)", line) for line in text.splitlines())


def test_cli_viz_writes_page_and_grass(runner, tmp_path, seed_graph):
    JsonSink(tmp_path).write(seed_graph)
    result = runner.invoke(main, ["viz", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    data = page_data((tmp_path / "graph.html").read_text(encoding="utf-8"))
    assert len(data["entities"]) == len(seed_graph.entities)
    assert (tmp_path / "graph.grass").read_text(encoding="utf-8") == grass()
    missing = runner.invoke(main, ["viz", "--out", str(tmp_path / "nothing")])
    assert missing.exit_code == 2 and "graph.json" in missing.output


def _neighbourhood(graph: Graph, centre: str, depth: int) -> set[str]:
    """The relations on a path of at most ``depth`` hops from ``centre``, directions ignored."""
    adjacent: dict[str, list[Relation]] = {}
    for r in graph.relations:
        adjacent.setdefault(r.subject, []).append(r)
        adjacent.setdefault(r.object, []).append(r)
    dist, todo = {centre: 0}, deque([centre])
    while todo:
        v = todo.popleft()
        for r in adjacent.get(v, ()):
            w = r.object if r.subject == v else r.subject
            if w not in dist:
                dist[w] = dist[v] + 1
                todo.append(w)
    return {r.id for r in graph.relations
            if min(dist.get(r.subject, 99), dist.get(r.object, 99)) <= depth - 1}


@pytest.mark.parametrize("depth", [1, 2])
def test_cli_viz_query_draws_the_neighbourhood_from_the_store(runner, tmp_path, seed_graph, depth):
    with open_kglite(tmp_path) as store:
        store.write(seed_graph)
    centre = max(seed_graph.entities, key=lambda e: sum(r.subject == e.id or r.object == e.id
                                                        for r in seed_graph.relations))
    result = runner.invoke(main, ["viz", "--out", str(tmp_path), "--query", "neighbourhood",
                                  "-p", f"name={centre.name}", "-p", f"depth={depth}"])
    assert result.exit_code == 0, result.output
    data = page_data((tmp_path / "neighbourhood.html").read_text(encoding="utf-8"))
    expected = _neighbourhood(seed_graph, centre.id, depth)
    assert {r["id"] for r in data["relations"]} == expected
    by_id = {r.id: r for r in seed_graph.relations}
    for r in data["relations"]:  # evidence comes back from the store, whole
        assert [e["sentence"] for e in r["evidence"]] == [
            e.sentence for e in sorted(by_id[r["id"]].evidence, key=lambda e: (e.doc, e.start, e.end))]
    assert f"name={centre.name}" in data["subtitle"]


def test_cli_viz_query_that_is_not_an_edge_list_is_refused(runner, tmp_path, seed_graph):
    with open_kglite(tmp_path) as store:
        store.write(seed_graph)
    result = runner.invoke(main, ["viz", "--out", str(tmp_path), "--query", "met_with"])
    assert result.exit_code == 2
    assert "edge list" in result.output and "source, target, id" in result.output
    assert not (tmp_path / "met_with.html").exists()


def test_cli_build_writes_the_page_and_goes_on_without_the_library(runner, tmp_path, monkeypatch):
    article = tmp_path / "in" / "a.txt"
    article.parent.mkdir()
    article.write_text("Canada signed a trade pact with Mexico on Monday, officials in Ottawa said.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(article.parent), "--out", str(out), "--store", "none", "--no-rdf"])
    assert result.exit_code == 0, result.output
    assert "graph.html" in result.output
    graph = Graph.load(str(out / "graph.json"))
    assert len(page_data((out / "graph.html").read_text(encoding="utf-8"))["entities"]) == len(graph.entities)
    assert (out / "graph.grass").exists()

    monkeypatch.setenv(viz.NODE_MODULES_ENV, str(tmp_path / "missing"))
    out2 = tmp_path / "out2"
    result = runner.invoke(main, ["build", str(article.parent), "--out", str(out2), "--store", "none", "--no-rdf"])
    assert result.exit_code == 0, result.output
    assert "graph.html not written" in result.output and viz.NODE_MODULES_ENV in result.output
    assert (out2 / "graph.json").exists() and not (out2 / "graph.html").exists()
