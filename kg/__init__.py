"""kg: news text -> named-entity knowledge graph (spaCy in, graph.json / Neo4j / RDF out)."""

from __future__ import annotations

__version__ = "0.1.0"
