"""The embedded store's two load paths give one store: kglite's bulk loaders (a first load, a re-load of the
same documents) and the Cypher every store runs (a store that holds other documents, or anything a load
does not write). Each test compares everything the store holds, node by node and relationship by
relationship, with what the Cypher path makes of the same loads."""

from __future__ import annotations

import dataclasses

import pytest

from kg.model import Document, Entity, Evidence, Graph, Mention, Relation, relation_id
from kg.vocab import EntityType, Modality, Polarity, RelationType
from kg.loaders.cypher import CypherStore
from kg.loaders.kglite_store import KgliteRunner, KgliteStore
from synthetic import contract_graph
from test_store import restrict, snapshot


def odd_graph() -> Graph:
    """Fields the seed build lacks: a document without title with url and date, a former post, a speaker,
    a negative and a positive relation of one type between the same two entities, a place with coordinates
    and a GeoNames id, an entity with several titles."""
    text = "X met Y. X did not meet Y. Z was the former chief of Q, said X."
    doc = Document(id="odd", text="", source="odd.txt", title=None, url="https://example.org/odd", published="2004-05-06")
    ents = (
        Entity("person:x", EntityType.PERSON, "X", ("X",), {"titles": ["chief", "minister"], "title": "minister",
                                                               "honorific": "Mr"}, (Mention("odd", 0, 1, "X"),)),
        Entity("person:y", EntityType.PERSON, "Y", ("Y",), {}, (Mention("odd", 6, 7, "Y"),)),
        Entity("person:z", EntityType.PERSON, "Z", ("Z",), {}, (Mention("odd", 27, 28, "Z"),)),
        Entity("place:q", EntityType.PLACE, "Q", ("Q",), {"geonames_id": 123, "latitude": 1.5, "longitude": -2.25,
                                                          "iso_3166": "QQ"}, (Mention("odd", 52, 53, "Q"),)),
    )
    met = Evidence("odd", 0, 8, text[0:8], "met")
    not_met = Evidence("odd", 9, 26, text[9:26], "meet")
    former = Evidence("odd", 27, 63, text[27:63], "chief")
    rels = []
    for pol, ev in ((Polarity.POSITIVE, met), (Polarity.NEGATIVE, not_met)):
        rid = relation_id("person:x", RelationType.MET_WITH, "person:y", pol, Modality.ASSERTED)
        rels.append(Relation(rid, "person:x", RelationType.MET_WITH, "person:y", pol, Modality.ASSERTED, 0.85,
                             {"cameo": "04", "when": "2004"}, (ev,)))
    rid = relation_id("person:z", RelationType.HOLDS_POSITION, "place:q", Polarity.POSITIVE, Modality.ASSERTED)
    rels.append(Relation(rid, "person:z", RelationType.HOLDS_POSITION, "place:q", confidence=0.9,
                         attributes={"title": "chief", "former": True}, evidence=(former,), reported_by="person:x"))
    return Graph((doc,), ents, tuple(sorted(rels, key=lambda r: r.id)))


def stores(tmp_path):
    bulk = KgliteStore(KgliteRunner(tmp_path / "bulk" / "graph.kgl"), name="kglite")
    cypher = CypherStore(KgliteRunner(tmp_path / "cypher" / "graph.kgl"), name="kglite")
    return bulk, cypher


@pytest.fixture(params=["seeds", "contract", "odd"])
def graph(request, seed_graph):
    return {"seeds": lambda: seed_graph, "contract": contract_graph, "odd": odd_graph}[request.param]()


def test_load_bulk_first_load_and_reload_hold_what_cypher_loads(tmp_path, graph):
    bulk, cypher = stores(tmp_path)
    for _ in range(2):
        assert bulk.write(graph).counts == cypher.write(graph).counts
        assert bulk.last_path == "bulk"
        assert snapshot(bulk) == snapshot(cypher)


def test_load_bulk_store_survives_its_file_and_takes_cypher_loads_after(tmp_path, seed_graph):
    """A bulk-loaded store, written and read back, then merged with another build by Cypher, then one of the
    first build's documents changed: the same as Cypher all along. Aliases accumulate on both."""
    docs = [d.id for d in seed_graph.documents]
    first, second = restrict(seed_graph, docs=docs[:3]), restrict(seed_graph, docs=docs[2:])
    bulk, cypher = stores(tmp_path)
    renamed = Graph(first.documents, tuple(dataclasses.replace(e, aliases=(*e.aliases, f"{e.name} (alias)"))
                                           for e in first.entities), first.relations)
    for g in (renamed, first):
        bulk.write(g), cypher.write(g)
        assert bulk.last_path == "bulk"
    bulk.close(), cypher.close()
    bulk, cypher = stores(tmp_path)
    assert snapshot(bulk) == snapshot(cypher)
    assert any(a.endswith("(alias)") for row in bulk.query("MATCH (e:Entity) RETURN e.aliases AS a") for a in row["a"])
    bulk.write(second), cypher.write(second)  # other documents in the store: the Cypher path
    assert bulk.last_path == "cypher"
    assert snapshot(bulk) == snapshot(cypher)
    shrunk = restrict(seed_graph, docs=docs[:1], keep_evidence=lambda ev: ev.start > 500)
    bulk.write(shrunk), cypher.write(shrunk)
    assert snapshot(bulk) == snapshot(cypher)


def test_load_bulk_is_not_taken_when_the_store_holds_more_than_the_build(tmp_path, seed_graph):
    """A property a user set with kg query --write stays: the store is loaded by Cypher, not rebuilt."""
    bulk, _ = stores(tmp_path)
    bulk.write(seed_graph)
    bulk.runner.write("MATCH (e:Entity {id: 'place:russia'}) SET e.note = $note", {"note": "mine"})
    bulk.write(seed_graph)
    assert bulk.last_path == "cypher"
    assert bulk.query("MATCH (e:Entity {id: 'place:russia'}) RETURN e.note AS note") == [{"note": "mine"}]
