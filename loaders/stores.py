"""Choosing a store (Neo4j when one is configured, else the embedded kglite file in the build folder),
and loading, forgetting and reading through the load journal (``kg.loaders.journal``), so that a load
that did not finish is completed or reported, never passed over in silence."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from kg.errors import KGError, StoreError
from kg.graph_stream import GraphSource, open_graph
from kg.model import Graph
from kg.loaders.base import WriteReport
from kg.loaders.cypher import DEFAULT_BATCH_SIZE, CypherStore
from kg.loaders.journal import Entry, FileJournal, StoreJournal
from kg.loaders.neo4j_store import Neo4jConfig
from kg.loaders.outdir import alive, owner

STORES = ("auto", "kglite", "neo4j", "none")
Note = Callable[[str], None]


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
               batch_size: int = DEFAULT_BATCH_SIZE, read_only: bool = False, create: bool = True
               ) -> CypherStore | None:
    """Open the store ``kind`` names (``None`` for ``none``).

    ``neo4j`` holds CLI overrides (uri, username, password, database) of the ``NEO4J_*`` variables.
    ``read_only``: the embedded store must exist and refuses writes (Neo4j runs every read in a read
    transaction anyway); ``create=False``: the embedded store must exist.
    """
    config = Neo4jConfig.from_env(**(neo4j or {}))
    kind = resolve(kind, config)
    if kind == "none":
        return None
    if kind == "neo4j":
        from kg.loaders.neo4j_store import open_neo4j

        assert config is not None
        return open_neo4j(config, batch_size=batch_size)
    from kg.loaders.kglite_store import open_kglite

    return open_kglite(out_dir, batch_size=batch_size, read_only=read_only, create=create)


def journal_of(store: CypherStore) -> FileJournal | StoreJournal:
    path = getattr(store.runner, "path", None)
    return FileJournal(path) if store.name == "kglite" and path is not None else StoreJournal(store.runner)


def _ignore(message: str) -> None:
    pass


def load(store: CypherStore, graph: Graph | GraphSource, *, source: str | os.PathLike[str] | None = None,
         note: Note = _ignore, how: str = "", abandon: bool = False, command: str = "kg load") -> WriteReport:
    """Merge ``graph`` (read from the file ``source``: a graph.json, or the graph.index.json of a JSON Lines
    build, whose sha256 pins every file it lists) into ``store``, journalled: an unfinished
    earlier load is completed (or reported) first, and this one is recorded until it is committed.
    ``note`` receives what the user should know; ``how`` is the options to repeat in a command
    the user is told to run; ``command`` names this process in the journal."""
    from kg.loaders.journal import sha256

    path = str(Path(source).resolve()) if source is not None else None
    entry = Entry("load", owner(command), path, sha256(path) if path else None)
    return _journalled(store, entry, lambda: store.write(graph), note=note, how=how, abandon=abandon)


def forget(store: CypherStore, doc_ids: Iterable[str], *, note: Note = _ignore, how: str = "",
           abandon: bool = False, command: str = "kg forget") -> dict[str, int]:
    """``store.forget(doc_ids)``, journalled as ``load`` is."""
    docs = tuple(sorted(set(doc_ids)))
    return _journalled(store, Entry("forget", owner(command), docs=docs), lambda: store.forget(docs), note=note,
                       how=how, abandon=abandon)


def _journalled(store: CypherStore, entry: Entry, work, *, note: Note, how: str, abandon: bool):
    journal = journal_of(store)
    redo = settle(store, note=note, how=how, abandon=abandon, same=entry)
    journal.begin(entry)
    try:
        result = work()
        if redo:
            repair(store)
        commit(store)
    except BaseException:
        discard = getattr(store.runner, "discard", None)
        if discard is not None:  # the embedded store: nothing was written, the journal is moot
            discard()
            journal.end()
        raise
    journal.end()
    return result


def commit(store: CypherStore) -> None:
    """Make the store's changes visible (the embedded store writes its file; a server has already)."""
    commit_ = getattr(store.runner, "commit", None)
    if commit_ is not None:
        commit_()


def repair(store: CypherStore) -> None:
    """After a load or forget that stopped half-way was done again: the relationships and entities it
    had half-changed are not all known (the evidence and mentions it had removed are gone), so every
    relationship is recomputed from its evidence and every entity checked for mentions."""
    from kg.loaders.journal import ALL_ENTITIES, ALL_RELATIONSHIPS

    relations = {(r["relation"], r["subject"], r["object"]) for r in store.query(ALL_RELATIONSHIPS)}
    store.refresh(relations, {r["id"] for r in store.query(ALL_ENTITIES)})


def settle(store: CypherStore, *, note: Note = _ignore, how: str = "", abandon: bool = False,
           same: Entry | None = None) -> bool:
    """Before writing: deal with a load that did not finish.

    A load still running elsewhere is an error (retry later). On kglite an unfinished load left the
    store as it was: a note, and on. On a server the store may hold part of it: it is completed by
    doing it again (same graph.json, unchanged; or the same forget) and repairing after it, unless
    the load about to run is that very one: then ``True`` says that one must repair after itself.
    When it cannot be completed, a ``StoreError`` says what to do (``abandon`` goes on, repairing).
    """
    journal = journal_of(store)
    entry = journal.read()
    if entry is None:
        return False
    if journal.finished(entry):
        journal.end()
        return False
    running = alive(entry.owner)
    if running:
        raise StoreError(f"the {entry.describe()} is writing to {store.runner.target}: wait for it to finish",
                         retryable=True)
    if isinstance(journal, FileJournal):
        note(f"the last {entry.describe()} did not finish; {store.runner.target} was left as it was before it")
        journal.end()
        return False
    if running is None and not abandon:
        raise StoreError(f"the last {entry.describe()} has not finished: it may still be running there, or it "
                         f"was stopped and {store.runner.target} holds part of it. If it no longer runs, "
                         f"{entry.how_to_finish(how)}")
    if same is not None and same.op == entry.op and same.sha256 == entry.sha256 and same.docs == entry.docs:
        note(f"the last {entry.describe()} did not finish; this one does it again")
        return True
    if entry.file_unchanged():
        note(f"the last {entry.describe()} did not finish: finishing it first")
        if entry.op == "load":
            store.write(open_graph(entry.graph))
        else:
            store.forget(entry.docs)
        repair(store)
        journal.end()
        return False
    if abandon:
        note(f"the last {entry.describe()} did not finish; going on without it (--abandon-unfinished): "
             f"{store.runner.target} keeps the part of it that was written")
        repair(store)
        journal.end()
        return False
    raise StoreError(unfinished_message(store, entry, how))


def unfinished_message(store: CypherStore, entry: Entry, how: str) -> str:
    text = f"the last {entry.describe()} did not finish: {store.runner.target} may hold part of it. "
    if entry.file_unchanged():
        return text + entry.how_to_finish(how) + " (or any kg load or kg forget does it first)"
    return text + (f"{entry.graph} is no longer the file it loaded (sha256 {entry.sha256}): rebuild it (the same "
                   f"inputs give the same graph.json) and {entry.how_to_finish(how)}, or pass --abandon-unfinished "
                   f"to kg load or kg forget to go on without it")


def check_readable(store: CypherStore, *, note: Note = _ignore, how: str = "", wait: float = 0.5) -> None:
    """Before reading: on kglite, a note when a load is running or did not finish (the answers are
    those of the store before it); on a server, wait for a running load, and refuse while the last
    one is unfinished (``StoreError``)."""
    journal = journal_of(store)
    said = False
    while (entry := journal.read()) is not None and not journal.finished(entry):
        running = alive(entry.owner)
        if isinstance(journal, FileJournal):
            if running:
                note(f"the {entry.describe()} is running: this answer is from {store.runner.target} as it was before it")
            else:
                note(f"the last {entry.describe()} did not finish: this answer is from {store.runner.target} as it "
                     f"was before it; {entry.how_to_finish(how)}")
            return
        if not running:
            if running is None:
                raise StoreError(f"the last {entry.describe()} has not finished: it may still be running there, or it was "
                                 f"stopped and {store.runner.target} holds part of it. If it no longer runs, "
                                 f"{entry.how_to_finish(how)}")
            raise StoreError(unfinished_message(store, entry, how))
        if not said:
            note(f"waiting for the {entry.describe()} to finish …")
            said = True
        time.sleep(wait)
