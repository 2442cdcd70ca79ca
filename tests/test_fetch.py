"""Feeds and URLs (kg/fetch.py) against a real HTTP server on 127.0.0.1 that counts its requests: the tests
never reach the internet."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import kg
from kg.cli import main
from kg.fetch import USER_AGENT, FetchError, Fetcher, document_id, read_url
from kg.model import Graph

ARTICLES = {
    "/news/aid.html": ("Russia Offers Aid to NATO",
                       "Russia will give technical aid to NATO in Afghanistan, Defence Minister Sergei Ivanov said. "
                       "Ivanov met NATO Secretary-General Jaap de Hoop Scheffer in Brussels on Monday."),
    "/news/troops.html": ("Germany Sends Troops",
                          "Germany will send troops to Mali, Chancellor Angela Merkel said on Friday. "
                          "Merkel met French President Emmanuel Macron in Paris."),
    "/news/dated.html": ("Spain Backs Plan",
                         "Spain supported the European Union plan, Prime Minister Pedro Sanchez said in Madrid."),
}


def page(title: str, body: str, published: str | None = None) -> bytes:
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    paragraphs = "".join(f"<p>{body} {body}</p>" for _ in range(3))
    return (f"<!DOCTYPE html><html><head><title>{title}</title>{meta}</head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>{title}</h1>{paragraphs}</article><footer>Copyright Example News</footer></body></html>"
            ).encode("utf-8")


def rss(base: str, items: list[tuple[str, str, str | None]]) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link>"
        + (f"<pubDate>{date}</pubDate>" if date else "") + "</item>" for path, title, date in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Example News</title>'
            f"<link>{base}/</link><description>World</description>{entries}</channel></rss>").encode("utf-8")


class Server:
    """An HTTP server in a thread: ``routes`` maps a path to (status, content type, body) or a callable
    giving them; every request is recorded as (path, User-Agent)."""

    def __init__(self) -> None:
        self.routes: dict[str, object] = {}
        self.requests: list[tuple[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                server.requests.append((self.path, self.headers.get("User-Agent", "")))
                route = server.routes.get(self.path, (404, "text/plain", b"not found"))
                status, ctype, body = route() if callable(route) else route
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        class Quiet(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that gave up (a timeout test) is no error of the server's

        self.httpd = Quiet(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def paths(self) -> list[str]:
        return [p for p, _ in self.requests]

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = Server()
    for path, (title, body) in ARTICLES.items():
        published = "2021-05-04" if path == "/news/dated.html" else None
        s.routes[path] = (200, "text/html; charset=utf-8", page(title, body, published))
    s.routes["/feed.xml"] = (200, "application/rss+xml", rss(s.base, [
        ("/news/aid.html", "Russia Offers Aid to NATO", "Tue, 16 Mar 2004 10:00:00 GMT"),
        ("/news/troops.html", "Germany Sends Troops", "Fri, 19 Mar 2004 08:30:00 +0100"),
    ]))
    yield s
    s.stop()


def build(runner, tmp_path, *args: str, out: str = "out"):
    return runner.invoke(main, ["build", *args, "--out", str(tmp_path / out), "--cache", str(tmp_path / "cache"),
                                "--store", "none", "--no-viz", "--no-rdf"])


def test_fetch_feed_builds_its_items_and_a_rerun_fetches_nothing(server, runner, tmp_path):
    """The measurement of issue 16: an RSS feed with two items and their pages, served locally."""
    result = build(runner, tmp_path, f"{server.base}/feed.xml")
    assert result.exit_code == 0, result.output
    assert sorted(server.paths()) == ["/feed.xml", "/news/aid.html", "/news/troops.html"]
    assert {agent for _, agent in server.requests} == {USER_AGENT} and USER_AGENT.startswith(f"kg-news/{kg.__version__}")
    graph = Graph.load(str(tmp_path / "out" / "graph.json"))
    docs = {d.url: d for d in graph.documents}
    assert set(docs) == {f"{server.base}/news/aid.html", f"{server.base}/news/troops.html"}
    assert docs[f"{server.base}/news/aid.html"].published == "2004-03-16"
    assert docs[f"{server.base}/news/troops.html"].published == "2004-03-19"
    assert docs[f"{server.base}/news/aid.html"].title == "Russia Offers Aid to NATO"
    assert {d.id for d in graph.documents} == {document_id(url) for url in docs}
    assert {"Sergei Ivanov", "NATO", "Angela Merkel", "Mali"} <= {e.name for e in graph.entities}
    # "on Monday" is resolved against the item's date in the feed (Tuesday 16 March 2004).
    met = [r for r in graph.relations if r.type.value == "MET_WITH" and "person:sergei-ivanov" in (r.subject, r.object)]
    assert met and {r.attributes.get("when") for r in met} == {"2004-03-15"}

    requests = len(server.requests)
    again = build(runner, tmp_path, f"{server.base}/feed.xml", out="again")
    assert again.exit_code == 0, again.output
    assert len(server.requests) == requests  # everything came from the cache
    assert (tmp_path / "again" / "graph.json").read_bytes() == (tmp_path / "out" / "graph.json").read_bytes()

    refreshed = runner.invoke(main, ["build", f"{server.base}/feed.xml", "--out", str(tmp_path / "fresh"),
                                     "--cache", str(tmp_path / "cache"), "--refresh", "--store", "none",
                                     "--no-viz", "--no-rdf"])
    assert refreshed.exit_code == 0 and len(server.requests) == requests + 3


def test_fetch_a_page_url_with_its_date(server, runner, tmp_path):
    url = f"{server.base}/news/dated.html"
    result = build(runner, tmp_path, url, "--summary-json")
    assert result.exit_code == 0, result.output
    [doc] = Graph.load(str(tmp_path / "out" / "graph.json")).documents
    assert (doc.url, doc.source, doc.published, doc.title) == (url, url, "2021-05-04", "Spain Backs Plan")


def test_fetch_failures_are_reported_like_bad_files(server, runner, tmp_path):
    server.routes["/broken.xml"] = (200, "application/rss+xml", rss(server.base, [
        ("/news/aid.html", "Russia Offers Aid to NATO", None), ("/news/gone.html", "Gone", None)]))
    server.routes["/report.pdf"] = (200, "application/pdf", b"%PDF-1.4")
    result = build(runner, tmp_path, f"{server.base}/broken.xml", f"{server.base}/report.pdf",
                   str(tmp_path / "missing.txt"))
    assert result.exit_code == 1, result.output
    assert f"skipped {server.base}/news/gone.html: cannot fetch: HTTP 404" in result.output
    assert f"skipped {server.base}/report.pdf: not an HTML page, a text or a feed (Content-Type application/pdf)" \
        in result.output
    assert "missing.txt: no such file or directory" in result.output
    assert "Traceback" not in result.output
    [doc] = Graph.load(str(tmp_path / "out" / "graph.json")).documents
    assert doc.url == f"{server.base}/news/aid.html" and doc.published is None  # the feed gave no date
    # A failure is not cached: the page is asked for again next time.
    assert server.paths().count("/news/gone.html") == 1
    build(runner, tmp_path, f"{server.base}/broken.xml", out="again")
    assert server.paths().count("/news/gone.html") == 2


def test_fetch_a_page_in_two_feeds_is_one_document(server, runner, tmp_path):
    server.routes["/other.xml"] = (200, "application/atom+xml", (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Other</title>'
        f'<id>urn:other</id><updated>2004-03-20T00:00:00Z</updated><entry><title>Germany Sends Troops</title>'
        f'<id>urn:troops</id><link href="{server.base}/news/troops.html"/><updated>2004-03-19T07:30:00Z</updated>'
        f"</entry></feed>").encode())
    result = build(runner, tmp_path, f"{server.base}/feed.xml", f"{server.base}/other.xml")
    assert result.exit_code == 0, result.output
    assert len(Graph.load(str(tmp_path / "out" / "graph.json")).documents) == 2
    assert server.paths().count("/news/troops.html") == 1  # the second time from the cache


def test_fetch_an_unreachable_host_is_a_bad_input(runner, tmp_path):
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    fetcher = Fetcher(cache=tmp_path / "cache", retries=1, backoff=0.01)
    [error] = list(read_url(f"http://127.0.0.1:{port}/feed.xml", fetcher))
    assert isinstance(error, FetchError) and "cannot fetch" in error.reason and "refused" in error.reason.lower()
    assert fetcher.requests == 2


def test_fetch_retries_server_errors_with_back_off(server, tmp_path):
    answers = iter([(503, "text/plain", b"busy"), (502, "text/plain", b"bad gateway"),
                    (200, "text/html", page("Later", "Poland joined NATO in 1999, officials said in Warsaw."))])
    server.routes["/flaky.html"] = lambda: next(answers)
    slept: list[float] = []
    fetcher = Fetcher(cache=tmp_path / "cache", backoff=0.5, sleep=slept.append)
    response = fetcher.get(f"{server.base}/flaky.html")
    assert response.status == 200 and slept == [0.5, 1.0] and fetcher.requests == 3
    # Not a 404: that cannot get better by asking again.
    with pytest.raises(FetchError, match="HTTP 404") as raised:
        fetcher.get(f"{server.base}/nothing-here.html")
    assert not raised.value.retryable and fetcher.requests == 4 and slept == [0.5, 1.0]


def test_fetch_gives_up_after_its_retries(server, tmp_path):
    server.routes["/down.html"] = (500, "text/plain", b"error")
    slept: list[float] = []
    fetcher = Fetcher(cache=tmp_path / "cache", retries=3, backoff=1.0, sleep=slept.append)
    with pytest.raises(FetchError, match="HTTP 500") as raised:
        fetcher.get(f"{server.base}/down.html")
    assert raised.value.retryable and slept == [1.0, 2.0, 4.0] and server.paths().count("/down.html") == 4


def test_fetch_times_out(server, tmp_path):
    def slow():
        time.sleep(2)
        return 200, "text/html", page("Slow", "Nothing happened.")

    server.routes["/slow.html"] = slow
    fetcher = Fetcher(cache=tmp_path / "cache", timeout=0.3, retries=1, backoff=0.01)
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out after 0.3 s"):
        fetcher.get(f"{server.base}/slow.html")
    assert time.monotonic() - started < 1.8 and fetcher.requests == 2


def test_fetch_cache_is_one_body_and_one_record_per_url(server, tmp_path):
    fetcher = Fetcher(cache=tmp_path / "cache")
    url = f"{server.base}/news/aid.html"
    first = fetcher.get(url)
    [record] = (tmp_path / "cache").glob("*.json")
    meta = json.loads(record.read_text(encoding="utf-8"))
    assert (meta["url"], meta["status"], meta["size"]) == (url, 200, len(first.body))
    assert record.with_suffix(".body").read_bytes() == first.body
    assert Fetcher(cache=tmp_path / "cache").get(url) == first and len(server.requests) == 1
    record.with_suffix(".body").write_bytes(b"cut")  # a damaged entry is fetched again
    fresh = Fetcher(cache=tmp_path / "cache")
    assert fresh.get(url).body == first.body and fresh.requests == 1


def test_fetch_default_cache_is_the_users(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert Fetcher().cache == tmp_path / "kg-news" / "fetch"


def test_fetch_python_api_reads_urls(server, tmp_path):
    graph = kg.build(f"{server.base}/news/dated.html", cache=tmp_path / "cache")
    assert [d.url for d in graph.documents] == [f"{server.base}/news/dated.html"]
    assert "Spain" in {e.name for e in graph.entities}


@pytest.mark.parametrize("url, expected", [
    ("https://news.example.org/world/russia-offers-aid.html?ref=rss", "russia-offers-aid-"),
    ("https://news.example.org/", "news-example-org-"),
    ("https://news.example.org/2024/%C3%A9t%C3%A9/", "t-"),
])
def test_fetch_document_ids_are_stable_and_distinct(url, expected):
    assert document_id(url).startswith(expected) and document_id(url) == document_id(url)
    assert document_id(url) != document_id(url + "#x")
