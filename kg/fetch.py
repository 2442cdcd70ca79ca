"""Reading news from the web: an RSS/Atom feed (its items' pages) or an article's URL, in; ``Document``s
or ``InputError``s out, as ``kg.ingest`` gives them for files.

Every request carries a ``User-Agent`` naming kg-news and its version and a timeout; a timeout, a
dropped connection or an HTTP 5xx/429 answer is retried with exponential back-off (1 s, 2 s, 4 s …),
a 4xx answer is not. Answers are kept in a cache folder (default: the user's cache folder,
``~/.cache/kg-news/fetch`` on Linux), one body and one JSON record per URL, so a second build of the
same URLs makes no request (``refresh`` fetches again). A URL that cannot be fetched is an
``InputError`` naming it, reported like a bad file.

A feed is parsed with feedparser (it is never given a URL: kg fetches); each item's link is fetched
and its article text extracted with trafilatura, as for an ``.html`` file. ``published`` comes from
the item's date in the feed, else from the page's metadata; ``url`` is the item's link (the URL for
a page), ``source`` the URL it was read from, and the id is made from the URL (its last path segment
and a hash of it: ``russia-offers-aid-1f3a9c02b4``), the same in every run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.client import HTTPException, InvalidURL
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import unquote, urlsplit

from kg import __version__
from kg.errors import InputError
from kg.model import Document

USER_AGENT = f"kg-news/{__version__} (+https://pypi.org/project/kg-news/)"
DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 3
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")
_FEED_START = re.compile(rb"<(rss|feed|rdf:rdf)[\s>]", re.I)
_RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
_SLUG = re.compile(r"[^a-z0-9]+")


def is_url(text: str) -> bool:
    """Whether a build input names a web address (``http://`` or ``https://``) rather than a file."""
    return text.lower().startswith(("http://", "https://"))


def default_cache() -> Path:
    """The user's cache folder for kg-news's fetched pages."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("kg-news")) / "fetch"


class FetchError(InputError):
    """A URL could not be fetched; ``retryable`` says whether trying later can help."""

    def __init__(self, url: str, reason: str, *, retryable: bool = False) -> None:
        super().__init__(url, reason)
        self.retryable = retryable


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    content_type: str
    body: bytes
    final_url: str = ""

    @property
    def mime(self) -> str:
        return self.content_type.split(";")[0].strip().lower()


@dataclass
class Fetcher:
    """Fetches URLs politely, through a cache folder.

    ``timeout``: seconds a request may wait for the server; ``retries``: further attempts after a
    timeout, a dropped connection or a 5xx/429 answer, after ``backoff``, 2 × ``backoff`` … seconds;
    ``refresh``: fetch even what the cache holds. ``requests`` counts the requests made.
    """

    cache: Path | None = None
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    backoff: float = 1.0
    refresh: bool = False
    max_bytes: int = 10 * 1024 * 1024
    sleep: Callable[[float], None] = time.sleep
    requests: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.cache = Path(self.cache) if self.cache is not None else default_cache()

    def get(self, url: str) -> Response:
        """The answer for ``url``, from the cache or the server; ``FetchError`` when there is none."""
        cached = None if self.refresh else self._cached(url)
        if cached is not None:
            return cached
        attempt = 0
        while True:
            try:
                response = self._request(url)
                break
            except FetchError as exc:
                if not exc.retryable or attempt >= self.retries:
                    raise
                self.sleep(self.backoff * 2**attempt)
                attempt += 1
        self._store(response)
        return response

    def _request(self, url: str) -> Response:
        self.requests += 1
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                body = answer.read(self.max_bytes + 1)
                status, content_type, final = answer.status, answer.headers.get("Content-Type", ""), answer.url
        except urllib.error.HTTPError as exc:
            raise FetchError(url, f"cannot fetch: HTTP {exc.code} {exc.reason}",
                             retryable=exc.code in _RETRY_STATUS) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            timed_out = isinstance(reason, TimeoutError)
            raise FetchError(url, f"cannot fetch: {'timed out after ' + _secs(self.timeout) if timed_out else reason}",
                             retryable=isinstance(reason, (TimeoutError, ConnectionError))) from None
        except TimeoutError:
            raise FetchError(url, f"cannot fetch: timed out after {_secs(self.timeout)}", retryable=True) from None
        except (ConnectionError, HTTPException) as exc:  # a connection dropped mid-answer; a malformed URL
            raise FetchError(url, f"cannot fetch: {type(exc).__name__}: {exc}",
                             retryable=not isinstance(exc, InvalidURL)) from None
        except OSError as exc:
            raise FetchError(url, f"cannot fetch: {exc.strerror or exc}") from None
        except ValueError as exc:  # not a URL urllib can open
            raise FetchError(url, f"cannot fetch: {exc}") from None
        if len(body) > self.max_bytes:
            raise FetchError(url, f"answer is over the {self.max_bytes / 2**20:.1f} MiB limit (raise it with --max-bytes)")
        return Response(url=url, status=status, content_type=content_type, body=body, final_url=final)

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        assert self.cache is not None
        return self.cache / f"{key}.json", self.cache / f"{key}.body"

    def _cached(self, url: str) -> Response | None:
        meta_path, body_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if meta.get("url") != url or len(body) != meta.get("size"):
            return None
        return Response(url=url, status=meta["status"], content_type=meta["content_type"], body=body,
                        final_url=meta.get("final_url", url))

    def _store(self, response: Response) -> None:
        """Keep the answer (body first, then its record: a record always has its whole body)."""
        meta_path, body_path = self._paths(response.url)
        record = {"url": response.url, "final_url": response.final_url, "status": response.status,
                  "content_type": response.content_type, "size": len(response.body),
                  "fetched": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
        try:
            meta_path.parent.mkdir(parents=True, exist_ok=True)
            for path, data in ((body_path, response.body), (meta_path, json.dumps(record).encode())):
                tmp = path.with_name(f".{path.name}-{os.getpid()}.tmp")
                tmp.write_bytes(data)
                os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only costs a fetch next time


def read_url(url: str, fetcher: Fetcher) -> Iterator[Document | InputError]:
    """The documents of ``url``: each item of a feed, or the article of a page."""
    try:
        response = fetcher.get(url)
    except FetchError as exc:
        yield exc
        return
    if _is_feed(response):
        yield from _read_feed(response, fetcher)
    else:
        yield _read_page(response)


def _is_feed(response: Response) -> bool:
    if response.mime in FEED_TYPES:
        return True
    head = response.body[:2048]
    return ("xml" in response.mime or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml")) and bool(
        _FEED_START.search(head))


def _read_feed(response: Response, fetcher: Fetcher) -> Iterator[Document | InputError]:
    import feedparser

    feed = feedparser.parse(response.body, response_headers={"content-type": response.content_type,
                                                             "content-location": response.url})
    if not feed.entries:
        problem = f": {feed.bozo_exception}" if feed.get("bozo") else ""
        yield InputError(response.url, f"feed holds no items{problem}")
        return
    for n, entry in enumerate(feed.entries, 1):
        link = entry.get("link")
        if not link or not is_url(link):
            yield InputError(f"{response.url}#{n}", "feed item has no http(s) link to its article")
            continue
        try:
            page = fetcher.get(link)
        except FetchError as exc:
            yield exc
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = dt.date(*stamp[:3]).isoformat() if stamp else None
        yield _read_page(page, title=entry.get("title") or None, published=published)


def _read_page(response: Response, *, title: str | None = None, published: str | None = None) -> Document | InputError:
    from kg.ingest import html_document

    url = response.url
    if response.mime in ("text/html", "application/xhtml+xml", "") or response.body.lstrip()[:15].lower().startswith(
            (b"<!doctype html", b"<html")):
        from trafilatura.utils import decode_file

        return html_document(decode_file(response.body), doc_id=document_id(url), source=url, url=url,
                             title=title, published=published)
    if response.mime == "text/plain":
        text = response.body.decode("utf-8", errors="replace")
        if not text.strip():
            return InputError(url, "empty: no text")
        return Document(id=document_id(url), text=text, source=url, title=title, url=url, published=published)
    return InputError(url, f"not an HTML page, a text or a feed (Content-Type {response.content_type or 'none'})")


def document_id(url: str) -> str:
    """The id of the document read from ``url``: its last path segment (without extension) and a hash
    of the whole URL, so two URLs never share one.

    >>> document_id("https://news.example.org/world/russia-offers-aid.html?ref=rss")
    'russia-offers-aid-6b8351ee4b'
    """
    parts = urlsplit(url)
    segment = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]).rsplit(".", 1)[0] or parts.hostname or "page"
    slug = _SLUG.sub("-", segment.lower()).strip("-")[:60] or "page"
    return f"{slug}-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:10]}"


def _secs(seconds: float) -> str:
    return f"{seconds:g} s"
