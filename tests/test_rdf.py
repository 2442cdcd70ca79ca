"""The RDF export: vocabulary, SHACL, golden file, round trips, and SPARQL answers that agree with Cypher."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from decimal import Decimal

from rdflib import OWL, RDF, XSD, Graph as RDFGraph, Literal, URIRef
from rdflib.namespace import SDO
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg import queries
from kg.vocab import RelationType
from kg.loaders import rdf

GOLDEN = Path(__file__).parent / "golden" / "seeds.ttl"


@pytest.fixture(scope="module")
def exported(seed_graph):
    return rdf.to_rdf(seed_graph)


def test_rdf_namespace_is_closed_and_matches_the_ontology():
    with pytest.raises(AttributeError):
        rdf.KG.offeredAidTO  # noqa: B018
    vocab = rdf.vocabulary()
    defined = {s for s in vocab.subjects() if isinstance(s, URIRef) and str(s).startswith(str(rdf.KG._NS))}
    declared = {rdf.KG[name] for name in rdf.KG.__annotations__}
    assert defined == declared
    for term in declared:
        assert vocab.value(term, URIRef("http://www.w3.org/2000/01/rdf-schema#label")) is not None, term
        assert vocab.value(term, URIRef("http://www.w3.org/2000/01/rdf-schema#comment")) is not None, term
    for t in RelationType:
        assert (rdf.property_of(t), RDF.type, OWL.ObjectProperty) in vocab


def test_rdf_seed_export_conforms_to_shacl(exported):
    conforms, text = rdf.validate(exported)
    assert conforms, text


@pytest.mark.parametrize("damage", ["negative_fact", "planned_fact", "evidence_without_offsets", "bad_polarity",
                                    "latitude_out_of_range"])
def test_rdf_shacl_reports_what_is_wrong(exported, damage):
    g = RDFGraph() + exported

    def fact(c):
        return g.value(c, RDF.subject), g.value(c, RDF.predicate), g.value(c, RDF.object)

    def unbacked(prop, value):
        """A claim with that value whose triple no positive asserted claim backs (so it is absent)."""
        return sorted(c for c in g.subjects(prop, Literal(value)) if fact(c) not in g)[0]

    claim_of = {"negative_fact": (rdf.KG.polarity, "negative"), "planned_fact": (rdf.KG.modality, "future")}
    if damage in claim_of:
        g.add(fact(unbacked(*claim_of[damage])))
    elif damage == "evidence_without_offsets":
        ev = next(g.subjects(RDF.type, rdf.KG.Evidence))
        g.remove((ev, rdf.NIF.beginIndex, None))
    elif damage == "latitude_out_of_range":
        geo = next(g.subjects(RDF.type, SDO.GeoCoordinates))
        g.set((geo, SDO.latitude, Literal(Decimal("123.5"), datatype=XSD.decimal)))
    else:
        c = next(g.subjects(RDF.type, rdf.KG.Claim))
        g.set((c, rdf.KG.polarity, Literal("maybe")))
    conforms, text = rdf.validate(g)
    assert not conforms
    assert "Constraint Violation" in text


def test_rdf_negative_and_planned_relations_are_never_bare_facts(seed_graph, exported):
    iri = rdf.Iris()
    for r in seed_graph.relations:
        direct = (iri.entity(r.subject), rdf.property_of(r.type), iri.entity(r.object)) in exported
        backed = any(o.subject == r.subject and o.type == r.type and o.object == r.object
                     and o.polarity.value == "positive" and o.modality.value == "asserted" for o in seed_graph.relations)
        assert direct == backed, r
    assert Counter(exported.objects(None, rdf.KG.polarity))[Literal("negative")] >= 1


def test_rdf_places_carry_coordinates_and_geonames_and_known_entities_wikidata(seed_graph, exported):
    iri = rdf.Iris()
    places = [e for e in seed_graph.entities if "latitude" in e.attributes]
    assert places
    for e in places:
        geo = exported.value(iri.entity(e.id), SDO.geo)
        assert float(exported.value(geo, SDO.latitude)) == e.attributes["latitude"]
        assert float(exported.value(geo, SDO.longitude)) == e.attributes["longitude"]
        assert URIRef(f"https://sws.geonames.org/{e.attributes['geonames_id']}/") in set(
            exported.objects(iri.entity(e.id), OWL.sameAs))
    nato = next(e for e in seed_graph.entities if e.name == "NATO")
    assert (iri.entity(nato.id), OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q7184")) in exported


def test_rdf_seed_export_matches_golden_file(exported, request):
    if request.config.getoption("--update-golden") or not GOLDEN.exists():
        GOLDEN.write_bytes(rdf.serialize(exported, "turtle"))
        if not request.config.getoption("--update-golden"):
            pytest.fail(f"{GOLDEN} was missing and has been written: check it in")
    golden = RDFGraph().parse(GOLDEN, format="turtle")
    if not isomorphic(golden, exported):
        _, only_golden, only_now = graph_diff(to_isomorphic(golden), to_isomorphic(exported))
        lines = [f"- {t[0].n3()} {t[1].n3()} {t[2].n3()}" for t in sorted(only_golden)][:40]
        lines += [f"+ {t[0].n3()} {t[1].n3()} {t[2].n3()}" for t in sorted(only_now)][:40]
        pytest.fail(f"the export differs from {GOLDEN.name} (- golden, + now); run pytest --update-golden "
                    "if the change is intended:\n" + "\n".join(lines))


@pytest.mark.parametrize("fmt", list(rdf.FORMATS))
def test_rdf_every_format_parses_back_isomorphic_and_is_stable(seed_graph, exported, fmt, tmp_path):
    path = tmp_path / f"graph.{rdf.FORMATS[fmt]}"
    report = rdf.RdfSink(path, fmt).write(seed_graph)
    assert report.counts["triples"] == len(exported)
    first = path.read_bytes()
    assert isomorphic(rdf.parse(path, fmt), exported)
    rdf.RdfSink(path, fmt).write(seed_graph)
    assert path.read_bytes() == first, "the same build must give the same bytes"


def test_rdf_base_iri_is_used_and_checked(seed_graph):
    g = rdf.to_rdf(seed_graph, base="https://news.example.org/kg")
    assert all(str(s).startswith("https://news.example.org/kg/") for s in g.subjects(rdf.SDO.identifier))
    with pytest.raises(Exception, match="absolute IRI"):
        rdf.Iris("not an iri")


def local(term: str) -> str:
    """kg:offeredAidTo → OFFERED_AID_TO; schema:Person → Person."""
    name = term.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return "".join("_" + c if c.isupper() else c.upper() for c in name).lstrip("_") if "#" in term else name


@pytest.mark.parametrize("name,params,columns", [
    ("met_with", {}, ["person", "met", "polarity", "modality", "evidence"]),
    ("offered_aid", {}, ["giver", "receiver", "polarity", "modality", "document", "start_offset", "end_offset",
                         "trigger", "sentence"]),
    ("negated", {}, ["subject", "relation", "object", "modality", "document", "start_offset", "end_offset",
                     "trigger", "sentence"]),
    ("entity", {"name": "Ivanov"}, ["id", "relation", "direction", "other", "polarity", "modality"]),
    ("entity", {"name": "nato"}, ["id", "relation", "direction", "other", "polarity", "modality"]),
])
def test_rdf_sparql_answers_as_the_cypher_query_does(exported, seed_store, name, params, columns):
    sq, cq = queries.sparql_library()[name], queries.library()[name]
    got = rdf.sparql(exported, sq.text, sq.bind(params))
    want = seed_store.query(cq.text, cq.bind(params))
    assert want, "the case must have an answer"

    def project(rows, convert):
        return sorted(tuple(convert(c, r[c]) for c in columns) for r in rows)

    as_cypher = lambda c, v: local(v) if c == "relation" else v  # noqa: E731
    assert project(got, as_cypher) == project(want, lambda c, v: v)
    if name == "met_with":
        docs = {(r["person"], r["met"]): sorted(r["documents"].split()) for r in got}
        assert docs == {(r["person"], r["met"]): r["documents"] for r in want}


def test_rdf_large_turtle_is_streamed_and_still_turtle(seed_graph, exported, tmp_path):
    path, nt = tmp_path / "graph.ttl", tmp_path / "graph.nt"
    rdf.RdfSink(path, "turtle", stream_above=10).write(seed_graph)
    rdf.RdfSink(nt, "nt").write(seed_graph)
    assert path.read_bytes() == nt.read_bytes(), "large Turtle is written as N-Triples lines"
    assert isomorphic(RDFGraph().parse(path, format="turtle"), exported)
