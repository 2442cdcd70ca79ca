"""Neo4j through the official driver: managed write transactions (``execute_write``) that the
driver retries on transient errors, batched ``UNWIND $rows`` statements from ``kg.loaders.cypher``,
and reads in read transactions (``execute_read``: a cluster routes them to readers, and a server
refuses a write in them). Each batch is its own transaction; the load journal
(``kg.loaders.journal``) is what makes a load that stopped half-way known and completed.

Configuration comes from the usual variables (``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``,
``NEO4J_DATABASE``) or from the CLI options that override them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kg.errors import StoreError
from kg.loaders.cypher import DEFAULT_BATCH_SIZE, CypherStore, Row

DEFAULT_RETRY_SECONDS = 30.0


@dataclass(frozen=True)
class Neo4jConfig:
    uri: str
    username: str | None = None
    password: str | None = None
    database: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: str | None) -> Neo4jConfig | None:
        """The configuration the environment (with CLI overrides) gives, or ``None`` when no URI is set."""
        env = os.environ if environ is None else environ
        values = {
            "uri": env.get("NEO4J_URI"),
            "username": env.get("NEO4J_USERNAME") or env.get("NEO4J_USER"),
            "password": env.get("NEO4J_PASSWORD"),
            "database": env.get("NEO4J_DATABASE"),
        }
        values.update({k: v for k, v in overrides.items() if v})
        if not values["uri"]:
            return None
        return cls(**values)  # type: ignore[arg-type]


class Neo4jRunner:
    """Runs Cypher through a ``neo4j.Driver``: writes in ``execute_write``, reads in ``execute_read``."""

    def __init__(self, driver: Any, *, database: str | None = None, target: str = "neo4j",
                 owns_driver: bool = True) -> None:
        self.driver = driver
        self.database = database
        self.target = target
        self._owns_driver = owns_driver

    def _session(self) -> Any:
        return self.driver.session(database=self.database) if self.database else self.driver.session()

    def _run(self, statement: str, params: Mapping[str, Any], *, write: bool) -> list[Row]:
        import neo4j.exceptions as nx

        def work(tx: Any) -> list[Row]:
            return tx.run(statement, dict(params)).data()

        try:
            with self._session() as session:
                return session.execute_write(work) if write else session.execute_read(work)
        except (nx.Neo4jError, nx.DriverError) as exc:
            first_line = statement.strip().splitlines()[0]
            message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
            if first_line.startswith(("CREATE CONSTRAINT", "CREATE INDEX")):
                raise StoreError(
                    f"{self.target} cannot create the uniqueness constraints and the index kg relies on "
                    f"(`{first_line}` failed: {message}). kg needs a server with Neo4j 5 schema support "
                    f"(CREATE CONSTRAINT … IF NOT EXISTS … REQUIRE … IS UNIQUE) to keep Entity, Document and "
                    f"Evidence ids unique; this server lacks it (FalkorDB, for one, has no such constraints)"
                ) from exc
            raise StoreError(f"{self.target}: {message} (in: {first_line} …)",
                             retryable=exc.is_retryable()) from exc
        except (OverflowError, TypeError, ValueError) as exc:  # a parameter the driver cannot send
            raise StoreError(f"{self.target}: {exc}") from exc

    def write(self, statement: str, params: Mapping[str, Any]) -> list[Row]:
        return self._run(statement, params, write=True)

    def read(self, statement: str, params: Mapping[str, Any]) -> list[Row]:
        return self._run(statement, params, write=False)

    def close(self) -> None:
        if self._owns_driver:
            self.driver.close()


def open_neo4j(config: Neo4jConfig, *, batch_size: int = DEFAULT_BATCH_SIZE,
               retry_seconds: float = DEFAULT_RETRY_SECONDS) -> CypherStore:
    """A store on the Neo4j server ``config`` names; fails at once if it cannot be reached."""
    import neo4j

    auth = (config.username, config.password or "") if config.username else None
    try:
        driver = neo4j.GraphDatabase.driver(config.uri, auth=auth, max_transaction_retry_time=retry_seconds)
        driver.verify_connectivity()
    except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, ValueError) as exc:
        raise StoreError(f"cannot reach Neo4j at {config.uri}: {exc}", retryable=True) from exc
    target = f"{config.uri}" + (f" (database {config.database})" if config.database else "")
    return CypherStore(Neo4jRunner(driver, database=config.database, target=target), name="neo4j",
                       batch_size=batch_size)
