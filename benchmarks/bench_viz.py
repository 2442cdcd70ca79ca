"""Benchmark: the graph page at scale in headless Chromium (Debian's, driven by Playwright; WebGL on
SwiftShader, the software renderer).

For each size, writes the page of a synthetic news-like build (heavy-tailed degrees), opens it, and
prints the four figures of issue 15, then the details behind them:

    open to interactive: time from opening the file to the first picture drawn (and the page ready)
    frame median: the median interval between frames while the camera pans and zooms at every frame
    redraw p95: a full draw of everything shown, until the GPU is done (what the end of a camera move
                costs); the details line has a filter change too (filters applied, data updated, drawn)
    click to details: a mouse click on the best-connected entity until its details are shown

With --screenshot, also saves a picture of the first view of a corpus built with the model
(``--corpus``, e.g. ../shared/data/bbc-dev: read there, never copied) or of a graph.json (``--graph``);
with --map-screenshot, the map of a graph whose places have coordinates (default: the test suite's
contract graph). The load average is printed with the figures: this machine is shared.

    python benchmarks/bench_viz.py                       # 5,000/20,000 and 20,000/100,000
    python benchmarks/bench_viz.py --sizes 5000x20000
    python benchmarks/bench_viz.py --sizes none --screenshot docs/graph-page.png --corpus ../shared/data/bbc-dev
    python benchmarks/bench_viz.py --sizes none --map-screenshot docs/graph-map.png
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from playwright.sync_api import sync_playwright  # noqa: E402

from browser import FILTER_JS, FRAME_TIMES_JS, READY, REDRAW_JS, SCREEN_POINT_JS, launch, percentile  # noqa: E402
from kg.model import Graph  # noqa: E402
from kg.loaders.viz import HtmlSink  # noqa: E402
from synthetic import contract_graph, news_like  # noqa: E402

VIEWPORT = {"width": 1400, "height": 850}


def load() -> str:
    return "load average " + ", ".join(f"{v:.2f}" for v in os.getloadavg())


def measure(browser, path: Path, graph: Graph) -> dict:
    page = browser.new_page(viewport=VIEWPORT)
    start = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_selector(READY, timeout=600_000)
    figures = {"open_s": time.perf_counter() - start, **page.evaluate("window.kg.stats"),
               "drawn": page.evaluate("window.kg.visible()")}
    page.wait_for_timeout(1000)
    frames = []
    for kind in ("pan", "zoom"):
        times = page.evaluate(FRAME_TIMES_JS, [120, kind])
        figures[kind] = (percentile(times, 50), percentile(times, 95), max(times))
        frames += times
    figures["frame_median"] = percentile(frames, 50)
    redraw = page.evaluate(REDRAW_JS, 20)
    figures["redraw"] = (percentile(redraw, 50), percentile(redraw, 95))
    changes = page.evaluate(FILTER_JS, 10)
    figures["filter"] = (percentile(changes, 50), percentile(changes, 95))
    # The best-connected entity, zoomed to as a user would, then clicked where it is drawn.
    degree = Counter(x for r in graph.relations for x in (r.subject, r.object))
    hub = max(degree, key=lambda e: (degree[e], e))
    key = str(page.evaluate("(id) => window.kg.entityIndex(id)", hub))
    page.evaluate("""(key) => { const r = window.kg.renderer, d = r.getNodeDisplayData(key);
        r.getCamera().setState({x: d.x, y: d.y, ratio: 0.05}); }""", key)
    page.wait_for_timeout(1000)
    x, y = page.evaluate(SCREEN_POINT_JS, key)
    start = page.evaluate("performance.now()")
    page.mouse.click(x, y)
    page.wait_for_function("document.querySelector('#details h3') !== null")
    figures["click_ms"] = page.evaluate("performance.now()") - start
    page.close()
    return figures


def report(entities: int, relations: int, written: dict, f: dict) -> None:
    print(f"{entities:,} entities / {relations:,} relations: page {written['bytes'] / 1e6:.1f} MB, "
          f"written (layout, co-mentions) in {written['seconds']:.1f} s; {load()}")
    print(f"open to interactive: {f['open_s']:.1f} s")
    print(f"frame median: {f['frame_median']:.0f} ms")
    print(f"redraw p95: {f['redraw'][1]:.0f} ms")
    print(f"click to details: {f['click_ms']:.0f} ms")
    print(f"  drawn: {f['drawn']['nodes']:,} entities (those in relations), {f['drawn']['relations']:,} relations; "
          f"in the page: data {f['parseMs']} ms, graph {f['graphMs']} ms, renderer and first picture "
          f"{f['firstRenderMs']} ms, ready at {f['openMs']} ms; pan frames median {f['pan'][0]:.0f} / p95 "
          f"{f['pan'][1]:.0f} / worst {f['pan'][2]:.0f} ms, zoom {f['zoom'][0]:.0f} / {f['zoom'][1]:.0f} / "
          f"{f['zoom'][2]:.0f} ms; redraw median {f['redraw'][0]:.0f} ms; filter change median "
          f"{f['filter'][0]:.0f} ms, p95 {f['filter'][1]:.0f} ms")


def screenshot(browser, graph: Graph, target: Path, *, view: str = "graph") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "graph.html"
        HtmlSink(html).write(graph)
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(html.as_uri())
        page.wait_for_selector(READY)
        if view == "map":
            page.click("#view-map")
        # A relation of the best-connected entity (on the map, of a place) selected: its evidence in the panel.
        shown = [r for r in graph.relations if view != "map" or all(
            "latitude" in graph.entity(e).attributes for e in (r.subject, r.object))]
        degree = Counter(x for r in shown for x in (r.subject, r.object))
        hub = max(degree, key=lambda e: (degree[e], e))
        rel = max((r for r in shown if hub in (r.subject, r.object)), key=lambda r: (len(r.evidence), r.id))
        page.evaluate("(id) => window.kg.selectRelation(window.kg.relationIndex(id), false)", rel.id)
        page.wait_for_timeout(800)
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target))
        page.close()
    print(f"wrote {target}")


def build_corpus(folder: Path) -> Graph:
    from kg.pipeline import build

    graph, stats = build([str(folder)])
    print(f"built {folder}: {stats.documents} documents, {len(graph.entities)} entities, {len(graph.relations)} relations")
    return graph


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="5000x20000,20000x100000",
                        help="ENTITIESxRELATIONS, comma-separated, or 'none'  [default: %(default)s]")
    parser.add_argument("--screenshot", type=Path, help="save a picture of the first view of --corpus or --graph here")
    parser.add_argument("--corpus", type=Path, help="a folder of articles to build with the model for --screenshot")
    parser.add_argument("--graph", type=Path, help="a graph.json for --screenshot or --map-screenshot")
    parser.add_argument("--map-screenshot", type=Path, help="save a picture of the map view here")
    args = parser.parse_args()
    sizes = [] if args.sizes == "none" else [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    with sync_playwright() as p:
        browser = launch(p)
        print(f"Chromium {browser.version}, headless, --disable-gpu (WebGL on SwiftShader); {load()}")
        if args.screenshot:
            graph = build_corpus(args.corpus) if args.corpus else Graph.load(str(args.graph or ROOT / "out" / "graph.json"))
            screenshot(browser, graph, args.screenshot)
        if args.map_screenshot:
            graph = Graph.load(str(args.graph)) if args.graph else contract_graph()
            screenshot(browser, graph, args.map_screenshot, view="map")
        for entities, relations in sizes:
            graph = news_like(entities, relations)
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "graph.html"
                start = time.perf_counter()
                written = HtmlSink(path).write(graph).counts
                written["seconds"] = time.perf_counter() - start
                figures = measure(browser, path, graph)
            report(entities, relations, written, figures)
        browser.close()


if __name__ == "__main__":
    main()
