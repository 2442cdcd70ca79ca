/* kg viz: the map. kgMap(data, ctx) draws the places that have coordinates (an entity's `geo`:
 * latitude, longitude) where they are, and the relations between two of them, over the country
 * outlines of Natural Earth (world-atlas, decoded by topojson-client; both inlined in the page, nothing
 * is fetched). Equirectangular: x is the longitude, y the latitude. It follows the page's filters and
 * selection (ctx), and a click shows the same details as in the graph. Built the first time it opens. */
var kgMap = function (DATA, ctx) {
  'use strict';

  var ENT = DATA.entities, REL = DATA.relations, STYLE = DATA.style;
  var box = document.getElementById('map'), container = document.getElementById('map-sigma');
  var places = [], isPlace = new Uint8Array(ENT.length), routes = [];
  ENT.forEach(function (e, i) { if (e.geo) { places.push(i); isPlace[i] = 1; } });
  REL.forEach(function (r, i) { if (isPlace[r.s] && isPlace[r.t]) routes.push(i); });
  var renderer = null, rings = null, opened = false, fitted = false;

  function outlines() {
    // Every country's rings as flat [lon, lat, lon, lat, …] arrays, decoded once.
    var topology = JSON.parse(document.getElementById('kg-world').textContent), out = [];
    if (!topology) return out;
    topojson.feature(topology, topology.objects.countries).features.forEach(function (f) {
      var g = f.geometry;
      if (!g) return;
      (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).forEach(function (polygon) {
        polygon.forEach(function (ring) {
          // A ring that crosses the antimeridian jumps from 180 to -180: unwrap it, so that it is
          // drawn past the edge instead of across the world.
          var flat = new Float64Array(ring.length * 2), shift = 0;
          ring.forEach(function (p, k) {
            if (k && p[0] + shift - flat[2 * k - 2] > 180) shift -= 360;
            else if (k && p[0] + shift - flat[2 * k - 2] < -180) shift += 360;
            flat[2 * k] = p[0] + shift; flat[2 * k + 1] = p[1];
          });
          out.push(flat);
        });
      });
    });
    return out;
  }

  function drawWorld() {
    var c = renderer.canvasContexts.world, dims = renderer.getDimensions();
    var o = renderer.graphToViewport({ x: 0, y: 0 }), ex = renderer.graphToViewport({ x: 1, y: 0 }), ey = renderer.graphToViewport({ x: 0, y: 1 });
    var ax = ex.x - o.x, ay = ey.y - o.y;
    c.clearRect(0, 0, dims.width, dims.height);
    c.beginPath();
    rings.forEach(function (r) {
      c.moveTo(o.x + ax * r[0], o.y + ay * r[1]);
      for (var k = 2; k < r.length; k += 2) c.lineTo(o.x + ax * r[k], o.y + ay * r[k + 1]);
      c.closePath();
    });
    c.fillStyle = '#fbfbf6';
    c.fill('evenodd');
    c.lineWidth = 0.7;
    c.strokeStyle = '#b9c2ce';
    c.stroke();
  }

  function placeSize(e) { return Math.min(20, 3 + 1.6 * Math.sqrt(e.mentions)); }

  function create() {
    var graph = new graphology.MultiGraph();
    var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    places.forEach(function (i) {
      var e = ENT[i];
      graph.addNode(String(i), { x: e.geo[1], y: e.geo[0] });
      minX = Math.min(minX, e.geo[1]); maxX = Math.max(maxX, e.geo[1]); minY = Math.min(minY, e.geo[0]); maxY = Math.max(maxY, e.geo[0]);
    });
    routes.forEach(function (i) {
      graph.addDirectedEdgeWithKey('r' + i, String(REL[i].s), String(REL[i].t));
    });
    // The frame: the places with a margin, and never less than a region (one city is not the world).
    var cx = (minX + maxX) / 2, cy = (minY + maxY) / 2, w = Math.max(40, (maxX - minX) * 1.3), h = Math.max(25, (maxY - minY) * 1.3);
    renderer = new Sigma(graph, container, Object.assign({}, ctx.settings(), {
      nodeReducer: reduceNode, edgeReducer: reduceEdge, defaultEdgeType: 'edge',
      labelDensity: 1, labelGridCellSize: 80, labelRenderedSizeThreshold: 4,  // the graph's are set for its own picture
      customBBox: { x: [cx - w / 2, cx + w / 2], y: [cy - h / 2, cy + h / 2] }
    }));
    rings = outlines();
    renderer.createCanvasContext('world', { beforeLayer: 'edges' });
    renderer.resize(true);  // sizes the new layer too
    renderer.on('afterRender', drawWorld);
    renderer.on('clickNode', function (e) { ctx.selectNode(+e.node, false); });
    renderer.on('clickStage', function (e) {
      var hit = kgPrograms.nearestEdge(renderer, e.event.x, e.event.y, routes.length, function (k) {
        var r = REL[routes[k]];
        if (!ctx.relShown(routes[k]) || !ctx.nodeShown(r.s) || !ctx.nodeShown(r.t)) return null;
        return [ENT[r.s].geo[1], ENT[r.s].geo[0], ENT[r.t].geo[1], ENT[r.t].geo[0], ctx.relationLook(routes[k], {}).shift];
      });
      if (hit >= 0) ctx.selectRelation(routes[hit], false);
    });
    kgPrograms.smoothMotion(renderer);
    document.getElementById('map-caption').textContent = places.length + ' places with coordinates, '
      + routes.length + ' relations between them. Outlines: Natural Earth (world-atlas).';
  }

  function reduceNode(key, attr) {
    var i = +key, state = ctx.state;
    if (!ctx.nodeShown(i)) { attr.hidden = true; return attr; }
    ctx.nodeLook(i, attr);
    attr.size = placeSize(ENT[i]);
    if (state.node === i) { attr.borderColor = '#1d2330'; attr.size = attr.size * 1.2 + 3; attr.forceLabel = true; }
    else if (ctx.matches(i)) { attr.borderColor = '#f5b700'; attr.size += 3; attr.forceLabel = true; }
    return attr;
  }

  function reduceEdge(key, attr) {
    var i = +key.slice(1), r = REL[i], state = ctx.state;
    if (!ctx.relShown(i) || !ctx.nodeShown(r.s) || !ctx.nodeShown(r.t)) { attr.hidden = true; return attr; }
    ctx.relationLook(i, attr);
    attr.type = 'edge';
    if (state.rel === i) { attr.size = 4; attr.forceLabel = true; }
    else if (r.s === state.node || r.t === state.node) { attr.size = 2; attr.forceLabel = true; }
    return attr;
  }

  function shown() { return places.filter(function (i) { return ctx.nodeShown(i); }); }

  return {
    places: places.length,
    routes: routes.length,
    isOpen: function () { return opened; },
    open: function () {
      opened = true;
      if (!places.length) return;
      if (!renderer) create(); else { renderer.resize(); renderer.refresh(); }
      if (!fitted) { fitted = true; ctx.fit(shown().length ? shown() : places, false, renderer); }
    },
    close: function () { opened = false; },
    refresh: function () { if (renderer && opened) renderer.refresh(); },  // a closed map is refreshed as it opens
    fit: function (indices) {
      if (!renderer) return;
      var list = (indices || shown()).filter(function (i) { return isPlace[i]; });
      ctx.fit(list.length ? list : places, true, renderer);
    },
    centreOn: function (i) { if (renderer && isPlace[i]) ctx.centreOn(i, renderer); },
    renderer: function () { return renderer; },
    visible: function () {
      var out = { nodes: 0, relations: 0 };
      if (!renderer) return out;
      renderer.getGraph().forEachNode(function (k) { if (!renderer.getNodeDisplayData(k).hidden) out.nodes++; });
      renderer.getGraph().forEachEdge(function (k) { if (!renderer.getEdgeDisplayData(k).hidden) out.relations++; });
      return out;
    }
  };
};
