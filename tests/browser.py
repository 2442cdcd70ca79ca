"""Headless Chromium for the page tests: Debian's /usr/bin/chromium driven by Playwright.

Nothing here downloads a browser: the project's setup installs Debian's ``chromium`` package (see the
README's test command) and Playwright only drives it. ``KG_CHROMIUM`` names another executable.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium_path() -> str:
    """The browser to drive; an ``AssertionError`` that says how to install it when there is none."""
    path = os.environ.get("KG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    assert Path(path).is_file(), (
        f"no Chromium at {path}: install Debian's package (apt-get install -y chromium), "
        "as the README's test command does, or set KG_CHROMIUM")
    return path


def launch(playwright):
    """A fresh headless Chromium (Playwright gives every launch a new, empty profile)."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)


# The page sets this when its first render is done.
READY = "body[data-ready=true]"

SCREEN_POINT_JS = """
(id) => {
  // Where a node (or the middle of an edge) is drawn, in page coordinates: where a user clicks it.
  const cy = window.kg.cy, el = cy.getElementById(id), box = cy.container().getBoundingClientRect();
  const p = el.isNode() ? el.renderedPosition() : el.renderedMidpoint();
  return [box.left + p.x, box.top + p.y];
}
"""

FRAME_TIMES_JS = """
async ([steps, kind]) => {
  const cy = window.kg.cy, box = cy.container().getBoundingClientRect(), times = [];
  await new Promise((done) => {
    let last = null, n = 0;
    function step(now) {
      if (last !== null) times.push(now - last);
      last = now;
      if (kind === 'pan') cy.panBy({x: n % 40 < 20 ? 9 : -9, y: 4 * Math.sin(n / 5)});
      else cy.zoom({level: cy.zoom() * (n % 40 < 20 ? 1.04 : 1 / 1.04),
                    renderedPosition: {x: box.width / 2, y: box.height / 2}});
      if (++n <= steps) requestAnimationFrame(step); else done();
    }
    requestAnimationFrame(step);
  });
  return times;
}
"""

REDRAW_JS = """
(repeats) => {
  // A full synchronous redraw of everything shown (edges and labels included), as after a filter change.
  const cy = window.kg.cy, times = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    cy.forceRender();
    times.push(performance.now() - t);
  }
  return times;
}
"""


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]
