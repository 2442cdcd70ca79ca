"""Benchmark: the graph page at scale in headless Chromium (Debian's, driven by Playwright).

Writes the page for a synthetic news-like build (heavy-tailed degrees), opens it, and prints the
page's own timings (layout, building the elements, first render), the frame times while panning and
zooming (every frame pans or zooms; requestAnimationFrame intervals), and the time from a click on a
node to its details shown. With --screenshot, also saves a picture of the seed build's page with one
relation selected (the README's).

    python benchmarks/bench_viz.py                           # 5,000 entities, 20,000 relations
    python benchmarks/bench_viz.py --entities 1000 --relations 4000
    python benchmarks/bench_viz.py --screenshot docs/graph-page.png --graph out/graph.json
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from playwright.sync_api import sync_playwright  # noqa: E402

from browser import FRAME_TIMES_JS, READY, SCREEN_POINT_JS, launch, percentile  # noqa: E402
from kg.model import Graph  # noqa: E402
from loaders.viz import HtmlSink  # noqa: E402
from synthetic import news_like  # noqa: E402


def measure(browser, path: Path) -> dict:
    page = browser.new_page(viewport={"width": 1400, "height": 850})
    start = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_selector(READY, timeout=600_000)
    figures = {"open_s": time.perf_counter() - start, **page.evaluate("window.kg.stats")}
    page.wait_for_timeout(1000)
    for kind in ("pan", "zoom"):
        times = page.evaluate(FRAME_TIMES_JS, [120, kind])
        figures[kind] = (percentile(times, 50), percentile(times, 95), max(times))
    node = page.evaluate("window.kg.cy.nodes().max(n => n.degree()).ele.id()")
    page.evaluate("(id) => { const cy = window.kg.cy; cy.zoom(1.5); cy.center(cy.getElementById(id)); }", node)
    page.wait_for_timeout(500)
    x, y = page.evaluate(SCREEN_POINT_JS, node)
    start = page.evaluate("performance.now()")
    page.mouse.click(x, y)
    page.wait_for_function("document.querySelector('#details h3') !== null")
    figures["click_ms"] = page.evaluate("performance.now()") - start
    page.close()
    return figures


def screenshot(browser, graph_path: Path, target: Path) -> None:
    graph = Graph.load(str(graph_path))
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "graph.html"
        HtmlSink(html).write(graph)
        page = browser.new_page(viewport={"width": 1400, "height": 850})
        page.goto(html.as_uri())
        page.wait_for_selector(READY)
        rel = next(r for r in sorted(graph.relations, key=lambda r: r.id) if r.polarity.value == "negative")
        page.evaluate("(id) => window.kg.selectEdge(Number(window.kg.edgeOf(id).slice(1)), false)", rel.id)
        page.wait_for_timeout(300)
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target))
        page.close()
    print(f"wrote {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entities", type=int, default=5000)
    parser.add_argument("--relations", type=int, default=20000)
    parser.add_argument("--screenshot", type=Path, help="also save a screenshot of the page of --graph here")
    parser.add_argument("--graph", type=Path, default=ROOT / "out" / "graph.json")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = launch(p)
        if args.screenshot:
            screenshot(browser, args.graph, args.screenshot)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "graph.html"
            start = time.perf_counter()
            report = HtmlSink(path).write(news_like(args.entities, args.relations))
            write_s = time.perf_counter() - start
            f = measure(browser, path)
        browser.close()
    print(f"page: {args.entities:,} entities, {args.relations:,} relations, {report.counts['bytes'] / 1e6:.1f} MB, "
          f"generated and written in {write_s:.1f} s")
    print(f"open to interactive: {f['open_s']:.1f} s (layout {f['layoutMs']} ms, elements {f['buildMs']} ms, "
          f"first render {f['firstRenderMs']} ms)")
    for kind in ("pan", "zoom"):
        median, p95, worst = f[kind]
        print(f"{kind} frames: median {median:.0f} ms, p95 {p95:.0f} ms, worst {worst:.0f} ms")
    print(f"click on a node to its details: {f['click_ms']:.0f} ms")


if __name__ == "__main__":
    main()
