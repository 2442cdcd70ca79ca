"""Choosing a store: Neo4j when one is configured, else the embedded kglite file in the build folder."""

from __future__ import annotations

import os
from collections.abc import Mapping

from kg.errors import KGError
from loaders.cypher import DEFAULT_BATCH_SIZE, CypherStore
from loaders.neo4j_store import Neo4jConfig

STORES = ("auto", "kglite", "neo4j", "none")


def resolve(kind: str, config: Neo4jConfig | None) -> str:
    """``auto`` means ``neo4j`` when a URI is configured, else ``kglite``."""
    if kind not in STORES:
        raise KGError(f"unknown store {kind!r}; choose one of {', '.join(STORES)}")
    if kind == "auto":
        return "neo4j" if config is not None else "kglite"
    if kind == "neo4j" and config is None:
        raise KGError("--store neo4j needs a server: set NEO4J_URI (or pass --neo4j-uri)")
    return kind


def open_store(kind: str, *, out_dir: str | os.PathLike[str], neo4j: Mapping[str, str | None] | None = None,
               batch_size: int = DEFAULT_BATCH_SIZE) -> CypherStore | None:
    """Open the store ``kind`` names (``None`` for ``none``).

    ``neo4j`` holds CLI overrides (uri, username, password, database) of the ``NEO4J_*`` variables.
    """
    config = Neo4jConfig.from_env(**(neo4j or {}))
    kind = resolve(kind, config)
    if kind == "none":
        return None
    if kind == "neo4j":
        from loaders.neo4j_store import open_neo4j

        assert config is not None
        return open_neo4j(config, batch_size=batch_size)
    from loaders.kglite_store import open_kglite

    return open_kglite(out_dir, batch_size=batch_size)
