/* kg viz: the page's layout, kgLayout(entities, relations) -> {x, y} (Float64Arrays by entity index).
 * Our own code; no library. */
var kgLayout = (function () {
  'use strict';

  // Layout: each connected component force-directed (Fruchterman-Reingold with a Barnes-Hut
  // quadtree), then the components packed in rows, largest first. Deterministic: the start is a
  // spiral in entity order, and nothing random is drawn.

  var K = 100;  // ideal edge length, in model units (pixels at zoom 1)

  function layout(ENT, REL) {
    var n = ENT.length, x = new Float64Array(n), y = new Float64Array(n), i;
    var parent = new Int32Array(n);
    for (i = 0; i < n; i++) parent[i] = i;
    function find(v) { while (parent[v] !== v) { parent[v] = parent[parent[v]]; v = parent[v]; } return v; }
    REL.forEach(function (r) { var a = find(r.s), b = find(r.t); if (a !== b) parent[Math.max(a, b)] = Math.min(a, b); });
    var byRoot = {}, comps = [], local = new Int32Array(n);
    for (i = 0; i < n; i++) {
      var root = find(i), c = byRoot[root];
      if (!c) { c = byRoot[root] = { nodes: [], src: [], dst: [] }; comps.push(c); }
      local[i] = c.nodes.push(i) - 1;
    }
    var pairs = {};  // one spring per pair of entities, however many relations join them
    REL.forEach(function (r) {
      var key = Math.min(r.s, r.t) + ' ' + Math.max(r.s, r.t);
      if (r.s === r.t || pairs[key]) return;
      pairs[key] = true;
      var c = byRoot[find(r.s)];
      c.src.push(local[r.s]); c.dst.push(local[r.t]);
    });
    comps.sort(function (a, b) { return b.nodes.length - a.nodes.length || a.nodes[0] - b.nodes[0]; });
    var boxes = comps.map(function (c) {
      var p = forceLayout(c.nodes.length, c.src, c.dst);
      var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (var j = 0; j < c.nodes.length; j++) {
        var half = Math.max(K / 2, ENT[c.nodes[j]].name.length * 3.5);  // room for the label
        minX = Math.min(minX, p.x[j] - half); maxX = Math.max(maxX, p.x[j] + half);
        minY = Math.min(minY, p.y[j] - K / 2); maxY = Math.max(maxY, p.y[j] + K / 2);
      }
      return { c: c, p: p, x0: minX, y0: minY, w: maxX - minX, h: maxY - minY };
    });
    // Shelf packing: rows about as wide as the whole is tall.
    var area = boxes.reduce(function (a, b) { return a + b.w * b.h; }, 0);
    var rowWidth = Math.max(Math.sqrt(area) * 1.3, boxes.length ? boxes[0].w : 0);
    var cx = 0, cy = 0, rowH = 0;
    boxes.forEach(function (b) {
      if (cx > 0 && cx + b.w > rowWidth) { cx = 0; cy += rowH; rowH = 0; }
      for (var j = 0; j < b.c.nodes.length; j++) {
        x[b.c.nodes[j]] = cx + b.p.x[j] - b.x0; y[b.c.nodes[j]] = cy + b.p.y[j] - b.y0;
      }
      cx += b.w; rowH = Math.max(rowH, b.h);
    });
    return { x: x, y: y };
  }

  function forceLayout(n, src, dst) {
    var x = new Float64Array(n), y = new Float64Array(n), i, it;
    for (i = 0; i < n; i++) {
      var r = K * 0.5 * Math.sqrt(i + 0.5), a = i * 2.399963229728653;
      x[i] = r * Math.cos(a); y[i] = r * Math.sin(a);
    }
    if (n < 3) return { x: x, y: y };
    var deg = new Float64Array(n);
    for (i = 0; i < src.length; i++) { deg[src[i]]++; deg[dst[i]]++; }
    var iterations = n <= 300 ? 300 : n <= 2000 ? 200 : 120;
    var dx = new Float64Array(n), dy = new Float64Array(n);
    var temp = K * Math.sqrt(n) * 0.3, cool = Math.pow(0.02, 1 / iterations), k2 = K * K, theta2 = 0.81, gravity = 0.01;
    for (it = 0; it < iterations; it++) {
      dx.fill(0); dy.fill(0);
      var tree = quadtree(x, y, n);
      for (i = 0; i < n; i++) repel(tree, i, x, y, dx, dy, k2, theta2);
      for (var e = 0; e < src.length; e++) {
        var s = src[e], t = dst[e], ex = x[s] - x[t], ey = y[s] - y[t];
        var f = Math.sqrt(ex * ex + ey * ey) / K;
        dx[s] -= ex * f / Math.sqrt(deg[s]); dy[s] -= ey * f / Math.sqrt(deg[s]);
        dx[t] += ex * f / Math.sqrt(deg[t]); dy[t] += ey * f / Math.sqrt(deg[t]);
      }
      for (i = 0; i < n; i++) {
        dx[i] -= gravity * x[i]; dy[i] -= gravity * y[i];
        var len = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]);
        if (len > 0) { var step = Math.min(len, temp) / len; x[i] += dx[i] * step; y[i] += dy[i] * step; }
      }
      temp *= cool;
    }
    return { x: x, y: y };
  }

  function quadtree(x, y, n) {
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity, i;
    for (i = 0; i < n; i++) {
      if (x[i] < minX) minX = x[i]; if (x[i] > maxX) maxX = x[i];
      if (y[i] < minY) minY = y[i]; if (y[i] > maxY) maxY = y[i];
    }
    var size = Math.max(maxX - minX, maxY - minY) + 1;
    var root = cell(minX, minY, size);
    for (i = 0; i < n; i++) insert(root, i, x, y, 0);
    return root;
  }

  function cell(x0, y0, size) { return { x0: x0, y0: y0, size: size, mass: 0, cx: 0, cy: 0, point: -1, kids: null }; }

  function insert(c, i, x, y, depth) {
    c.cx = (c.cx * c.mass + x[i]) / (c.mass + 1); c.cy = (c.cy * c.mass + y[i]) / (c.mass + 1); c.mass++;
    if (c.mass === 1) { c.point = i; return; }
    if (depth > 40) return;  // points on top of each other: keep them in one cell
    if (!c.kids) {
      var h = c.size / 2;
      c.kids = [cell(c.x0, c.y0, h), cell(c.x0 + h, c.y0, h), cell(c.x0, c.y0 + h, h), cell(c.x0 + h, c.y0 + h, h)];
      if (c.point >= 0) { var p = c.point; c.point = -1; insert(kid(c, p, x, y), p, x, y, depth + 1); }
    }
    insert(kid(c, i, x, y), i, x, y, depth + 1);
  }

  function kid(c, i, x, y) {
    var h = c.size / 2;
    return c.kids[(x[i] >= c.x0 + h ? 1 : 0) + (y[i] >= c.y0 + h ? 2 : 0)];
  }

  function repel(c, i, x, y, dx, dy, k2, theta2) {
    if (c.mass === 0 || c.point === i) return;
    var ex = x[i] - c.cx, ey = y[i] - c.cy, d2 = ex * ex + ey * ey;
    if (!c.kids || (c.size * c.size) / (d2 || 1e-9) < theta2) {
      if (d2 < 1e-6) { ex = ((i * 7919) % 13 - 6) * 0.1; ey = ((i * 104729) % 11 - 5) * 0.1; d2 = ex * ex + ey * ey; }
      var f = k2 * c.mass / d2;
      dx[i] += ex * f; dy[i] += ey * f;
      return;
    }
    for (var q = 0; q < 4; q++) repel(c.kids[q], i, x, y, dx, dy, k2, theta2);
  }

  return layout;
})();
