"""The one interface every store and export implements."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

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


def write_atomic(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write a file through ``write(fh)`` into a temporary file beside it, then rename it into place:
    a reader never sees half a file, and a failed write leaves the old file and no temporary one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.chmod(tmp, 0o666 & ~_umask())  # as open() would have made it, not mkstemp's owner-only 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
