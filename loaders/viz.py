"""The graph as one self-contained HTML page (``graph.html``) and a Neo4j Browser style file.

The page holds everything it needs: the graph as JSON, the page's own script and style
(``loaders/page/``: page.html, page.css, layout.js, page.js) and the graph library, Cytoscape.js, read from the npm package that
``npm ci --prefix loaders/page`` installs (pinned by ``loaders/page/package-lock.json``). It opens
offline from a file; it fetches nothing.

``payload(graph)`` is the data the page draws: a pure function of the graph, so the same build gives a
byte-identical page. Evidence carries the character spans to highlight (the trigger, and the
subject's and object's mentions) relative to its sentence.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from kg.errors import KGError
from kg.model import Entity, Evidence, Graph, Relation
from kg.vocab import RelationType
from loaders.base import WriteReport, write_atomic
from loaders.style import grass, page_style

PAGE_DIR = "page"
LIBRARY = ("node_modules", "cytoscape", "dist", "cytoscape.min.js")
LIBRARY_ENV = "KG_CYTOSCAPE_JS"
INSTALL_HINT = "npm ci --prefix loaders/page"
_MARKER = re.compile(r"\{\{(TITLE|STYLE|LIBRARY|DATA|LAYOUT|APP)\}\}")


class SetupError(KGError):
    """Something the installation should have provided is missing (say which, and how to install it)."""


def library_path() -> Path:
    """Where Cytoscape.js is: ``$KG_CYTOSCAPE_JS``, else the npm package under ``loaders/page/``."""
    override = os.environ.get(LIBRARY_ENV)
    path = Path(override) if override else Path(str(resources.files("loaders").joinpath(PAGE_DIR, *LIBRARY)))
    if not path.is_file():
        raise SetupError(f"the graph library is not installed: {path} is missing; run `{INSTALL_HINT}` "
                         f"in the kg source folder (or set {LIBRARY_ENV} to a cytoscape.min.js)")
    return path


def _asset(name: str) -> str:
    return resources.files("loaders").joinpath(PAGE_DIR, name).read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# The data the page draws.


def payload(graph: Graph, *, title: str, subtitle: str = "") -> dict[str, Any]:
    """The page's data: documents, entities and relations as lists, cross-referenced by position.

    Entities keep their graph order (sorted by id); ``degree`` counts the relations drawn at the entity.
    A relation's ``s``/``t``/``speaker`` and an evidence's ``doc`` are list positions.
    """
    documents = sorted(graph.documents, key=lambda d: d.id)
    known = {d.id for d in documents}
    # Evidence or mentions of a document the graph does not list (a query's subgraph) still show its id.
    extra = sorted(({ev.doc for r in graph.relations for ev in r.evidence}
                    | {m.doc for e in graph.entities for m in e.mentions}) - known)
    doc_index = {d: i for i, d in enumerate([d.id for d in documents] + extra)}
    entities = sorted(graph.entities, key=lambda e: e.id)
    ent_index = {e.id: i for i, e in enumerate(entities)}
    relations = sorted((r for r in graph.relations if r.subject in ent_index and r.object in ent_index),
                       key=lambda r: r.id)
    degree: dict[str, int] = defaultdict(int)
    for rel in relations:
        degree[rel.subject] += 1
        degree[rel.object] += 1
    mentions = _mentions_by_entity_doc(entities)
    return {
        "title": title,
        "subtitle": subtitle,
        "style": {**page_style(), "symmetric": [t.value for t in RelationType if t.symmetric]},
        "documents": [{"id": d.id, "title": d.title or d.id, "source": d.source, "url": d.url,
                       "published": d.published} for d in documents]
                     + [{"id": d, "title": d, "source": None, "url": None, "published": None} for d in extra],
        "entities": [_entity(e, doc_index, degree[e.id]) for e in entities],
        "relations": [_relation(r, ent_index, doc_index, mentions) for r in relations],
    }


def _entity(entity: Entity, doc_index: dict[str, int], degree: int) -> dict[str, Any]:
    per_doc: dict[str, int] = defaultdict(int)
    for m in entity.mentions:
        per_doc[m.doc] += 1
    attrs = dict(sorted(entity.attributes.items()))
    return {
        "id": entity.id, "type": entity.type.value, "name": entity.name,
        "aliases": [a for a in entity.aliases if a != entity.name],
        "attributes": {k: list(v) if isinstance(v, (list, tuple)) else v for k, v in attrs.items()},
        "docs": [[doc_index[d], n] for d, n in sorted(per_doc.items()) if d in doc_index],
        "degree": degree,
    }


def _relation(rel: Relation, ent_index: dict[str, int], doc_index: dict[str, int],
              mentions: dict[tuple[str, str], list[tuple[int, int]]]) -> dict[str, Any]:
    attrs = rel.attributes
    return {
        "id": rel.id, "s": ent_index[rel.subject], "t": ent_index[rel.object], "type": rel.type.value,
        "polarity": rel.polarity.value, "modality": rel.modality.value, "confidence": round(rel.confidence, 4),
        "attributes": {k: attrs[k] for k in sorted(attrs)},
        "speaker": ent_index.get(rel.reported_by) if rel.reported_by else None,
        "speaker_id": rel.reported_by,
        "docs": sorted({doc_index[ev.doc] for ev in rel.evidence}),
        "evidence": [_evidence(ev, rel, doc_index, mentions)
                     for ev in sorted(rel.evidence, key=lambda e: (e.doc, e.start, e.end))],
    }


def _mentions_by_entity_doc(entities: Iterable[Entity]) -> dict[tuple[str, str], list[tuple[int, int]]]:
    out: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for e in entities:
        for m in e.mentions:
            out[(e.id, m.doc)].append((m.start, m.end))
    return out


def _evidence(ev: Evidence, rel: Relation, doc_index: dict[str, int],
              mentions: dict[tuple[str, str], list[tuple[int, int]]]) -> dict[str, Any]:
    marks = []
    for role, entity_id in (("s", rel.subject), ("o", rel.object)):
        for start, end in mentions.get((entity_id, ev.doc), ()):
            if ev.start <= start and end <= ev.end:
                marks.append([start - ev.start, end - ev.start, role])
    marks.sort()
    return {"doc": doc_index[ev.doc], "start": ev.start, "end": ev.end, "sentence": ev.sentence,
            "trigger_text": ev.trigger, "trigger": trigger_span(ev.sentence, ev.trigger, marks), "marks": marks}


def trigger_span(sentence: str, trigger: str, marks: list[list] | None = None) -> list[int] | None:
    """Where the trigger stands in its sentence, as ``[start, end]``, or ``None`` if it is not there.

    A word trigger matches whole words only, in any case ("meet" is not found in "meeting"). When it
    occurs more than once, the occurrence between the subject's and the object's mentions wins, then
    the one nearest to them.

    >>> trigger_span("Brussels, Belgium, and Paris, France", ",", [[0, 8, "o"], [10, 17, "s"]])
    [8, 9]
    """
    if not trigger:
        return None
    before = r"(?<!\w)" if trigger[0].isalnum() else ""
    after = r"(?!\w)" if trigger[-1].isalnum() else ""
    found = [m.span() for m in re.finditer(before + re.escape(trigger) + after, sentence, re.IGNORECASE)]
    if not found:
        return None
    if marks:
        lo = min(m[1] for m in marks)
        hi = max(m[0] for m in marks)
        found.sort(key=lambda span: (not lo <= span[0] <= hi, min(abs(span[0] - lo), abs(span[0] - hi)), span))
    return list(found[0])


# ---------------------------------------------------------------------------------------------
# The page.


def _json_for_script(data: Any) -> str:
    """JSON that cannot end its ``<script>`` element or open a comment, whatever the text holds."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def render(data: dict[str, Any]) -> str:
    """The HTML text of the page for ``payload(...)`` data."""
    library = library_path().read_text(encoding="utf-8")
    if "</script" in library.lower():
        raise SetupError(f"{library_path()}: cannot be inlined (it contains '</script')")
    parts = {
        "TITLE": html.escape(data["title"]),
        "STYLE": _asset("page.css"),
        "LIBRARY": library,
        "DATA": _json_for_script(data),
        "LAYOUT": _asset("layout.js"),
        "APP": _asset("page.js"),
    }
    # One pass: text put in is never scanned for markers again (an article may contain "{{APP}}").
    return _MARKER.sub(lambda m: parts[m.group(1)], _asset("page.html"))


class HtmlSink:
    """Writes ``graph.html`` (and ``graph.grass`` beside it) for a ``Graph``."""

    name = "html"

    def __init__(self, path: str | Path, *, title: str = "Knowledge graph", subtitle: str = "",
                 grass_file: bool = True) -> None:
        self.path = Path(path)
        self.title = title
        self.subtitle = subtitle
        self.grass_file = grass_file

    def write(self, graph: Graph) -> WriteReport:
        data = payload(graph, title=self.title, subtitle=self.subtitle or _counts(graph))
        text = render(data).encode("utf-8")
        write_atomic(self.path, lambda fh: fh.write(text))
        if self.grass_file:
            write_grass(self.path.with_suffix(".grass"))
        return WriteReport(str(self.path), {"entities": len(data["entities"]), "relations": len(data["relations"]),
                                            "bytes": len(text)})


def write_grass(path: str | Path) -> Path:
    path = Path(path)
    text = grass().encode("utf-8")
    write_atomic(path, lambda fh: fh.write(text))
    return path


def _counts(graph: Graph) -> str:
    return (f"{len(graph.documents)} documents · {len(graph.entities)} entities · "
            f"{len(graph.relations)} relations")
