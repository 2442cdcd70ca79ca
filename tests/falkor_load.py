"""`kg load` into the FalkorDB Bolt server, in a process of its own (for the kill test and benchmark).

    python tests/falkor_load.py bolt://127.0.0.1:PORT graph.json

`kg load --store neo4j` refuses FalkorDB, which has no uniqueness constraints; this runs the same
journalled load (``kg.loaders.stores.load``) with the workarounds of ``servers.py``: no schema
statements, three rows a statement, one connection, and a plain socket opened before it connects.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from kg.model import Graph  # noqa: E402
from kg.loaders import stores  # noqa: E402
from kg.loaders.cypher import CypherStore  # noqa: E402
from kg.loaders.neo4j_store import Neo4jRunner  # noqa: E402
from servers import FALKOR_BATCH, prime  # noqa: E402


def connect(uri: str, tries: int = 5):
    """A driver on the server, its first connection made: after a client was killed the server can leave
    a handshake hanging (``servers.FalkorServer.prime``), so each try primes and waits 5 s at most."""
    import neo4j

    for attempt in range(tries):
        prime(int(uri.rsplit(":", 1)[1]))
        driver = neo4j.GraphDatabase.driver(uri, auth=None, max_connection_pool_size=1, connection_timeout=5,
                                            connection_acquisition_timeout=5, max_transaction_retry_time=5)
        try:
            driver.verify_connectivity()
            return driver
        except neo4j.exceptions.DriverError:
            driver.close()
            if attempt + 1 == tries:
                raise


def main(uri: str, graph_path: str) -> None:
    store = CypherStore(Neo4jRunner(connect(uri), target=f"falkordb {uri}"), name="falkordb",
                        batch_size=FALKOR_BATCH, schema=False)
    with store:
        report = stores.load(store, Graph.load(graph_path), source=graph_path, command="falkor_load.py",
                             note=lambda m: print(f"note: {m}", file=sys.stderr))
    print(f"loaded {graph_path} into {report.target}: {report.counts}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
