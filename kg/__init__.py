"""kg: news text -> named-entity knowledge graph (spaCy in, graph.json / Neo4j / RDF out).

The Python API (``kg.api``; imported when first used, so ``import kg`` stays fast)::

    import kg

    graph = kg.build("seeds/")                  # a kg.Graph: documents, entities, relations
    kg.export(graph, "out/graph.json")          # or .ttl, .jsonld, .nt, .trig, .html
    kg.load(graph, "out")                       # into the embedded store out/graph.kgl (or a Neo4j URI)
    rows = kg.query("out", "met_with")          # a query of the library, as a list of dicts

spaCy users add the components instead: ``nlp.add_pipe("kg_entities")``,
``nlp.add_pipe("kg_relations")`` (``kg.components``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from kg.api import Neo4jConfig, SkippedInput, build, export, load, query
    from kg.model import Graph

_API = {"build", "load", "query", "export", "Neo4jConfig", "SkippedInput"}


def __getattr__(name: str) -> Any:
    if name == "Graph":
        from kg.model import Graph

        return Graph
    if name in _API:
        from kg import api

        return getattr(api, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), "Graph", *_API})


__all__ = ["Graph", "Neo4jConfig", "SkippedInput", "__version__", "build", "export", "load", "query"]
