"""The one interface every store and export implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from kg.model import Graph


# The RDF formats the RDF sink writes, with their file suffixes. Here rather than in loaders/rdf.py so
# the CLI can offer them without importing rdflib at start-up.
RDF_FORMATS = {"turtle": "ttl", "json-ld": "jsonld", "nt": "nt", "trig": "trig"}


@dataclass(frozen=True)
class WriteReport:
    """What a sink wrote: where, and how many of each kind of record."""

    target: str
    counts: dict[str, int] = field(default_factory=dict)


class Sink(Protocol):
    """Writes a ``Graph`` and says what it wrote. A sink that fails raises ``kg.errors.StoreError``."""

    name: str

    def write(self, graph: Graph) -> WriteReport: ...
