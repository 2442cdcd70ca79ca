"""Reading input: paths, directories and globs in; ``Document`` or ``InputError`` out.

Formats, by file ending:

- ``.txt``, ``.text`` and anything else: UTF-8 text (a BOM is dropped).
- ``.html``, ``.htm``: the article text extracted with trafilatura, headline
  first. Offsets then point into that extracted text, not into the markup.
- ``.jsonl``, ``.ndjson``: one JSON object a line with ``text`` and optional
  ``id``, ``title``, ``url``, ``published``. A bad line is reported with its
  line number and the other lines are read.
- an ``http(s)://`` URL: an RSS/Atom feed (each item's page) or a page (``kg.fetch``).

Reading never raises for a bad file: each problem is yielded as an
``InputError`` naming the file, and the caller decides whether to go on.
"""

from __future__ import annotations

import glob
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from kg.errors import InputError
from kg.fetch import Fetcher, is_url, read_url
from kg.model import Document

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
TEXT_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES


@dataclass(frozen=True)
class SourceFile:
    path: Path
    display: str


def expand_paths(inputs: Iterable[str]) -> Iterator[SourceFile | InputError]:
    """Files named by ``inputs``: files as given, directories walked for known endings, globs expanded.

    Order is sorted within each input so a build is reproducible.
    """
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in KNOWN_SUFFIXES
            )
            if not found:
                yield InputError(raw, "directory holds no .txt, .html or .jsonl files")
            for p in found:
                yield SourceFile(p, str(p))
        elif path.exists():
            yield SourceFile(path, raw)
        elif glob.has_magic(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            files = [m for m in matches if os.path.isfile(m)]
            if not files:
                yield InputError(raw, "pattern matches no file")
            for m in files:
                yield SourceFile(Path(m), m)
        else:
            yield InputError(raw, "no such file or directory")


def read_documents(
    inputs: Iterable[str], *, max_bytes: int = DEFAULT_MAX_BYTES, fetcher: Fetcher | None = None
) -> Iterator[Document | InputError]:
    """Documents from ``inputs``, one at a time, with an ``InputError`` for each one that fails.

    An input that is an ``http(s)://`` URL (a feed or a page) is read through ``fetcher``
    (``kg.fetch``; by default one with the user's cache folder).
    """
    seen: dict[str, str] = {}
    for doc in _documents(inputs, max_bytes, fetcher):
        if isinstance(doc, Document):
            if seen.get(doc.id) == doc.source and is_url(doc.source):
                continue  # one page listed by two feeds (or given twice) is one document
            if doc.id in seen:
                yield InputError(doc.source, f"duplicate document id {doc.id!r} (first read from {seen[doc.id]})")
                continue
            seen[doc.id] = doc.source
        yield doc


def _documents(inputs: Iterable[str], max_bytes: int, fetcher: Fetcher | None) -> Iterator[Document | InputError]:
    for raw in inputs:
        if is_url(raw):
            yield from read_url(raw, fetcher or Fetcher(max_bytes=max_bytes))
            continue
        for item in expand_paths([raw]):
            if isinstance(item, InputError):
                yield item
            else:
                yield from _read_file(item, max_bytes)


def _read_file(src: SourceFile, max_bytes: int) -> Iterator[Document | InputError]:
    try:
        size = src.path.stat().st_size
        if size > max_bytes:
            yield InputError(
                src.display,
                f"file is {size / 2**20:.1f} MiB, over the {max_bytes / 2**20:.1f} MiB limit (raise it with --max-bytes)",
            )
            return
        data = src.path.read_bytes()
    except OSError as exc:
        yield InputError(src.display, f"cannot read: {exc.strerror or exc}")
        return
    if b"\x00" in data[:8192]:
        yield InputError(src.display, "binary file (NUL bytes), not text")
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield InputError(src.display, f"not valid UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 1]!r})")
        return
    suffix = src.path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl(src, text)
        return
    if suffix in HTML_SUFFIXES:
        doc = _read_html(src, text)
    else:
        doc = Document(id=src.path.stem, text=text, source=src.display)
    if isinstance(doc, Document) and not doc.text.strip():
        yield InputError(src.display, "empty: no text")
        return
    yield doc


def _read_html(src: SourceFile, html: str) -> Document | InputError:
    return html_document(html, doc_id=src.path.stem, source=src.display)


def html_document(html: str, *, doc_id: str, source: str, url: str | None = None, title: str | None = None,
                  published: str | None = None) -> Document | InputError:
    """The article of an HTML page, extracted with trafilatura, headline first. ``title``, ``url`` and
    ``published`` given (from a feed) win over the page's metadata."""
    import trafilatura  # imported here: only HTML input pays for it

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True)
    if not text:
        return InputError(source, "HTML page holds no extractable article text")
    meta = trafilatura.extract_metadata(html)
    title = title or (meta.title if meta is not None else None)
    published = published or (meta.date if meta is not None else None)
    url = url or (meta.url if meta is not None else None)
    if title and not text.startswith(title):
        # Keep the headline in the text so it is extracted from, like a text file's first line.
        text = f"{title}\n\n{text}"
    return Document(id=doc_id, text=text, source=source, title=title, url=url, published=published)


def _read_jsonl(src: SourceFile, text: str) -> Iterator[Document | InputError]:
    count = 0
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{src.display}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"not JSON ({exc.msg})")
            continue
        if not isinstance(record, dict):
            yield InputError(where, "line is not a JSON object")
            continue
        record = {k: _unicode(v) if isinstance(v, str) else v for k, v in record.items()}
        body = record.get("text")
        if not isinstance(body, str) or not body.strip():
            yield InputError(where, "no 'text' field with text in it")
            continue
        count += 1
        doc_id = record.get("id")
        doc_id = str(doc_id) if doc_id not in (None, "") else f"{src.path.stem}-{lineno}"
        yield Document(
            id=doc_id,
            text=body,
            source=where,
            title=_opt_str(record.get("title")),
            url=_opt_str(record.get("url")),
            published=_opt_str(record.get("published")),
        )
    if count == 0 and text.strip() == "":
        yield InputError(src.display, "empty: no text")


def _opt_str(value: object) -> str | None:
    return None if value is None else _unicode(str(value))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _unicode(text: str) -> str:
    """``text`` with each unpaired surrogate (JSON allows ``"\\ud800"``; no encoder does) replaced by
    U+FFFD, one character for one, so offsets are unchanged."""
    return _SURROGATE.sub("\ufffd", text)
