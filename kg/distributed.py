"""The build on a Dask cluster (``kg build --dask [ADDRESS]``): the same graph as the single-process build,
byte for byte, computed by the workers of a ``dask.distributed`` cluster.

What runs where:

- **client** (the ``kg build`` process): lists the input files (local paths, or ``fsspec`` URLs such as
  ``s3://bucket/news/``), plans the task graph, and gathers small things: the skipped inputs, duplicate
  document ids, which documents' contexts the surname rule needs, counts. For ``--format json`` it also
  writes ``graph.json``, fetching one output part at a time; for ``--format jsonl`` the workers write it.
- **workers**: each loads the spaCy pipeline once (``AnalyzerPlugin``, a worker plugin), reads its files
  (the paths or URLs must be reachable from the worker) and analyses them into per-document results,
  which stay on the workers.
- **cluster-side grouping**: the entities' resolution summaries are added up by resolution key with a
  tree reduction (``Bag.foldby``); the plan (``kg.crossdoc.Resolution``) runs in one task over those
  summaries, never over mentions; then every entity, relation and document record is sent to the output
  part its id falls in (a range shuffle: part ``j`` holds the ids between two bounds), where the records
  of one id are put together and sorted. Part ``j`` is shard ``j`` of the JSON Lines form, so the shards
  in name order are the records in id order.

The answer does not depend on how files were partitioned or in which order tasks ran: every item carries
its position in the input, and whatever depends on order sorts by it (see ``kg.crossdoc``).
"""

from __future__ import annotations

import operator
import os
import tempfile
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin

from kg import crossdoc
from kg.errors import InputError, KGError
from kg.fetch import is_url as is_web
from kg.ingest import DEFAULT_MAX_BYTES, KNOWN_SUFFIXES, SourceFile, expand_paths
from kg.model import DocResult, Document

PLUGIN = "kg-analyzer"
PARTITIONS_PER_WORKER = 4
MAX_PARTITIONS_PER_WORKER = 64
DOCS_PER_PART = 2000


def is_url(path: str) -> bool:
    return "://" in path and not path.startswith("file://localhost")


# ---------------------------------------------------------------------------------------------
# Inputs: listed on the client, read on the workers


@dataclass(frozen=True)
class Source:
    """One input file: its position in the input, where the workers read it, and how it is named."""

    order: int
    location: str
    display: str


def list_sources(inputs: Sequence[str]) -> tuple[list[Source], list[tuple[tuple[int, int], InputError]]]:
    """The files ``inputs`` name, in the single-process build's order, and the inputs that name none.
    Local paths are made absolute for the workers (the documents keep the path as given); a URL is
    listed through ``fsspec`` (a folder walked for known endings, a glob expanded)."""
    sources: list[Source] = []
    errors: list[tuple[tuple[int, int], InputError]] = []
    for raw in inputs:
        if is_web(raw):  # a feed or a page: fetched by the worker that reads it, as kg.fetch fetches
            sources.append(Source(len(sources) + len(errors), raw, raw))
            continue
        items = _list_url(raw) if is_url(raw) else expand_paths([raw])
        for item in items:
            order = len(sources) + len(errors)
            if isinstance(item, InputError):
                errors.append(((order, 0), item))
            elif isinstance(item, SourceFile):
                sources.append(Source(order, str(item.path.resolve()), item.display))
            else:
                sources.append(Source(order, item, item))
    return sources, errors


def _list_url(raw: str):
    try:
        from fsspec.core import url_to_fs

        fs, path = url_to_fs(raw)
        if fs.isdir(path):
            found = sorted(p for p in fs.find(path) if Path(p).suffix.lower() in KNOWN_SUFFIXES)
            if not found:
                yield InputError(raw, "directory holds no .txt, .html or .jsonl files")
            for p in found:
                yield fs.unstrip_protocol(p)
        elif fs.exists(path):
            yield raw
        elif any(c in path for c in "*?["):
            found = sorted(p for p in fs.glob(path) if fs.isfile(p))
            if not found:
                yield InputError(raw, "pattern matches no file")
            for p in found:
                yield fs.unstrip_protocol(p)
        else:
            yield InputError(raw, "no such file or directory")
    except ImportError as exc:
        yield InputError(raw, f"cannot read this URL: {exc} (install the fsspec filesystem package for it)")
    except (OSError, ValueError) as exc:
        yield InputError(raw, f"cannot list: {exc}")


def read_source(src: Source, max_bytes: int, fetch: dict | None = None):
    """The documents (and input errors) of one file, as ``kg.ingest`` reads a local one. An ``http(s)://``
    feed or page is read by ``kg.fetch`` (``fetch``: the ``Fetcher``'s cache, timeout and refresh); another
    URL is fetched through ``fsspec`` into a temporary file of the same name first."""
    from kg.ingest import _read_file

    if is_web(src.location):
        from kg.fetch import Fetcher, read_url

        yield from read_url(src.location, Fetcher(max_bytes=max_bytes, **(fetch or {})))
        return
    if not is_url(src.location):
        yield from _read_file(SourceFile(Path(src.location), src.display), max_bytes)
        return
    try:
        import fsspec

        with fsspec.open(src.location, "rb") as fh:
            size = getattr(fh, "size", None)
            if size is not None and size > max_bytes:
                yield InputError(src.display, f"file is {size / 2**20:.1f} MiB, over the {max_bytes / 2**20:.1f} "
                                              f"MiB limit (raise it with --max-bytes)")
                return
            data = fh.read(max_bytes + 1)
    except (OSError, ValueError, ImportError) as exc:
        yield InputError(src.display, f"cannot read: {exc}")
        return
    with tempfile.TemporaryDirectory(prefix="kg-url-") as tmp:
        local = Path(tmp) / (Path(src.location.rstrip("/")).name or "document.txt")
        local.write_bytes(data)
        yield from _read_file(SourceFile(local, src.display), max_bytes)


# ---------------------------------------------------------------------------------------------
# The worker side


class AnalyzerPlugin(WorkerPlugin):
    """A Dask worker plugin: loads the spaCy pipeline and the entity files once per worker (``setup``), for
    every task that worker runs. The entity files travel with the plugin, so workers need not see them."""

    def __init__(self, model: str, entity_files: Sequence[str]) -> None:
        import hashlib

        self.model = model
        self.entity_texts = [(Path(f).name, Path(f).read_bytes()) for f in entity_files]
        self.analyzer = None
        self._folder: str | None = None
        digest = hashlib.sha256(repr((model, self.entity_texts)).encode("utf-8")).hexdigest()[:16]
        # Named by what it loads: two builds with different settings on one cluster keep apart.
        self.name = f"{PLUGIN}-{digest}"

    def setup(self, worker: Any = None) -> None:
        from kg.pipeline import Analyzer

        key = (self.model, tuple(self.entity_texts))
        if key in _ANALYZERS:  # a later build on a worker that lives on: the pipeline it loaded already
            self.analyzer = _ANALYZERS[key]
            return
        self._folder = tempfile.mkdtemp(prefix="kg-entities-")
        files = []
        for i, (name, data) in enumerate(self.entity_texts):
            path = Path(self._folder) / f"{i}-{name}"
            path.write_bytes(data)
            files.append(str(path))
        self.analyzer = Analyzer(self.model, files)
        if len(_ANALYZERS) >= 2:  # a worker keeps the last two pipelines it loaded, not every one
            _ANALYZERS.pop(next(iter(_ANALYZERS)))
        _ANALYZERS[key] = self.analyzer  # its entity files stay with it, in the worker's temporary folder

    def teardown(self, worker: Any = None) -> None:
        self.analyzer = None


# The pipeline a worker process loaded, by model and entity files: kept for the next build on a cluster
# that lives on, so a worker loads the spaCy model once, not once a build.
_ANALYZERS: dict[tuple, Any] = {}


@dataclass(frozen=True)
class Analyzed:
    """One item of the input after analysis: a document's result, or why it was skipped."""

    order: tuple[int, int]
    doc_id: str | None
    source: str
    result: DocResult | None = None
    error: InputError | None = None


def _analyzer(name: str):
    from distributed import get_worker

    plugin = get_worker().plugins[name]
    if plugin.analyzer is None:
        plugin.setup()
    return plugin.analyzer


def analyze_partition(sources: list[Source], plugin: str, batch_size: int, max_bytes: int,
                      fetch: dict | None = None) -> list[Analyzed]:
    analyzer = _analyzer(plugin)
    out: list[Analyzed] = []
    pending: list[tuple[tuple[int, int], Document]] = []

    def flush() -> None:
        for (order, d), r in zip(pending, analyzer.analyze([d for _, d in pending])):
            if isinstance(r, InputError):
                out.append(Analyzed(order, d.id, d.source, error=r))
            else:
                out.append(Analyzed(order, d.id, d.source, result=r))
        pending.clear()

    for src in sources:
        for k, item in enumerate(read_source(src, max_bytes, fetch)):
            if isinstance(item, InputError):
                out.append(Analyzed((src.order, k), None, item.source, error=item))
            else:
                pending.append(((src.order, k), item))
                if len(pending) >= batch_size:
                    flush()
    flush()
    return out


def _errors(items: list[Analyzed]) -> list[tuple[tuple[int, int], InputError]]:
    return [(a.order, a.error) for a in items if a.error is not None]


def _doc_ids(items: list[Analyzed]) -> list[tuple[str, tuple[tuple[int, int], str]]]:
    return [(a.doc_id, (a.order, a.source)) for a in items if a.doc_id is not None]


def _keep(items: list[Analyzed], dropped: set) -> list[tuple[tuple[int, int], DocResult]]:
    return [(a.order, a.result) for a in items if a.result is not None and a.order not in dropped]


def _summaries(results) -> list[crossdoc.KeySummary]:
    sums: dict = {}
    for order, result in results:
        crossdoc.add_up(crossdoc.summaries(order, result), sums)
    return list(sums.values())


def _doc_contexts(results, docs: set[str]) -> list[tuple[str, frozenset]]:
    return [(r.document.id, crossdoc.doc_context(r)) for _, r in results if r.document.id in docs]


def _group_contexts(results, group_of: dict) -> list[tuple[tuple, frozenset]]:
    out: dict = defaultdict(set)
    for _, r in results:
        context = None
        for e in r.entities:
            g = group_of.get(crossdoc.entity_key(r.document.id, e))
            if g is not None:
                context = crossdoc.doc_context(r) if context is None else context
                out[g] |= context
    return [(g, frozenset(c)) for g, c in out.items()]


def _entity_records(results, ids: dict) -> list[tuple]:
    out = []
    for _, r in results:
        doc_id = r.document.id
        near = crossdoc.countries(crossdoc.doc_context(r))
        for e in r.entities:
            out.append((ids[crossdoc.entity_key(doc_id, e)], doc_id, e, near))
    return out


def _relation_records(results, ids: dict) -> list[tuple]:
    from kg.model import relation_id
    from kg.relations import relation_items

    out = []
    for order, r in results:
        local = {e.index: ids[crossdoc.entity_key(r.document.id, e)] for e in r.entities}
        for key, item in relation_items(order, r, local.get):
            out.append((relation_id(*key), key, item))
    return out


def _split(records: list, bounds: list[str], parts: int) -> list[list]:
    out: list[list] = [[] for _ in range(parts)]
    for rec in records:
        out[bisect_right(bounds, rec[0])].append(rec)
    return out


def _finish_entities(pieces: list[list]) -> list[dict]:
    members: dict[str, list] = defaultdict(list)
    near: dict[str, set] = defaultdict(set)
    for piece in pieces:
        for entity_id, doc_id, e, places in piece:
            members[entity_id].append((doc_id, e))
            near[entity_id] |= places
    return [crossdoc.build_entity(i, members[i], near[i]).to_dict() for i in sorted(members)]


def _finish_relations(pieces: list[list], min_confidence: float) -> list[dict]:
    from kg.relations import build_relation

    items: dict[str, list] = defaultdict(list)
    keys: dict[str, tuple] = {}
    for piece in pieces:
        for rid, key, item in piece:
            items[rid].append(item)
            keys[rid] = key
    out = []
    for rid in sorted(items):
        relation = build_relation(keys[rid], items[rid])
        if relation.confidence >= min_confidence:
            out.append(relation.to_dict())
    return out


def _finish_documents(pieces: list[list]) -> list[dict]:
    return [d.to_dict() for d in sorted((d for piece in pieces for _, d in piece), key=lambda d: d.id)]


def _documents(results) -> list[tuple[str, Document]]:
    return [(r.document.id, r.document) for _, r in results]


def _sample_ids(records: list, every: int = 64) -> list[str]:
    ids = sorted(rec[0] for rec in records)
    return ids[every // 2::every] or ids[:1]


def _bounds_from(samples: list[str], parts: int) -> list[str]:
    ids = sorted(set(samples))
    return [ids[len(ids) * j // parts] for j in range(1, parts)] if len(ids) >= parts else ids[1:]


def _entity_bounds(ids: dict, parts: int) -> list[str]:
    return _bounds_from(list(set(ids.values())), parts)


def relation_bounds(parts: int) -> list[str]:
    """Bounds of ``parts`` ranges of relation ids (``rel:`` and 16 hex digits, uniform)."""
    return [f"rel:{j * 0x10000 // parts:04x}" for j in range(1, parts)]


def _kind_counts(kind: str, records: list[dict]) -> dict:
    return dict(Counter(r["type"] for r in records)) if kind != "documents" else {"documents": len(records)}


def _write_part(folder: str, kind: str, number: int, records: list[dict]):
    from kg.graph_stream import write_shard

    return write_shard(folder, kind, number, records)


# ---------------------------------------------------------------------------------------------
# The client side


@dataclass
class ClusterBuild:
    """What a cluster build did: the counts ``kg build`` prints, the skipped inputs, what it wrote."""

    documents: int = 0
    entities: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    failures: list[InputError] = field(default_factory=list)
    target: str = ""

    def summary(self) -> dict[str, object]:
        return {"documents": self.documents, "entities": dict(sorted(self.entities.items())),
                "relations": dict(sorted(self.relations.items())),
                "skipped": [{"source": f.source, "reason": f.reason} for f in self.failures]}


def connect(address: str | None, workers: int):
    """A ``distributed.Client``: to the scheduler at ``address`` (or ``DASK_SCHEDULER_ADDRESS``), else to a
    new ``LocalCluster`` of ``workers`` processes (one thread each), closed with the client."""
    import logging

    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise KGError(f"--dask needs dask.distributed: pip install 'dask[distributed]' ({exc})") from exc
    for name in ("distributed", "distributed.worker", "distributed.scheduler", "distributed.client"):
        logging.getLogger(name).setLevel(logging.CRITICAL)  # a failure is reported once, as kg's error line
    address = address or os.environ.get("DASK_SCHEDULER_ADDRESS") or None
    if address:
        return _client_within(address, CONNECT_SECONDS)
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR)
    client = Client(cluster)
    client._kg_cluster = cluster  # closed with the client (``close``)
    return client


CONNECT_SECONDS = 30


def _client_within(address: str, seconds: float):
    """A client of the scheduler at ``address``, or ``KGError`` when there is none there within ``seconds``:
    the whole handshake has a deadline (a port that accepts and never answers is no scheduler), and
    whatever answers that is no Dask scheduler is one error line, not a traceback."""
    import threading

    from distributed import Client

    box: dict[str, Any] = {}

    def connect() -> None:
        try:
            box["client"] = Client(address, timeout=f"{seconds}s")
        except BaseException as exc:  # noqa: BLE001 - reported below as the one error line
            box["error"] = exc

    thread = threading.Thread(target=connect, name="kg-dask-connect", daemon=True)
    thread.start()
    thread.join(seconds + 5)
    if "client" in box:
        return box["client"]
    exc = box.get("error")
    reason = f"{type(exc).__name__}: {exc}" if exc is not None else f"no answer within {seconds} s"
    raise KGError(f"cannot reach the Dask scheduler at {address}: {reason}")


def cluster_errors() -> tuple[type[BaseException], ...]:
    """What a cluster raises when it, not kg, fails: a worker that died, a lost connection, a timeout."""
    from concurrent.futures import CancelledError

    from distributed import KilledWorker
    from distributed.client import FutureCancelledError

    return (KilledWorker, FutureCancelledError, CancelledError, OSError, TimeoutError)


def close(client) -> None:
    cluster = getattr(client, "_kg_cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


def build_on_cluster(
    client, inputs: Sequence[str], out_dir: str | os.PathLike[str], *, fmt: str = "json", model: str | None = None,
    batch_size: int = 32, max_bytes: int = DEFAULT_MAX_BYTES, strict: bool = False, entity_files: Sequence[str] = (),
    min_confidence: float = 0.0, progress: Callable[[int], None] | None = None, fetch: dict | None = None,
) -> ClusterBuild:
    """Build the graph of ``inputs`` on the cluster ``client`` talks to and write it into ``out_dir``:
    ``graph.json`` (``fmt`` "json", written by this process a part at a time) or the JSON Lines form
    (``fmt`` "jsonl", each shard written by a worker). ``progress`` is called with the number of inputs
    analysed as partitions finish; ``fetch``: the cache, timeout and refresh of the workers' ``kg.fetch.Fetcher``
    for http(s) feeds and pages. With ``strict``, the first bad input is raised and nothing is written."""
    import dask
    import dask.bag as db
    from distributed import as_completed

    from kg.catalog import load_catalog
    from kg.nlp import DEFAULT_MODEL

    load_catalog(entity_files)  # a bad entity file is an error before any document is read
    sources, failures = list_sources(inputs)
    workers = max(1, len(client.nthreads()))
    plugin = AnalyzerPlugin(model or DEFAULT_MODEL, entity_files)
    client.register_plugin(plugin, name=plugin.name)
    # Partitions of about a batch of files, so the last ones keep every worker busy to the end, but at least
    # PARTITIONS_PER_WORKER and at most MAX_PARTITIONS_PER_WORKER a worker, for a scheduler of any corpus.
    n_parts = max(1, min(len(sources), max(workers * PARTITIONS_PER_WORKER,
                                           min(-(-len(sources) // batch_size), workers * MAX_PARTITIONS_PER_WORKER))))
    bag = db.from_sequence(sources, npartitions=n_parts) if sources else db.from_sequence([[]], npartitions=1).flatten()
    analyzed = client.persist(bag.map_partitions(analyze_partition, plugin.name, batch_size, max_bytes, fetch))
    if progress is not None:
        counts = client.compute([dask.delayed(len)(p) for p in analyzed.to_delayed()])
        for future in as_completed(counts):
            progress(future.result())

    errors, duplicated = client.compute([
        analyzed.map_partitions(_errors),
        analyzed.map_partitions(_doc_ids).foldby(operator.itemgetter(0), lambda acc, x: acc + [x[1]], [],
                                                 operator.add, []).filter(lambda kv: len(kv[1]) > 1),
    ], sync=True)
    failures += errors
    dropped = set()
    for doc_id, seen in duplicated:
        seen.sort()
        for order, source in seen[1:]:
            dropped.add(order)
            if source == seen[0][1] and is_web(source):
                continue  # one page listed by two feeds (or given twice) is one document, as kg.ingest reads it
            failures.append((order, InputError(source, f"duplicate document id {doc_id!r} (first read from {seen[0][1]})")))
    failures = [e for order, e in sorted(dict(failures).items(), key=lambda kv: kv[0])]
    if strict and failures:
        raise failures[0]

    results = client.persist(analyzed.map_partitions(_keep, dropped))
    n_docs = int(client.compute(results.count(), sync=True))  # on this client, never a default one
    resolution = client.persist(dask.delayed(crossdoc.Resolution)(
        dask.delayed(dict)(results.map_partitions(_summaries).foldby(lambda s: s.key, operator.add,
                                                                    combine=operator.add))))
    docs_needed, targets = client.compute(dask.delayed(crossdoc.Resolution.context_needs)(resolution), sync=True)
    doc_contexts: Any = {}
    group_contexts: Any = {}
    if targets:
        group_of = dask.delayed(lambda r, t: {k: g for k, g in r.group_of.items() if g in t})(resolution, targets)
        doc_contexts = dask.delayed(dict)(results.map_partitions(_doc_contexts, docs_needed))
        group_contexts = dask.delayed(dict)(results.map_partitions(_group_contexts, group_of).foldby(
            operator.itemgetter(0), lambda acc, x: acc | x[1], frozenset(), operator.or_, frozenset()))
    ids = client.persist(dask.delayed(crossdoc.Resolution.plan)(resolution, doc_contexts, group_contexts))

    parts = max(1, min(n_parts, -(-n_docs // DOCS_PER_PART)))
    documents = results.map_partitions(_documents)
    outputs = {
        "documents": _range_parts(documents, dask.delayed(_bounds_from)(documents.map_partitions(_sample_ids),
                                                                         parts), parts, _finish_documents),
        "entities": _range_parts(results.map_partitions(_entity_records, ids),
                                 dask.delayed(_entity_bounds)(ids, parts), parts, _finish_entities),
        "relations": _range_parts(results.map_partitions(_relation_records, ids), relation_bounds(parts), parts,
                                  _finish_relations, min_confidence),
    }
    build = ClusterBuild(failures=failures)
    if fmt == "jsonl":
        _write_jsonl(client, outputs, out_dir, build)
    else:
        _write_json(client, outputs, out_dir, build)
    return build


def _range_parts(bag, bounds, parts: int, finish, *args) -> list:
    """The records of ``bag`` (tuples whose first item is an id) in ``parts`` parts by id range, each
    finished by ``finish`` (grouped by id, sorted): part ``j`` holds ids below those of part ``j + 1``."""
    import dask

    split = bag.map_partitions(_split, bounds, parts).to_delayed()
    return [dask.delayed(finish)([dask.delayed(operator.getitem)(s, j) for s in split], *args) for j in range(parts)]


def _write_json(client, outputs: dict, out_dir, build: ClusterBuild) -> None:
    from kg.graph_stream import GRAPH_JSON, remove_jsonl_build, write_graph_json
    from kg.loaders.base import write_atomic

    futures = {kind: client.compute(parts) for kind, parts in outputs.items()}

    def records(kind: str):
        for future in futures[kind]:
            part = future.result()
            future.release()
            if kind == "documents":
                build.documents += len(part)
            else:
                getattr(build, kind).update(r["type"] for r in part)
            yield from part

    path = Path(out_dir) / GRAPH_JSON
    write_atomic(path, lambda fh: write_graph_json(fh, {kind: records(kind) for kind in outputs}))
    remove_jsonl_build(out_dir)
    build.target = str(path)


def _write_jsonl(client, outputs: dict, out_dir, build: ClusterBuild) -> None:
    import dask

    from kg.graph_stream import write_index

    folder = str(Path(out_dir).resolve())
    Path(folder).mkdir(parents=True, exist_ok=True)
    shards = {kind: [dask.delayed(_write_part)(folder, kind, j, part) for j, part in enumerate(parts)]
              for kind, parts in outputs.items()}
    counts = {kind: [dask.delayed(_kind_counts)(kind, part) for part in parts] for kind, parts in outputs.items()}
    shards, counts = client.compute([shards, counts], sync=True)
    unseen = [s.file for found in shards.values() for s in found if not (Path(folder) / s.file).is_file()]
    if unseen:
        raise KGError(f"the workers wrote {unseen[0]} (and {len(unseen) - 1} more) where this machine does not see "
                      f"them: --out {out_dir} must be a folder that this machine and every worker share")
    for kind, found in counts.items():
        for c in found:
            if kind == "documents":
                build.documents += c["documents"]
            else:
                getattr(build, kind).update(c)
    build.target = str(write_index(folder, shards))


def _csv_part(index: str, kind: str, shard: dict, out_dir: str, number: int) -> dict[str, tuple[str, int]]:
    from kg.graph_stream import JsonlSource, Shard
    from kg.loaders.neo4j_csv import write_part

    return write_part(out_dir, kind, number, JsonlSource(index).shard_records(kind, Shard(**shard)))


def export_csv_on_cluster(client, source, out_dir: str | os.PathLike[str]):
    """The neo4j-admin import files of the JSON Lines build ``source`` (a ``JsonlSource``), each shard turned
    into its parts by a worker (which must reach the build's folder and ``out_dir``), then the header
    files and ``import.sh`` that import all the parts."""
    from dataclasses import asdict

    import dask

    from kg.errors import StoreError
    from kg.graph_stream import KINDS
    from kg.loaders.base import WriteReport
    from kg.loaders.neo4j_csv import write_script

    folder = Path(out_dir).resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot write {folder}: {exc.strerror or exc}") from exc
    tasks = [dask.delayed(_csv_part)(str(Path(source.path).resolve()), kind, asdict(shard), str(folder), j)
             for kind in KINDS for j, shard in enumerate(source.shards[kind])]
    parts: dict[str, list[str]] = defaultdict(list)
    counts: Counter = Counter()
    for written in client.compute(tasks, sync=True):
        for name, (part, n) in written.items():
            parts[name].append(part)
            counts[name.removesuffix(".csv")] += n
    write_script(folder, dict(parts))
    return WriteReport(target=str(folder), counts=dict(counts))


__all__ = ["AnalyzerPlugin", "ClusterBuild", "Source", "build_on_cluster", "close", "cluster_errors", "connect",
           "export_csv_on_cluster", "list_sources", "read_source", "relation_bounds"]
