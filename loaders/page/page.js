/* kg viz: the page. Draws the graph in #kg-data with sigma (WebGL) at the positions the build computed
 * (ForceAtlas2, loaders/layout.py), and keeps every control in step with it: entity and relation
 * filters, period, document, co-mentions, entities without relations, neighbourhood, search, the
 * details of what is clicked, and the map (map.js). Text from the articles is only ever drawn as
 * text (canvas labels, textContent). window.kg exposes the state for tests and for the curious. */
(function () {
  'use strict';

  function $(id) { return document.getElementById(id); }
  var started = performance.now();
  var DATA = JSON.parse($('kg-data').textContent), STYLE = DATA.style;
  var ENT = DATA.entities, REL = DATA.relations, DOCS = DATA.documents, CM = DATA.comention;
  var NE = ENT.length, NR = REL.length, NC = CM.length, X = DATA.layout.x, Y = DATA.layout.y;
  var BIG = NR + NC > 3000 || NE > 1500;
  var COMENTION = '#a9b4c6', SELECTED = '#1d2330', MATCH = '#f5b700';
  var stats = { nodes: NE, edges: NR, comentions: NC, layoutMs: 0, parseMs: Math.round(performance.now() - started) };
  var symmetric = {};
  STYLE.symmetric.forEach(function (t) { symmetric[t] = true; });

  var state = { node: -1, rel: -1, cm: -1, centre: -1, depth: 0 };
  var details = kgDetails(DATA, {
    selectNode: function (i, c) { selectNode(i, c); }, selectRelation: function (i, c) { selectRelation(i, c); },
    selectComention: function (i, c) { selectComention(i, c); },
    showNeighbourhood: function () { setDepth(state.depth || 1); }
  });
  var el = details.el, plural = details.plural;

  // ---------------------------------------------------------------------------------------------
  // What is drawn: one node per entity, one edge per relation and per co-mentioned pair.

  var relAt = ENT.map(function () { return []; }), cmAt = ENT.map(function () { return []; });
  REL.forEach(function (r, i) { relAt[r.s].push(i); if (r.t !== r.s) relAt[r.t].push(i); });
  CM.forEach(function (c, i) { cmAt[c[0]].push(i); cmAt[c[1]].push(i); });

  // Labels for the most connected entities first: they are the largest (the label grid prefers
  // them) and the first few always have theirs.
  // (On a large graph the label grid alone picks them, a cell at a time, largest first: forced labels
  // would pile up in the middle.)
  var labelled = new Uint8Array(NE);
  ENT.map(function (e, i) { return i; }).sort(function (a, b) { return ENT[b].degree - ENT[a].degree || a - b; })
    .slice(0, BIG ? 0 : 24).forEach(function (i) { if (ENT[i].degree) labelled[i] = 1; });

  // Sized by degree; smaller on a large graph, where thousands share the screen.
  function nodeSize(e) {
    if (!e.degree) return Math.min(BIG ? 5 : 8, (BIG ? 1.5 : 2.5) + 0.8 * Math.sqrt(e.mentions - 1));  // by mentions
    return BIG ? Math.min(16, 1.5 + 1.1 * Math.sqrt(e.degree)) : Math.min(30, 3 + 2.2 * Math.sqrt(e.degree));
  }
  function edgeLabel(r) {
    var label = r.type === 'RELATED_TO' && typeof r.attributes.predicate === 'string' ? r.attributes.predicate : r.type;
    if (r.polarity === 'negative') label = 'NOT ' + label;
    if (r.modality !== 'asserted') label += ' (' + r.modality + ')';
    return label;
  }
  function relationColor(r) { return r.polarity === 'negative' ? STYLE.negative : STYLE.relations[r.type] || STYLE.other; }
  function relationDash(r) { return r.polarity === 'negative' ? 'dashed' : r.modality !== 'asserted' ? 'dotted' : 'solid'; }

  // Parallel edges (relations between the same two entities, and their co-mention) side by side,
  // 6 pixels apart, on the same side whichever way each points.
  var t0 = performance.now();
  var shift = new Float32Array(NR + NC), byPair = new Map();
  function pairOf(k, a, b) {
    var p = a < b ? a * NE + b : b * NE + a, list = byPair.get(p);
    if (!list) byPair.set(p, list = []);
    list.push(a > b ? -(k + 1) : k + 1);
  }
  REL.forEach(function (r, i) { if (r.s !== r.t) pairOf(i, r.s, r.t); });
  CM.forEach(function (c, i) { pairOf(NR + i, c[0], c[1]); });
  byPair.forEach(function (list) {
    if (list.length > 1) list.forEach(function (e, k) { shift[Math.abs(e) - 1] = (e < 0 ? -1 : 1) * (k - (list.length - 1) / 2) * 6; });
  });
  byPair = null;

  // How each entity and relation looks before any selection (the reducers start from this, the map too).
  function nodeLook(i, attr) {
    var e = ENT[i], s = STYLE.nodes[e.type] || { color: '#9aa3b0', border: '#7b8594', shape: 'circle' };
    attr.size = nodeSize(e) * sizeScale; attr.label = e.name; attr.color = s.color; attr.borderColor = s.border; attr.shape = s.shape;
    return attr;
  }
  function relationLook(i, attr) {
    var r = REL[i];
    attr.type = BIG ? 'band' : 'edge'; attr.size = 1; attr.color = relationColor(r); attr.dash = relationDash(r);
    attr.label = edgeLabel(r); attr.head = symmetric[r.type] ? 0 : 1; attr.shift = shift[i];
    return attr;
  }
  function comentionLook(i, attr) {
    var c = CM[i];
    attr.type = 'comention'; attr.size = Math.min(4, 0.6 + 0.4 * Math.sqrt(c[2] + c[3])); attr.color = COMENTION;
    attr.shift = shift[NR + i]; attr.label = 'named together: ' + plural(c[2], 'article') + ', ' + plural(c[3], 'sentence');
    return attr;
  }

  // The graph holds positions only; everything else comes from the looks above, in the reducers.
  var graph = new graphology.MultiGraph();
  for (var i = 0; i < NE; i++) graph.addNode(String(i), { x: X[i], y: Y[i] });
  for (i = 0; i < NR; i++) graph.addDirectedEdgeWithKey('r' + i, String(REL[i].s), String(REL[i].t));
  for (i = 0; i < NC; i++) graph.addUndirectedEdgeWithKey('c' + i, String(CM[i][0]), String(CM[i][1]));
  stats.graphMs = Math.round(performance.now() - t0);

  // Thousands of entities on one screen cover each other: sizes scale down so that, in the first
  // picture, the entities drawn cover about a fifth of it (never larger than nodeSize says).
  var sizeScale = 1;
  function fitSizes(indices, width, height) {
    var area = 0;
    indices.forEach(function (i) { var s = nodeSize(ENT[i]); area += Math.PI * s * s; });
    sizeScale = area ? Math.max(0.3, Math.min(1, Math.sqrt(0.2 * width * height * 0.6 / area))) : 1;
    stats.sizeScale = Math.round(sizeScale * 100) / 100;
  }

  // Flags the filters set (1 = drawn) and the reducers read.
  var nodeShown = new Uint8Array(NE), relShown = new Uint8Array(NR), cmShown = new Uint8Array(NC), placeShown = new Uint8Array(NE);
  var matches = new Uint8Array(NE);

  function nodeReducer(key, attr) {
    var i = +key;
    if (!nodeShown[i]) { attr.hidden = true; return attr; }
    nodeLook(i, attr);
    if (labelled[i]) attr.forceLabel = true;
    if (state.node === i) { attr.borderColor = SELECTED; attr.size = attr.size * 1.2 + 3; attr.forceLabel = true; }
    else if (matches[i]) { attr.borderColor = MATCH; attr.size += 3; attr.forceLabel = true; }
    return attr;
  }

  function edgeReducer(key, attr) {
    var i = +key.slice(1);
    // (A hidden edge stays in its program, so that a layer entirely hidden costs no vertices to draw.)
    if (key.charCodeAt(0) === 114 /* r */) {
      if (!relShown[i]) { attr.hidden = true; attr.type = BIG ? 'band' : 'edge'; return attr; }
      relationLook(i, attr);
      var r = REL[i], touches = r.s === state.node || r.t === state.node;
      if (state.rel === i) { attr.size = 4; attr.forceLabel = true; }
      else if (touches) { attr.size = 2; attr.forceLabel = true; }
      else if (BIG) attr.label = null;  // labels cost, at scale: only around the selection
      // A large graph is drawn without arrow heads; the selection's edges get theirs with their label.
      if (BIG && attr.forceLabel && attr.head) attr.labelHead = true;
    } else {
      if (!cmShown[i]) { attr.hidden = true; attr.type = 'comention'; return attr; }
      var c = CM[i];
      comentionLook(i, attr);
      if (state.cm === i) { attr.size = 4; attr.color = '#6e7c93'; attr.forceLabel = true; }
      else if (c[0] !== state.node && c[1] !== state.node) attr.label = null;
    }
    return attr;
  }

  // ---------------------------------------------------------------------------------------------
  // Controls.

  $('title').textContent = DATA.title;
  $('subtitle').textContent = DATA.subtitle;

  var typeCounts = {}, relCounts = {}, isolated = 0, undated = 0, first = null, last = null;
  ENT.forEach(function (e) { typeCounts[e.type] = (typeCounts[e.type] || 0) + 1; if (!e.degree) isolated++; });
  REL.forEach(function (r) {
    relCounts[r.type] = (relCounts[r.type] || 0) + 1;
    if (!r.when) { undated++; return; }
    if (first === null || r.when[0] < first) first = r.when[0];
    if (last === null || r.when[1] > last) last = r.when[1];
  });
  Object.keys(STYLE.nodes).forEach(function (type) {
    var s = STYLE.nodes[type];
    $('entity-types').appendChild(el('label', { 'class': 'row' }, [
      el('input', { type: 'checkbox', checked: '', 'data-entity-type': type }), details.swatch(s.shape, s.color, s.border),
      type, el('span', { 'class': 'count', text: String(typeCounts[type] || 0) })]));
  });
  Object.keys(relCounts).sort(function (a, b) {
    var known = Object.keys(STYLE.relations);
    return (known.indexOf(a) + 1 || 99) - (known.indexOf(b) + 1 || 99) || (a < b ? -1 : 1);
  }).forEach(function (type) {
    var line = el('span', { 'class': 'swatch line' });
    line.style.borderTopColor = STYLE.relations[type] || STYLE.other;
    $('relation-types').appendChild(el('label', { 'class': 'row' }, [
      el('input', { type: 'checkbox', checked: '', 'data-relation-type': type }), line, type,
      el('span', { 'class': 'count', text: String(relCounts[type]) })]));
  });
  $('isolated-count').textContent = String(isolated);
  if (!NR) $('show-isolated').checked = true;  // no relation at all: the entities are the story
  $('undated-count').textContent = String(undated);
  $('comention-count').textContent = String(NC);
  $('dated-span').textContent = first ? plural(NR - undated, 'relation') + ' dated, ' + first.slice(0, 4) + '–' + last.slice(0, 4) : 'No relation is dated.';
  DOCS.forEach(function (d, i) {
    $('document').appendChild(el('option', { value: String(i), text: d.title === d.id ? d.id : d.title + ' (' + d.id + ')' }));
  });
  var names = {};
  ENT.forEach(function (e) { names[e.name] = true; e.aliases.forEach(function (a) { names[a] = true; }); });
  Object.keys(names).sort().forEach(function (name) { $('names').appendChild(el('option', { value: name })); });

  function checked(attr) {
    var out = {};
    document.querySelectorAll('input[' + attr + ']').forEach(function (box) { if (box.checked) out[box.getAttribute(attr)] = true; });
    return out;
  }

  // "2004", "2004-11" or "2004-11-19" -> [first day, last day] as ISO strings; "" -> null; else undefined.
  function period(text) {
    text = text.trim();
    if (!text) return null;
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text);
    if (!m) return undefined;
    if (!m[2]) return [m[1] + '-01-01', m[1] + '-12-31'];
    var month = Number(m[2]), days = new Date(Date.UTC(Number(m[1]), month, 0)).getUTCDate();
    if (month < 1 || month > 12) return undefined;
    if (!m[3]) return [m[1] + '-' + m[2] + '-01', m[1] + '-' + m[2] + '-' + String(days).padStart(2, '0')];
    if (Number(m[3]) < 1 || Number(m[3]) > days) return undefined;
    return [text, text];
  }

  function readControls() {
    var from = period($('from').value), to = period($('to').value);
    $('from').setAttribute('aria-invalid', String(from === undefined));
    $('to').setAttribute('aria-invalid', String(to === undefined));
    var scope = document.querySelector('input[name=comention-scope]:checked').value;
    return {
      etypes: checked('data-entity-type'), rtypes: checked('data-relation-type'),
      polarity: checked('data-polarity'), modality: checked('data-modality'),
      doc: $('document').value === '' ? -1 : Number($('document').value),
      from: from ? from[0] : '0000-01-01', to: to ? to[1] : '9999-12-31', undated: $('show-undated').checked,
      isolated: $('show-isolated').checked, minMentions: Math.max(1, Number($('min-mentions').value) || 1),
      comention: $('show-comention').checked, scope: scope === 'sentence' ? 3 : 2,
      comentionMin: Math.max(1, Number($('comention-min').value) || 1)
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Filtering. An entity is drawn when it passes the entity filters (type, document) and takes part
  // in a drawn relation or co-mention, or, with "without relations" on, has enough mentions; the
  // selected entity and search matches always are. A neighbourhood keeps what is within N links.

  function applyFilters() {
    var f = readControls(), i, ok = new Uint8Array(NE), drawn = new Uint8Array(NE);
    var rel = new Uint8Array(NR), cm = new Uint8Array(NC);
    for (i = 0; i < NE; i++) {
      var e = ENT[i];
      ok[i] = f.etypes[e.type] && (f.doc < 0 || e.docs.some(function (d) { return d[0] === f.doc; })) ? 1 : 0;
    }
    for (i = 0; i < NR; i++) {
      var r = REL[i];
      rel[i] = ok[r.s] && ok[r.t] && f.rtypes[r.type] && f.polarity[r.polarity] && f.modality[r.modality]
        && (f.doc < 0 || r.docs.indexOf(f.doc) >= 0)
        && (r.when ? r.when[0] <= f.to && r.when[1] >= f.from : f.undated) ? 1 : 0;
    }
    if (f.comention) for (i = 0; i < NC; i++) cm[i] = ok[CM[i][0]] && ok[CM[i][1]] && CM[i][f.scope] >= f.comentionMin ? 1 : 0;
    if (state.centre >= 0 && state.depth > 0) {
      var reach = neighbourhood(state.centre, state.depth, rel, cm);
      for (i = 0; i < NE; i++) if (!reach[i]) ok[i] = 0;
      ok[state.centre] = 1;
      for (i = 0; i < NR; i++) if (!ok[REL[i].s] || !ok[REL[i].t]) rel[i] = 0;
      for (i = 0; i < NC; i++) if (!ok[CM[i][0]] || !ok[CM[i][1]]) cm[i] = 0;
    }
    for (i = 0; i < NR; i++) if (rel[i]) drawn[REL[i].s] = drawn[REL[i].t] = 1;
    for (i = 0; i < NC; i++) if (cm[i]) drawn[CM[i][0]] = drawn[CM[i][1]] = 1;
    for (i = 0; i < NE; i++) {
      if (ok[i] && !drawn[i] && f.isolated && ENT[i].mentions >= f.minMentions) drawn[i] = 1;
      if (matches[i] && (state.depth === 0 || ok[i])) drawn[i] = 1;
    }
    if (state.node >= 0) drawn[state.node] = 1;
    nodeShown = drawn; relShown = rel; cmShown = cm; placeShown = ok;
    var nodes = 0, edges = 0, links = 0;
    for (i = 0; i < NE; i++) nodes += drawn[i];
    for (i = 0; i < NR; i++) edges += rel[i];
    for (i = 0; i < NC; i++) links += cm[i];
    $('shown').textContent = 'Showing ' + nodes + ' of ' + plural(NE, 'entity', 'entities') + ', ' + edges + ' of '
      + plural(NR, 'relation') + (f.comention ? ', ' + plural(links, 'co-mention') : '') + '.';
    stats.shownNodes = nodes; stats.shownEdges = edges; stats.shownComentions = links;
    redrawGraph();
    if (map) map.refresh();
  }

  function neighbourhood(centre, depth, rel, cm) {
    var seen = new Uint8Array(NE), frontier = [centre];
    seen[centre] = 1;
    for (var d = 0; d < depth; d++) {
      var next = [];
      frontier.forEach(function (v) {
        relAt[v].forEach(function (k) {
          if (!rel[k]) return;
          var w = REL[k].s === v ? REL[k].t : REL[k].s;
          if (!seen[w]) { seen[w] = 1; next.push(w); }
        });
        cmAt[v].forEach(function (k) {
          if (!cm[k]) return;
          var w = CM[k][0] === v ? CM[k][1] : CM[k][0];
          if (!seen[w]) { seen[w] = 1; next.push(w); }
        });
      });
      frontier = next;
    }
    return seen;
  }

  function setDepth(depth) {
    state.depth = depth;
    if (depth > 0 && state.centre < 0) state.depth = 0;
    document.querySelectorAll('#depths button').forEach(function (b) {
      b.classList.toggle('on', Number(b.getAttribute('data-depth')) === state.depth && (state.depth === 0 || state.centre >= 0));
    });
    applyFilters();
    if (state.depth > 0) fit(shownNodes(), true);
  }

  document.querySelectorAll('#controls input, #document').forEach(function (input) {
    input.addEventListener('change', applyFilters);
  });
  ['from', 'to'].forEach(function (id) { $(id).addEventListener('input', function () { readControls(); }); });
  document.querySelectorAll('#depths button').forEach(function (b) {
    b.addEventListener('click', function () { setDepth(Number(b.getAttribute('data-depth'))); });
  });
  $('fit').addEventListener('click', function () { if (map && map.isOpen()) map.fit(); else fit(shownNodes(), true); });

  // ---------------------------------------------------------------------------------------------
  // The renderer.

  function key(i) { return String(i); }
  function shownNodes() { var out = []; for (var i = 0; i < NE; i++) if (nodeShown[i]) out.push(i); return out; }
  function extent(indices) {
    if (!indices.length) return null;
    var box = [Infinity, Infinity, -Infinity, -Infinity];
    indices.forEach(function (i) {
      box[0] = Math.min(box[0], X[i]); box[1] = Math.min(box[1], Y[i]); box[2] = Math.max(box[2], X[i]); box[3] = Math.max(box[3], Y[i]);
    });
    return box;
  }

  var renderer = null, map = null, motion = null;
  applyFilters();
  var t1 = performance.now();
  function webgl() {
    if (!kgPrograms) return false;
    var canvas = document.createElement('canvas');
    return !!(canvas.getContext('webgl2') || canvas.getContext('webgl'));
  }

  // Sigma draws once as it starts, with a camera on every node, the hidden ones too; the first picture
  // should fit what is drawn. So while it starts it only prepares its data, and the first draw
  // comes after the camera is set (one draw instead of two: seconds on a large graph).
  var draw = webgl() && Sigma.prototype.render;
  fitSizes(shownNodes(), $('graph').clientWidth, $('graph').clientHeight);
  // Sigma's label grid shows labelDensity labels a cell at its own full view (every node, the hidden
  // ones too); the first picture is closer: the density is set for that one.
  var firstRatio = (function () {
    var all = extent(ENT.map(function (e, i) { return i; })), mine = extent(shownNodes());
    if (!all || !mine) return 1;
    return Math.max(0.01, Math.min(1, 1.25 * Math.max(mine[2] - mine[0], mine[3] - mine[1]) / Math.max(all[2] - all[0], all[3] - all[1], 1e-9)));
  })();
  try {
    if (!draw) throw new Error((window.kgLibraryErrors || []).concat(['this browser offers no WebGL'])[0]);
    Sigma.prototype.render = function () {
      this.resize();
      if (this.needToProcess) this.process();
      this.needToProcess = false;
      return this;
    };
    renderer = new Sigma(graph, $('graph'), {
      defaultNodeType: 'shape', defaultEdgeType: 'edge',
      nodeProgramClasses: { shape: kgPrograms.NodeShapeProgram },
      edgeProgramClasses: { edge: kgPrograms.EdgeProgram, band: kgPrograms.EdgeBandProgram, comention: kgPrograms.EdgeBandProgram },
      defaultDrawEdgeLabel: kgPrograms.drawEdgeLabel,
      nodeReducer: nodeReducer, edgeReducer: edgeReducer, enableEdgeEvents: false, renderEdgeLabels: true,
      labelFont: 'system-ui, "DejaVu Sans", sans-serif', labelSize: 12, labelWeight: '500', labelColor: { color: '#1d2330' },
      edgeLabelFont: 'system-ui, "DejaVu Sans", sans-serif', edgeLabelSize: 10, edgeLabelColor: { color: '#4a5263' },
      labelDensity: (BIG ? 0.5 : 1) * firstRatio * firstRatio, labelGridCellSize: BIG ? 120 : 70, labelRenderedSizeThreshold: BIG ? 1 : 4,
      minEdgeThickness: 1, stagePadding: 30, minCameraRatio: 0.005, maxCameraRatio: 20, zIndex: false,
      allowInvalidContainer: true  // a hidden view (graph or map) is never drawn, but must not throw
    });
  } catch (err) {
    renderer = null;
    $('graph').appendChild(el('p', { 'class': 'notice', text: 'This page draws the graph with WebGL, which this browser does not offer (' + err.message + '). Search and the details panel still work.' }));
    $('status').textContent = 'No WebGL';
  } finally {
    if (draw) Sigma.prototype.render = draw;
  }
  stats.buildMs = Math.round(performance.now() - t1);


  // Fit the camera to entities (list positions): sigma's own reset fits every node, the hidden too.
  function fit(indices, animate, target) {
    var r = target || renderer;
    if (!r || !indices.length) return;
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    indices.forEach(function (i) {
      var d = r.getNodeDisplayData(key(i));
      if (!d) return;
      minX = Math.min(minX, d.x); maxX = Math.max(maxX, d.x); minY = Math.min(minY, d.y); maxY = Math.max(maxY, d.y);
    });
    if (minX === Infinity) return;
    var unit = { x: 0.5, y: 0.5, ratio: 1, angle: 0 }, dims = r.getDimensions();
    var a = r.viewportToFramedGraph({ x: 0, y: 0 }, { cameraState: unit });
    var b = r.viewportToFramedGraph({ x: dims.width, y: dims.height }, { cameraState: unit });
    var ratio = Math.max((maxX - minX) / Math.abs(b.x - a.x), (maxY - minY) / Math.abs(b.y - a.y)) * 1.25;
    var view = { x: (minX + maxX) / 2, y: (minY + maxY) / 2, ratio: Math.max(ratio, indices.length > 1 ? 0.02 : 0.25), angle: 0 };
    if (animate) r.getCamera().animate(view, { duration: 300 });
    else r.getCamera().setState(view);
  }

  function centreOn(i, target) {
    var r = target || renderer, d = r && r.getNodeDisplayData(key(i));
    if (d) r.getCamera().animate({ x: d.x, y: d.y, ratio: Math.min(r.getCamera().getState().ratio, BIG ? 0.15 : 0.6) }, { duration: 250 });
  }

  // ---------------------------------------------------------------------------------------------
  // Selection.

  // The graph view redraws when it is open; when the map is, it redraws on coming back.
  function redrawGraph(partial) {
    if (!renderer) return;
    if ($('graph').hidden) return;  // refreshed as the graph view opens again
    renderer.refresh(partial);
  }

  function refreshAround(before) {
    // On a large graph a selection updates only what it touches (the label grid stays as it was). The
    // draw waits for the next frame: the details panel shows first.
    if (!renderer) return;
    if (!BIG) { redrawGraph({ schedule: true }); return; }
    var nodes = {}, edges = {};
    [before.node, state.node].forEach(function (v) {
      if (v < 0) return;
      nodes[key(v)] = 1;
      relAt[v].forEach(function (k) { edges['r' + k] = 1; });
      cmAt[v].forEach(function (k) { edges['c' + k] = 1; });
    });
    if (before.rel >= 0) edges['r' + before.rel] = 1;
    if (state.rel >= 0) edges['r' + state.rel] = 1;
    if (before.cm >= 0) edges['c' + before.cm] = 1;
    if (state.cm >= 0) edges['c' + state.cm] = 1;
    // (A frame later still on a large graph: the panel is painted before the graph's long draw starts.)
    requestAnimationFrame(function () {
      redrawGraph({ partialGraph: { nodes: Object.keys(nodes), edges: Object.keys(edges) }, skipIndexation: true, schedule: true });
    });
  }

  function select(kind, i) {
    var before = { node: state.node, rel: state.rel, cm: state.cm };
    state.node = kind === 'node' ? i : -1; state.rel = kind === 'rel' ? i : -1; state.cm = kind === 'cm' ? i : -1;
    if (kind === 'node') state.centre = i;
    if (kind === 'node' && (state.depth > 0 || !nodeShown[i])) applyFilters();
    else { refreshAround(before); if (map) map.refresh(); }
  }

  function selectNode(i, centre) {
    select('node', i);
    document.querySelectorAll('#depths button').forEach(function (b) {
      b.classList.toggle('on', state.depth > 0 && Number(b.getAttribute('data-depth')) === state.depth);
    });
    details.entity(i, function (v) { return relAt[v]; });
    if (state.depth > 0) fit(shownNodes(), true);
    else if (centre) { if (map && map.isOpen()) map.centreOn(i); else centreOn(i); }
  }

  function selectRelation(i, centre) {
    select('rel', i);
    details.relation(i);
    if (centre && renderer) fit([REL[i].s, REL[i].t], true);
  }

  function selectComention(i, centre) {
    select('cm', i);
    details.comention(i);
    if (centre && renderer) fit([CM[i][0], CM[i][1]], true);
  }

  // A click that is on no node may be on an edge: the nearest drawn one within a few pixels (sigma's
  // own edge picking would draw every edge a second time at every frame).
  function edgeAtClick(x, y) {
    var hit = kgPrograms.nearestEdge(renderer, x, y, NR + NC, function (k) {
      var a, b;
      if (k < NR) { if (!relShown[k]) return null; a = REL[k].s; b = REL[k].t; }
      else { if (!cmShown[k - NR]) return null; a = CM[k - NR][0]; b = CM[k - NR][1]; }
      return [X[a], Y[a], X[b], Y[b], shift[k]];
    });
    if (hit < 0) return;
    if (hit < NR) selectRelation(hit, false); else selectComention(hit - NR, false);
  }

  // ---------------------------------------------------------------------------------------------
  // Search.

  function findEntities(query) {
    var q = query.trim().toLowerCase();
    if (!q) return [];
    var exact = [], partial = [];
    ENT.forEach(function (e, i) {
      var all = [e.name].concat(e.aliases).map(function (s) { return s.toLowerCase(); });
      if (all.indexOf(q) >= 0 || e.id === query.trim()) exact.push(i);
      else if (all.some(function (s) { return s.indexOf(q) >= 0; })) partial.push(i);
    });
    return exact.concat(partial);
  }

  $('search-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var query = $('search').value, hits = findEntities(query);
    matches = new Uint8Array(NE);
    hits.forEach(function (i) { matches[i] = 1; });
    if (hits.length === 1) { selectNode(hits[0], true); return; }
    applyFilters();
    details.matches(query, hits);
    if (hits.length) { if (map && map.isOpen()) map.fit(hits); else fit(hits, true); }
  });

  // ---------------------------------------------------------------------------------------------
  // Views: the graph, and the map of the places that have coordinates (map.js).

  map = kgMap(DATA, {
    nodeLook: nodeLook, relationLook: relationLook,
    nodeShown: function (i) { return placeShown[i] || state.node === i || matches[i]; },
    relShown: function (i) { return relShown[i]; },
    state: state, matches: function (i) { return matches[i]; },
    selectNode: selectNode, selectRelation: selectRelation, fit: fit, centreOn: centreOn,
    settings: function () { return renderer ? renderer.getSettings() : null; }
  });
  function showView(name) {
    var onMap = name === 'map';
    $('graph').hidden = onMap; $('map').hidden = !onMap;
    $('view-graph').classList.toggle('on', !onMap); $('view-map').classList.toggle('on', onMap);
    $('view-graph').setAttribute('aria-selected', String(!onMap)); $('view-map').setAttribute('aria-selected', String(onMap));
    if (onMap) map.open();
    else { map.close(); if (renderer) { renderer.resize(); renderer.refresh(); } }
  }
  $('view-graph').addEventListener('click', function () { showView('graph'); });
  $('view-map').addEventListener('click', function () { showView('map'); });
  if (!map.places || !renderer) { $('view-map').disabled = true; $('view-map').title = renderer ? 'No place in this graph has coordinates' : 'The map needs WebGL'; }

  // ---------------------------------------------------------------------------------------------
  // First picture, then ready.

  if (renderer) {
    motion = kgPrograms.smoothMotion(renderer);
    if (BIG) kgPrograms.edgeResolution(renderer, 0.5);
    renderer.on('clickNode', function (e) { selectNode(+e.node, false); });
    renderer.on('clickStage', function (e) { edgeAtClick(e.event.x, e.event.y); });
    fit(shownNodes(), false);
    renderer.kgForce = true;
    renderer.render();  // the first picture, until the GPU has drawn it
    renderer.kgForce = false;
  }
  stats.firstRenderMs = Math.round(performance.now() - t1);
  $('status').textContent = plural(NE, 'entity', 'entities') + ', ' + plural(NR, 'relation') + (NC ? ', ' + plural(NC, 'co-mention') : '');
  requestAnimationFrame(function () {
    stats.openMs = Math.round(performance.now() - started);
    stats.ready = true;
    document.body.setAttribute('data-ready', 'true');
  });

  function findIndex(list, id) { for (var i = 0; i < list.length; i++) if (list[i].id === id) return i; return -1; }

  window.kg = {
    data: DATA, stats: stats, graph: graph, renderer: renderer, map: map, state: state,
    selectNode: selectNode, selectRelation: selectRelation, selectComention: selectComention,
    findEntities: findEntities, applyFilters: applyFilters, setDepth: setDepth, showView: showView, fit: fit,
    entityIndex: function (id) { return findIndex(ENT, id); },
    relationIndex: function (id) { return findIndex(REL, id); },
    // What sigma draws (its display data after the reducers), not the page's own flags.
    visible: function () {
      var out = { nodes: 0, relations: 0, comentions: 0 };
      graph.forEachNode(function (k) { if (!renderer.getNodeDisplayData(k).hidden) out.nodes++; });
      graph.forEachEdge(function (k) {
        if (!renderer.getEdgeDisplayData(k).hidden) out[k.charAt(0) === 'r' ? 'relations' : 'comentions']++;
      });
      return out;
    },
    // A full draw of everything shown, until the GPU is done: what a filter change or the end of a
    // camera move costs.
    redraw: function () {
      var t = performance.now();
      renderer.kgForce = true;
      renderer.render();
      renderer.kgForce = false;
      return performance.now() - t;
    },
    motion: motion
  };
})();
