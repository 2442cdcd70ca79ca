"""Headless Chromium for the page tests: Debian's /usr/bin/chromium driven by Playwright.

Nothing here downloads a browser: the project's setup installs Debian's ``chromium`` package (see the
README's test command) and Playwright only drives it. ``KG_CHROMIUM`` names another executable.

The page draws with WebGL. With ``--disable-gpu`` headless Chromium (156) gives WebGL through
SwiftShader, its software renderer (ANGLE on SwiftShader's Vulkan; the GPU process is started with
``--use-angle=swiftshader-webgl --enable-unsafe-swiftshader`` by Chromium itself), so no flag is
needed for it; the tests check that the page drew (``PAINTED_JS``).
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


def launch(playwright, extra_args: tuple[str, ...] = ()):
    """A fresh headless Chromium (Playwright gives every launch a new, empty profile)."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS + list(extra_args),
                                      headless=True)


# The page sets this when its first picture is drawn.
READY = "body[data-ready=true]"

SCREEN_POINT_JS = """
(key) => {
  // Where a node (or the middle of an edge, as drawn: parallel edges side by side) is on the page,
  // in the view that is open (graph or map): where a user clicks it.
  const kg = window.kg, r = kg.map.isOpen() ? kg.map.renderer() : kg.renderer;
  const box = r.getContainer().getBoundingClientRect(), g = r.getGraph();
  const at = (node) => r.framedGraphToViewport(r.getNodeDisplayData(node));
  if (g.hasNode(key)) { const p = at(key); return [box.left + p.x, box.top + p.y]; }
  const [s, t] = g.extremities(key), a = at(s), b = at(t), shift = r.getEdgeDisplayData(key).shift || 0;
  const dx = b.x - a.x, dy = b.y - a.y, l = Math.hypot(dx, dy) || 1;
  return [box.left + (a.x + b.x) / 2 + dy / l * shift, box.top + (a.y + b.y) / 2 - dx / l * shift];
}
"""

PAINTED_JS = """
(layer) => {
  // Pixels the renderer's canvases (or one layer: 'edges', 'nodes', 'world'…) hold right after a full
  // draw: read in the same task, before the browser presents and clears the WebGL buffers.
  const kg = window.kg, r = kg.map.isOpen() ? kg.map.renderer() : kg.renderer;
  r.kgForce = true; r.render(); r.kgForce = false;
  const canvases = r.getCanvases(), out = {};
  for (const id of Object.keys(canvases)) {
    if (layer && id !== layer) continue;
    const c = canvases[id], copy = document.createElement('canvas');
    copy.width = c.width; copy.height = c.height;
    const ctx = copy.getContext('2d');
    ctx.drawImage(c, 0, 0);
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    out[id] = n;
  }
  return out;
}
"""

FRAME_TIMES_JS = """
async ([steps, kind]) => {
  // Intervals between frames while the camera pans or zooms at every frame (as a drag or the wheel does).
  const cam = window.kg.renderer.getCamera(), times = [];
  await new Promise((done) => {
    let last = null, n = 0;
    function step(now) {
      if (last !== null) times.push(now - last);
      last = now;
      const s = cam.getState();
      if (kind === 'pan') cam.setState({x: s.x + (n % 40 < 20 ? 0.004 : -0.004) * s.ratio, y: s.y + 0.002 * Math.sin(n / 5) * s.ratio});
      else cam.setState({ratio: s.ratio * (n % 40 < 20 ? 1.04 : 1 / 1.04)});
      if (++n <= steps) requestAnimationFrame(step); else done();
    }
    requestAnimationFrame(step);
  });
  await new Promise((done) => setTimeout(done, 400));  // the picture is drawn anew once the camera rests
  return times;
}
"""

REDRAW_JS = """
(repeats) => {
  // A full draw of everything shown (edges and labels included), until the GPU is done: what the end
  // of a camera move costs.
  const times = [];
  for (let i = 0; i < repeats; i++) times.push(window.kg.redraw());
  return times;
}
"""

FILTER_JS = """
(repeats) => {
  // A filter change as a user makes it (a relation type off, then on again): the filters applied,
  // the data updated and everything drawn, until the GPU is done.
  const box = document.querySelector('input[data-relation-type]'), times = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    box.click();
    times.push(performance.now() - t);
  }
  if (box.checked !== true) box.click();
  return times;
}
"""


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]
