"""The graph as one self-contained HTML page (``graph.html``) and a Neo4j Browser style file.

The page holds everything it needs: the graph as JSON with every entity's position, the page's own
scripts and style (``loaders/page/``), and what it draws with: graphology and sigma (WebGL), and
for the map of places topojson-client and Natural Earth's country outlines (world-atlas). Their
built files are vendored in ``loaders/page/vendor/`` (copies of the npm packages that
``loaders/page/package-lock.json`` pins, laid out as in ``node_modules``; ``tests/test_packaging.py``
checks them against ``npm ci --prefix loaders/page``), so every install carries them, whatever ran
before the wheel was built. It opens offline from a file; it fetches nothing.

``payload(graph)`` is the data the page draws: a pure function of the graph (the layout included,
computed here, see ``kg.loaders.layout``), so the same build gives a byte-identical page and the same
picture. Evidence carries the character spans to highlight (the trigger, and the subject's and
object's mentions) relative to its sentence.
"""

from __future__ import annotations

import calendar
import html
import json
import math
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from kg.errors import KGError
from kg.model import Entity, Evidence, Graph, Relation
from kg.vocab import EntityType, RelationType
from kg.loaders.base import WriteReport, write_atomic
from kg.loaders.comention import comentions
from kg.loaders.layout import place
from kg.loaders.style import grass, page_style

PAGE_DIR = "page"
VENDOR_DIR = "vendor"
NODE_MODULES_ENV = "KG_PAGE_NODE_MODULES"
# What the page inlines from npm (package, file, its licence file); loaders/page/package-lock.json pins them,
# and loaders/page/vendor/ holds copies of them (with each package's package.json).
LIBRARIES = (("graphology", "dist/graphology.umd.min.js", "LICENSE.txt"),
             ("sigma", "dist/sigma.min.js", "LICENSE.txt"))
MAP_LIBRARIES = (("topojson-client", "dist/topojson-client.min.js", "LICENSE"),)
WORLD = ("world-atlas", "countries-110m.json", "LICENSE")
# The page's own scripts, in the order they run.
SCRIPTS = ("programs.js", "details.js", "map.js", "page.js")
_MARKER = re.compile(r"\{\{(TITLE|STYLE|LIBRARIES|WORLD|DATA|APP)\}\}")


class SetupError(KGError):
    """Something the installation should have provided is missing (say which, and how to install it)."""


def vendored() -> Path:
    """The packaged copies of the npm packages the page inlines (``kg/loaders/page/vendor``)."""
    return Path(str(resources.files("kg.loaders").joinpath(PAGE_DIR, VENDOR_DIR)))


def node_modules() -> Path:
    """Where the page's npm packages are read from: ``$KG_PAGE_NODE_MODULES`` (a ``node_modules`` folder,
    to try other builds of them), else the vendored copies."""
    override = os.environ.get(NODE_MODULES_ENV)
    return Path(override) if override else vendored()


def _package_file(package: str, name: str) -> Path:
    path = node_modules() / package / name
    if not path.is_file():
        where = (f"{NODE_MODULES_ENV} points to {os.environ[NODE_MODULES_ENV]}, which lacks it: point it to a "
                 f"node_modules folder that has it (`npm ci --prefix loaders/page` makes one) or unset it"
                 if os.environ.get(NODE_MODULES_ENV) else "the installation is incomplete: reinstall kg-news")
        raise SetupError(f"the page's libraries are missing: {path}; {where}")
    return path


def library(package: str, name: str, licence: str) -> str:
    """One npm file as the page inlines it: a comment naming the package, its version and licence text
    (the minified files carry none of their own), then the file, which must not end its ``<script>``."""
    meta = json.loads(_package_file(package, "package.json").read_text(encoding="utf-8"))
    text = _package_file(package, name).read_text(encoding="utf-8")
    notice = _package_file(package, licence).read_text(encoding="utf-8").strip().replace("*/", "* /")
    if "</script" in text.lower():
        raise SetupError(f"{_package_file(package, name)}: cannot be inlined (it contains '</script')")
    # Guarded: sigma probes WebGL as it loads, and throws in a browser without it; the page then says so.
    return (f"/*! {package} {meta['version']} ({meta.get('license', '')}), {package}/{name}\n{notice}\n*/\n"
            f"try {{\n{text}\n}} catch (error) {{ (window.kgLibraryErrors = window.kgLibraryErrors || [])"
            f".push({json.dumps(package)} + ': ' + error.message); }}")


def _asset(name: str) -> str:
    return resources.files("kg.loaders").joinpath(PAGE_DIR, name).read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# The data the page draws.


def payload(graph: Graph, *, title: str, subtitle: str = "") -> dict[str, Any]:
    """The page's data: documents, entities and relations as lists, cross-referenced by position.

    Entities keep their graph order (sorted by id); ``degree`` counts the relations drawn at the entity,
    ``mentions`` its mentions, ``geo`` is ``[latitude, longitude]`` for a place that has them. A
    relation's ``s``/``t``/``speaker`` and an evidence's ``doc`` are list positions; ``when`` is the
    first and last day ``attributes.when`` covers. ``layout`` holds every entity's position
    (ForceAtlas2, ``kg.loaders.layout``), ``comention`` the pairs named together (``kg.loaders.comention``):
    ``[a, b, articles, sentences, examples]``.
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
    pairs = comentions(entities, relations)
    x, y = place(len(entities), [(ent_index[r.subject], ent_index[r.object]) for r in relations],
                 [(c.a, c.b, min(1.0, 0.25 * math.sqrt(c.articles + 2 * c.sentences))) for c in pairs])
    return {
        "title": title,
        "subtitle": subtitle,
        "style": {**page_style(), "symmetric": [t.value for t in RelationType if t.symmetric]},
        "documents": [{"id": d.id, "title": d.title or d.id, "source": d.source, "url": d.url,
                       "published": d.published} for d in documents]
                     + [{"id": d, "title": d, "source": None, "url": None, "published": None} for d in extra],
        "entities": [_entity(e, doc_index, degree[e.id]) for e in entities],
        "relations": [_relation(r, ent_index, doc_index, mentions) for r in relations],
        "layout": {"x": [_round(v) for v in x], "y": [_round(v) for v in y]},
        "comention": [[c.a, c.b, c.articles, c.sentences, [[r, e, [list(m) for m in marks]]
                                                            for r, e, marks in c.examples]] for c in pairs],
    }


def _round(value: float) -> float:
    """One decimal: the page's positions, the same bytes for the same layout."""
    out = round(float(value), 1)
    return 0.0 if out == 0 else out  # no "-0.0"


def when_range(value: Any) -> list[str] | None:
    """The first and last day an ISO 8601 date, month or year covers, or ``None`` if it is none of them.

    >>> when_range("1968"), when_range("2004-02"), when_range("2004-11-19"), when_range("last Friday")
    (['1968-01-01', '1968-12-31'], ['2004-02-01', '2004-02-29'], ['2004-11-19', '2004-11-19'], None)
    """
    found = _WHEN.fullmatch(value.strip()) if isinstance(value, str) else None
    if not found:
        return None
    year, month, day = found.groups()
    if month is None:
        return [f"{year}-01-01", f"{year}-12-31"]
    if not 1 <= int(month) <= 12:
        return None
    last = calendar.monthrange(int(year), int(month))[1]
    if day is None:
        return [f"{year}-{month}-01", f"{year}-{month}-{last:02d}"]
    if not 1 <= int(day) <= last:
        return None
    return [f"{year}-{month}-{day}"] * 2


_WHEN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def geo(entity: Entity) -> list[float] | None:
    """``[latitude, longitude]`` of a place whose attributes carry valid ones, else ``None``."""
    if entity.type is not EntityType.PLACE:
        return None
    lat, lon = entity.attributes.get("latitude"), entity.attributes.get("longitude")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in (lat, lon)):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return [round(float(lat), 5), round(float(lon), 5)]


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
        "mentions": len(entity.mentions),
        **({"geo": where} if (where := geo(entity)) else {}),
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
        **({"when": when} if (when := when_range(attrs.get("when"))) else {}),
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


@lru_cache(maxsize=4096)
def _trigger_pattern(trigger: str) -> re.Pattern:
    before = r"(?<!\w)" if trigger[0].isalnum() else ""
    after = r"(?!\w)" if trigger[-1].isalnum() else ""
    return re.compile(before + re.escape(trigger) + after, re.IGNORECASE)


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
    found = [m.span() for m in _trigger_pattern(trigger).finditer(sentence)]
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
    """The HTML text of the page for ``payload(...)`` data. The map's outlines and their library go in
    only when a place has coordinates."""
    mapped = any("geo" in e for e in data["entities"])
    libraries = [library(*lib) for lib in LIBRARIES + (MAP_LIBRARIES if mapped else ())]
    world = "null"
    if mapped:
        package, name, licence = WORLD
        _package_file(package, licence)
        world = _json_for_script(json.loads(_package_file(package, name).read_text(encoding="utf-8")))
    parts = {
        "TITLE": html.escape(data["title"]),
        "STYLE": _asset("page.css"),
        "LIBRARIES": "\n</script>\n<script>\n".join(libraries),
        "WORLD": world,
        "DATA": _json_for_script(data),
        "APP": "\n</script>\n<script>\n".join(_asset(name) for name in SCRIPTS),
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
