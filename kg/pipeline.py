"""The pipeline: files -> documents -> clean text -> parse -> mentions -> entities -> graph.

``build`` streams: documents are read, parsed and reduced to ``DocResult``s in
batches, and no spaCy ``Doc`` or document text outlives its batch, so memory
grows with the graph, not with the input. With ``workers > 1`` batches are
parsed in worker processes, each loading the model once; results come back
in input order, so the graph is the same whatever the number of workers.
"""

from __future__ import annotations

import os
from collections import Counter, deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, Sequence

from kg.catalog import load_catalog
from kg.clean import CleanText, clean, dateline_date
from kg.errors import InputError, KGError
from kg.fetch import Fetcher
from kg.ingest import DEFAULT_MAX_BYTES, read_documents
from kg.model import DocResult, Document, Graph
from kg.resolve import merge
from kg.sections import join, not_prose, sections

DEFAULT_BATCH = 32


@dataclass
class BuildStats:
    documents: int = 0
    failures: list[InputError] = field(default_factory=list)

    def summary(self, graph: Graph) -> dict[str, object]:
        return {
            "documents": len(graph.documents),
            "entities": dict(sorted(Counter(e.type.value for e in graph.entities).items())),
            "relations": dict(sorted(Counter(r.type.value for r in graph.relations).items())),
            "skipped": [{"source": f.source, "reason": f.reason} for f in self.failures],
        }


class Analyzer:
    """Runs the per-document stages with one loaded spaCy pipeline."""

    def __init__(self, model: str, entity_files: Sequence[str] = ()) -> None:
        from kg import components, nlp

        # The spaCy pipeline with kg's components (kg.components), as a spaCy user adds them.
        self.nlp = nlp.kg_pipeline(model, entity_files)
        self.lexicon = nlp.common_words(self.nlp)
        self._parse = nlp.parse
        self._attach, self._guard = components.attach, components.guard

    def clean(self, document: Document) -> CleanText:
        return clean(document, self.lexicon)

    def analyze(self, documents: Sequence[Document]) -> list[DocResult | InputError]:
        """One result per document, in order: its ``DocResult`` or the error that stopped it."""
        cleaned: list[tuple[Document, CleanText | InputError]] = []
        for d in documents:
            try:
                c = self.clean(d)
                problem = not_prose(c.text) if c.text.strip() else "no article text after clean-up"
                if not problem and not d.published:  # a wire dateline dates every section, not just the first
                    d = replace(d, published=dateline_date(c))
                cleaned.append((d, InputError(d.source, problem) if problem else c))
            except Exception as exc:  # a bug on one document must not stop the batch
                cleaned.append((d, InputError(d.source, f"clean-up failed: {exc!r}")))
        # A long text is read in sections (kg.sections), each parsed and analysed on its own.
        items = [(s.text, (d, s)) for d, c in cleaned if isinstance(c, CleanText) for s in sections(c)]
        parsed: dict[int, list] = {}
        failures: dict[int, str] = {}
        self._guard(self.nlp, failures)
        for doc, (d, ct) in self._parse(self.nlp, items, prepare=self._attach):
            parsed.setdefault(id(d), []).append((doc, ct))
        out: list[DocResult | InputError] = []
        for d, c in cleaned:
            if isinstance(c, InputError) or id(d) in failures:
                out.append(c if isinstance(c, InputError) else InputError(d.source, failures[id(d)]))
                continue
            try:
                out.append(join([self.analyze_parsed(d, ct, doc) for doc, ct in parsed[id(d)]]))
            except Exception as exc:
                out.append(InputError(d.source, f"analysis failed: {exc!r}"))
        return out

    def analyze_parsed(self, document: Document, ct: CleanText, doc: Any) -> DocResult:
        """The result of one parsed section: what the kg_entities and kg_relations components found."""
        record = replace(document, text="", title=ct.title, published=document.published or dateline_date(ct))
        return DocResult(document=record, entities=doc._.kg_entities, relations=doc._.kg_relations)


_WORKER: Analyzer | None = None


def _init_worker(model: str, entity_files: Sequence[str]) -> None:
    global _WORKER
    _WORKER = Analyzer(model, entity_files)


def _analyze_in_worker(documents: list[Document]) -> list[DocResult | InputError]:
    assert _WORKER is not None
    return _WORKER.analyze(documents)


def _batches(items: Iterable[Document | InputError], size: int) -> Iterator[list[Document | InputError]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def analyze_stream(
    items: Iterable[Document | InputError], *, model: str, workers: int = 1, batch_size: int = DEFAULT_BATCH,
    entity_files: Sequence[str] = (),
) -> Iterator[DocResult | InputError]:
    """Per-document results in input order; input errors pass through in place."""
    if workers <= 1:
        analyzer = Analyzer(model, entity_files)
        for batch in _batches(items, batch_size):
            yield from _merge_batch(batch, analyzer.analyze([d for d in batch if isinstance(d, Document)]))
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                             initargs=(model, tuple(entity_files))) as pool:
        window: deque[tuple[list[Document | InputError], Future]] = deque()
        for batch in _batches(items, batch_size):
            window.append((batch, pool.submit(_analyze_in_worker, [d for d in batch if isinstance(d, Document)])))
            if len(window) >= 2 * workers:
                done_batch, fut = window.popleft()
                yield from _merge_batch(done_batch, fut.result())
        while window:
            done_batch, fut = window.popleft()
            yield from _merge_batch(done_batch, fut.result())


def _merge_batch(
    batch: list[Document | InputError], results: list[DocResult | InputError]
) -> Iterator[DocResult | InputError]:
    it = iter(results)
    for item in batch:
        yield item if isinstance(item, InputError) else next(it)


def build(
    inputs: Sequence[str],
    *,
    model: str | None = None,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH,
    max_bytes: int = DEFAULT_MAX_BYTES,
    strict: bool = False,
    on_result: Callable[[DocResult | InputError], None] | None = None,
    entity_files: Sequence[str] = (),
    min_confidence: float = 0.0,
    fetcher: Fetcher | None = None,
) -> tuple[Graph, BuildStats]:
    """Build the graph of ``inputs`` (files, directories, globs).

    Bad inputs are collected in ``BuildStats.failures``; with ``strict`` the
    first one is raised instead. ``on_result`` is called once per document
    (for progress display). ``entity_files``: JSON Lines files of known entities (``kg.catalog``);
    ``min_confidence``: relations below it are left out; ``fetcher``: how URLs are fetched (``kg.fetch``).
    """
    from kg.nlp import DEFAULT_MODEL

    stats = BuildStats()
    results: list[DocResult] = []
    stream = read_documents(inputs, max_bytes=max_bytes, fetcher=fetcher)
    load_catalog(entity_files)  # a bad entity file is an error before any document is read
    for item in analyze_stream(stream, model=model or DEFAULT_MODEL, workers=workers, batch_size=batch_size,
                               entity_files=entity_files):
        if on_result is not None:
            on_result(item)
        if isinstance(item, InputError):
            if strict:
                raise item
            stats.failures.append(item)
            continue
        stats.documents += 1
        results.append(item)
    return assemble(results, min_confidence), stats


def assemble(results: Sequence[DocResult], min_confidence: float = 0.0) -> Graph:
    """The graph of the documents' results: merged entities and their relations (those of at least
    ``min_confidence``)."""
    from kg.relations import merge_relations

    entities, local_to_id = merge(results)
    relations = [r for r in merge_relations(results, local_to_id) if r.confidence >= min_confidence]
    documents = tuple(sorted((r.document for r in results), key=lambda d: d.id))
    return Graph(documents=documents, entities=tuple(entities), relations=tuple(relations))


def default_workers() -> int:
    return max(1, min(4, (os.cpu_count() or 1)))


__all__ = ["Analyzer", "BuildStats", "KGError", "analyze_stream", "assemble", "build", "default_workers"]
