"""RDF export with rdflib: schema.org entities, the project's closed vocabulary, claims with provenance.

What is written for a ``Graph`` (``base`` is the IRI prefix of the data, ``--base-iri``):

- an entity: ``<base>entity/person/sergei-ivanov a schema:Person``, ``schema:name``, ``schema:identifier``
  (the graph.json id), ``skos:altLabel`` for each alias, ``kg:title``, ``kg:mentionedIn`` each document;
- a document: ``<base>document/<id> a schema:NewsArticle`` with ``schema:identifier``,
  ``schema:headline``, ``kg:source``, ``schema:url`` and ``schema:datePublished`` when known;
- a relation: a ``kg:Claim`` (an ``rdf:Statement``) with ``rdf:subject``, ``rdf:predicate`` (a ``kg``
  property such as ``kg:offeredAidTo``), ``rdf:object``, ``kg:polarity``, ``kg:modality``,
  ``kg:confidence``, ``kg:cameo``, ``kg:title``, ``kg:predicate``, ``kg:reportedBy``, ``kg:evidence`` and
  ``prov:wasDerivedFrom`` each document; and, only when it is positive and asserted, the direct triple
  ``<subject> kg:offeredAidTo <object>``. A denial or a plan is never a bare fact;
- each evidence sentence: a ``kg:Evidence`` with ``nif:anchorOf`` (the sentence), ``nif:beginIndex`` and
  ``nif:endIndex`` (character offsets into the document as read), ``kg:trigger``, and
  ``prov:wasDerivedFrom`` its document;
- a place a gazetteer knows: ``schema:geo`` (a ``schema:GeoCoordinates`` at ``<entity IRI>/geo``) and
  ``owl:sameAs`` its GeoNames IRI; ``kg:iso3166`` for countries and subdivisions; an entity the entity
  file knows: ``owl:sameAs`` its Wikidata IRI; a person: ``kg:honorific``.

No blank nodes: every IRI derives from a graph.json id, so the output is the same for the same build.
The vocabulary is ``loaders/data/kg-vocab.ttl``; the SHACL shapes ``loaders/data/kg-shapes.ttl``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from rdflib import RDF, XSD, Dataset, Graph as RDFGraph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV, SDO, SKOS, DefinedNamespace

from kg.errors import KGError, StoreError
from kg.model import Graph, evidence_id
from kg.vocab import EntityType, RelationType
from kg.loaders.base import RDF_FORMATS, WriteReport, write_atomic

DEFAULT_BASE = "http://example.org/kg/"
FORMATS = RDF_FORMATS
Triple = tuple[URIRef, URIRef, URIRef | Literal]


class KG(DefinedNamespace):
    """The project's vocabulary (``loaders/data/kg-vocab.ttl``). Closed: a misspelt term is an error."""

    _NS = Namespace("urn:kg-news:vocab#")
    _fail = True

    Entity: URIRef
    Claim: URIRef
    Evidence: URIRef
    metWith: URIRef
    visited: URIRef
    offeredAidTo: URIRef
    requestedAidFrom: URIRef
    supported: URIRef
    cooperatedWith: URIRef
    agreedWith: URIRef
    criticized: URIRef
    threatened: URIRef
    fought: URIRef
    deployedTo: URIRef
    withdrewFrom: URIRef
    joined: URIRef
    holdsPosition: URIRef
    locatedIn: URIRef
    borders: URIRef
    memberOf: URIRef
    basedIn: URIRef
    relatedTo: URIRef
    polarity: URIRef
    modality: URIRef
    confidence: URIRef
    cameo: URIRef
    predicate: URIRef
    reportedBy: URIRef
    evidence: URIRef
    trigger: URIRef
    title: URIRef
    mentionedIn: URIRef
    source: URIRef
    honorific: URIRef
    iso3166: URIRef
    former: URIRef
    when: URIRef
    whenText: URIRef


class NIF(DefinedNamespace):
    """The NLP Interchange Format terms used for evidence offsets."""

    _NS = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
    _fail = True

    beginIndex: URIRef
    endIndex: URIRef
    anchorOf: URIRef


PREFIXES = {"kg": KG._NS, "schema": SDO._NS, "skos": SKOS._NS, "prov": PROV._NS, "nif": NIF._NS, "owl": OWL._NS}
GEONAMES = "https://sws.geonames.org/{}/"
WIKIDATA = "http://www.wikidata.org/entity/{}"
_WIKIDATA_ID = re.compile(r"Q[1-9][0-9]*")

ENTITY_CLASS = {EntityType.PERSON: SDO.Person, EntityType.ORGANIZATION: SDO.Organization,
                EntityType.PLACE: SDO.Place}


def property_of(type_: RelationType) -> URIRef:
    """``OFFERED_AID_TO`` → ``kg:offeredAidTo``, through the closed namespace."""
    head, *rest = type_.value.lower().split("_")
    return getattr(KG, head + "".join(w.capitalize() for w in rest))


class Iris:
    """The IRIs of one export, under ``base``."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        if not base or ":" not in base:
            raise KGError(f"--base-iri must be an absolute IRI, got {base!r}")
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def _iri(self, kind: str, local: str) -> URIRef:
        return URIRef(f"{self.base}{kind}/{quote(local, safe='-._~/')}")

    def entity(self, entity_id: str) -> URIRef:
        return self._iri("entity", entity_id.replace(":", "/", 1))

    def document(self, doc_id: str) -> URIRef:
        return self._iri("document", doc_id)

    def claim(self, relation_id: str) -> URIRef:
        return self._iri("claim", relation_id.split(":", 1)[-1])

    def evidence(self, ev_id: str) -> URIRef:
        return self._iri("evidence", ev_id)


def _when_literal(when: str) -> Literal:
    """ "2004" -> xsd:gYear, "2004-11" -> xsd:gYearMonth, "2004-11-19" -> xsd:date."""
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}.get(len(when))
    return Literal(when, datatype=datatype) if datatype else Literal(when)


def _identifiers(node: URIRef, attrs: dict) -> Iterator[Triple]:
    """A place's coordinates (``schema:geo``) and the entity's GeoNames and Wikidata IRIs (``owl:sameAs``)."""
    for key, term in (("honorific", KG.honorific), ("iso_3166", KG.iso3166)):
        if attrs.get(key):
            yield node, term, Literal(str(attrs[key]))
    if attrs.get("latitude") is not None and attrs.get("longitude") is not None:
        geo = URIRef(f"{node}/geo")
        yield node, SDO.geo, geo
        yield geo, RDF.type, SDO.GeoCoordinates
        for key, term in (("latitude", SDO.latitude), ("longitude", SDO.longitude)):
            yield geo, term, Literal(Decimal(str(attrs[key])), datatype=XSD.decimal)
    if isinstance(attrs.get("geonames_id"), int):
        yield node, OWL.sameAs, URIRef(GEONAMES.format(attrs["geonames_id"]))
    if isinstance(attrs.get("wikidata"), str) and _WIKIDATA_ID.fullmatch(attrs["wikidata"]):
        yield node, OWL.sameAs, URIRef(WIKIDATA.format(attrs["wikidata"]))


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# What an IRI may not hold (RFC 3987, and what Turtle and N-Triples refuse in <…>).
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')


def url_term(url: str) -> URIRef | Literal:
    """A document's ``url`` as RDF: an IRI when it has a scheme (characters an IRI may not hold, such as a
    space or a quote, percent-encoded as a browser does), else the text as a string literal.

    >>> url_term('http://example.com/a b"c')
    rdflib.term.URIRef('http://example.com/a%20b%22c')
    """
    if not _SCHEME.match(url):
        return Literal(url)
    return URIRef(_NOT_IN_IRI.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url))


def triples(graph: Graph, base: str = DEFAULT_BASE) -> Iterator[Triple]:
    """Every triple of the export, entity by entity, document by document, relation by relation."""
    iri = Iris(base)
    for d in graph.documents:
        node = iri.document(d.id)
        yield node, RDF.type, SDO.NewsArticle
        yield node, SDO.identifier, Literal(d.id)
        yield node, KG.source, Literal(d.source)
        if d.title:
            yield node, SDO.headline, Literal(d.title)
        if d.url:
            yield node, SDO.url, url_term(d.url)
        if d.published:
            yield node, SDO.datePublished, Literal(d.published)
    for e in graph.entities:
        node = iri.entity(e.id)
        yield node, RDF.type, ENTITY_CLASS[e.type]
        yield node, SDO.identifier, Literal(e.id)
        yield node, SDO.name, Literal(e.name)
        for alias in e.aliases:
            if alias != e.name:
                yield node, SKOS.altLabel, Literal(alias)
        titles = e.attributes.get("titles") or ([e.attributes["title"]] if e.attributes.get("title") else [])
        for title in titles:
            yield node, KG.title, Literal(title)
        for doc in sorted({m.doc for m in e.mentions}):
            yield node, KG.mentionedIn, iri.document(doc)
        yield from _identifiers(node, e.attributes)
    for r in graph.relations:
        subject, prop, obj = iri.entity(r.subject), property_of(r.type), iri.entity(r.object)
        claim = iri.claim(r.id)
        if r.polarity.value == "positive" and r.modality.value == "asserted":
            yield subject, prop, obj
        yield claim, RDF.type, KG.Claim
        yield claim, RDF.subject, subject
        yield claim, RDF.predicate, prop
        yield claim, RDF.object, obj
        yield claim, KG.polarity, Literal(r.polarity.value)
        yield claim, KG.modality, Literal(r.modality.value)
        yield claim, KG.confidence, Literal(Decimal(str(r.confidence)), datatype=XSD.decimal)
        for key, term in (("cameo", KG.cameo), ("title", KG.title), ("predicate", KG.predicate)):
            if r.attributes.get(key):
                yield claim, term, Literal(r.attributes[key])
        if r.attributes.get("former") is True:
            yield claim, KG.former, Literal(True)
        if r.attributes.get("when"):
            yield claim, KG.when, _when_literal(str(r.attributes["when"]))
        if r.attributes.get("when_text"):
            yield claim, KG.whenText, Literal(str(r.attributes["when_text"]))
        if r.reported_by:
            yield claim, KG.reportedBy, iri.entity(r.reported_by)
        for doc in sorted({ev.doc for ev in r.evidence}):
            yield claim, PROV.wasDerivedFrom, iri.document(doc)
        for ev in r.evidence:
            node = iri.evidence(evidence_id(r.id, ev.doc, ev.start, ev.end))
            yield claim, KG.evidence, node
            yield node, RDF.type, KG.Evidence
            yield node, NIF.anchorOf, Literal(ev.sentence)
            yield node, NIF.beginIndex, Literal(ev.start, datatype=XSD.nonNegativeInteger)
            yield node, NIF.endIndex, Literal(ev.end, datatype=XSD.nonNegativeInteger)
            yield node, KG.trigger, Literal(ev.trigger)
            yield node, PROV.wasDerivedFrom, iri.document(ev.doc)


def _bind(g: RDFGraph) -> RDFGraph:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g


def to_rdf(graph: Graph, base: str = DEFAULT_BASE) -> RDFGraph:
    """The export as an rdflib graph (one copy of the data in memory)."""
    return to_rdf_from(triples(graph, base))


def to_rdf_from(items: Iterable[Triple]) -> RDFGraph:
    g = _bind(RDFGraph())
    for t in items:
        g.add(t)
    return g


def vocabulary() -> RDFGraph:
    """The vocabulary: classes and properties with labels, comments, domains and ranges."""
    text = resources.files("kg.loaders").joinpath("data/kg-vocab.ttl").read_text(encoding="utf-8")
    return _bind(RDFGraph()).parse(data=text, format="turtle")


def shapes() -> RDFGraph:
    text = resources.files("kg.loaders").joinpath("data/kg-shapes.ttl").read_text(encoding="utf-8")
    return RDFGraph().parse(data=text, format="turtle")


def validate(data: RDFGraph) -> tuple[bool, str]:
    """Run the SHACL shapes on an export. Returns (conforms, the report as text)."""
    from pyshacl import validate as shacl

    conforms, _, text = shacl(data, shacl_graph=shapes(), ont_graph=vocabulary(), inference="none",
                              advanced=True, allow_warnings=False)
    return bool(conforms), text


def sparql(data: RDFGraph, text: str, params: dict | None = None) -> list[dict]:
    """Run a SPARQL query with rdflib; ``params`` are bound to the variables of the same name."""
    bindings = {k: Literal(v) for k, v in (params or {}).items() if v is not None}
    result = data.query(text, initBindings=bindings)
    return [{str(var): (row[var].toPython() if row[var] is not None else None) for var in result.vars}
            for row in result]


def _nt_lines(items: Iterable[Triple], chunk: int = 20_000) -> Iterator[bytes]:
    """N-Triples, streamed: a small graph per chunk of triples, lines sorted within the chunk."""
    batch: list[Triple] = []

    def flush() -> bytes:
        g = RDFGraph()
        for t in batch:
            g.add(t)
        lines = g.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
        batch.clear()
        return b"".join(sorted(line for line in lines if line.strip()))

    for t in items:
        batch.append(t)
        if len(batch) >= chunk:
            yield flush()
    if batch:
        yield flush()


# Above this many entities plus relations, Turtle is written as streamed N-Triples lines (which are
# valid Turtle): rdflib's grouped Turtle writer did not finish 3.5M triples in 8 minutes at 3.7 GB.
STREAM_TURTLE_ABOVE = 50_000


class RdfSink:
    """Writes the export in one RDF format. N-Triples streams, and so does Turtle for large graphs;
    the others hold one rdflib copy of the export."""

    name = "rdf"

    def __init__(self, path: str | os.PathLike[str], fmt: str = "turtle", base: str = DEFAULT_BASE, *,
                 stream_above: int = STREAM_TURTLE_ABOVE) -> None:
        if fmt not in FORMATS:
            raise KGError(f"unknown RDF format {fmt!r}; choose one of {', '.join(FORMATS)}")
        self.path = Path(path)
        self.fmt = fmt
        self.base = base
        self.stream_above = stream_above
        Iris(base)  # fail early on a bad base

    def write(self, graph: Graph) -> WriteReport:
        count = 0

        def counted(items: Iterable[Triple]) -> Iterator[Triple]:
            nonlocal count
            for t in items:
                count += 1
                yield t

        try:
            large = len(graph.entities) + len(graph.relations) > self.stream_above
            if self.fmt == "nt" or (self.fmt == "turtle" and large):
                write_atomic(self.path, lambda fh: fh.writelines(_nt_lines(counted(triples(graph, self.base)))))
            else:
                g = to_rdf_from(counted(triples(graph, self.base)))
                data = serialize(g, self.fmt, base=self.base)
                write_atomic(self.path, lambda fh: fh.write(data))
        except OSError as exc:
            raise StoreError(f"cannot write {self.path}: {exc.strerror or exc}") from exc
        return WriteReport(target=str(self.path), counts={"triples": count})


def serialize(g: RDFGraph, fmt: str, *, base: str = DEFAULT_BASE) -> bytes:
    """``g`` in ``fmt``; TriG puts it in one named graph, ``<base>graph``."""
    if fmt == "trig":
        ds = Dataset()
        for prefix, ns in PREFIXES.items():
            ds.bind(prefix, ns, override=True)
        named = ds.graph(URIRef(Iris(base).base + "graph"))
        for t in g:
            named.add(t)
        return ds.serialize(format="trig", encoding="utf-8")
    if fmt == "json-ld":
        context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        return g.serialize(format="json-ld", context=context, sort_keys=True, indent=1, encoding="utf-8")
    return g.serialize(format=fmt, encoding="utf-8")


def parse(path: str | os.PathLike[str], fmt: str) -> RDFGraph:
    """Read an export back into one graph (TriG: the union of its graphs)."""
    if fmt == "trig":
        ds = Dataset()
        ds.parse(str(path), format="trig")
        g = RDFGraph()
        for s, p, o, _ in ds.quads():
            g.add((s, p, o))
        return g
    return RDFGraph().parse(str(path), format=fmt)
