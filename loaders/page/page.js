/* kg viz: draws the graph in #kg-data with Cytoscape.js. Text from the articles is only ever set as
 * textContent, never parsed as HTML. window.kg exposes the state for tests and for the curious. */
(function () {
  'use strict';

  var DATA = JSON.parse(document.getElementById('kg-data').textContent);
  var STYLE = DATA.style;
  var ENT = DATA.entities, REL = DATA.relations, DOCS = DATA.documents;
  var BIG = REL.length > 3000 || ENT.length > 1500;
  var stats = { nodes: ENT.length, edges: REL.length };

  // ---------------------------------------------------------------------------------------------
  // Elements and style.

  function edgeLabel(rel) {
    var label = rel.type;
    if (rel.polarity === 'negative') label = 'NOT ' + label;
    if (rel.modality !== 'asserted') label += ' (' + rel.modality + ')';
    return label;
  }

  function nodeSize(e) { return Math.round(18 + 9 * Math.sqrt(e.degree)); }

  function stylesheet() {
    var sheet = [
      { selector: 'node', style: {
        'width': 'data(size)', 'height': 'data(size)', 'label': 'data(label)', 'font-size': 11,
        'min-zoomed-font-size': 7, 'text-valign': 'bottom', 'text-margin-y': 3, 'color': '#1d2330',
        'text-outline-color': '#fff', 'text-outline-width': 2, 'border-width': 2 } },
      { selector: 'edge', style: {
        'width': 1.6, 'line-color': 'data(color)', 'target-arrow-color': 'data(color)',
        'target-arrow-shape': BIG ? 'none' : 'triangle', 'arrow-scale': 0.9, 'curve-style': BIG ? 'haystack' : 'bezier',
        'font-size': 9, 'min-zoomed-font-size': 8, 'color': '#4a5263',
        'text-rotation': 'autorotate', 'text-background-color': '#fff', 'text-background-opacity': 0.85,
        'text-background-padding': 1 } },
      // Edge labels cost a text measure each: on a large graph only the selection's edges have one.
      // So do arrowheads (a rotation each): on a large graph the selection's edges show direction.
      { selector: BIG ? 'edge.labelled, edge:selected' : 'edge', style: {
        'label': 'data(label)', 'target-arrow-shape': 'triangle', 'curve-style': 'bezier' } },
      { selector: 'edge.symmetric', style: { 'target-arrow-shape': 'none' } },
      { selector: 'edge.future, edge.possible', style: { 'line-style': 'dotted', 'width': 2 } },
      { selector: 'edge.negative', style: {
        'line-color': STYLE.negative, 'target-arrow-color': STYLE.negative, 'line-style': 'dashed',
        'color': STYLE.negative, 'width': 2 } },
      { selector: 'node.match', style: { 'border-color': '#f5b700', 'border-width': 6 } },
      { selector: 'node:selected', style: { 'border-color': '#1d2330', 'border-width': 5 } },
      { selector: 'edge:selected', style: { 'width': 4, 'z-index': 10 } },
      { selector: '.hidden', style: { 'display': 'none' } }
    ];
    Object.keys(STYLE.nodes).forEach(function (type) {
      var s = STYLE.nodes[type];
      sheet.splice(1, 0, { selector: 'node[type = "' + type + '"]', style: {
        'background-color': s.color, 'border-color': s.border, 'shape': s.shape } });
    });
    return sheet;
  }

  var t0 = performance.now();
  var pos = kgLayout(ENT, REL);
  stats.layoutMs = Math.round(performance.now() - t0);

  var symmetric = {};
  STYLE.symmetric.forEach(function (t) { symmetric[t] = true; });
  var elements = [];
  ENT.forEach(function (e, i) {
    elements.push({ group: 'nodes', data: { id: 'n' + i, label: e.name, type: e.type, size: nodeSize(e) },
                    position: { x: pos.x[i], y: pos.y[i] } });
  });
  REL.forEach(function (r, i) {
    var classes = [r.polarity, r.modality];
    if (symmetric[r.type]) classes.push('symmetric');
    elements.push({ group: 'edges', classes: classes.join(' '), data: {
      id: 'e' + i, source: 'n' + r.s, target: 'n' + r.t, label: edgeLabel(r),
      color: STYLE.relations[r.type] || '#8c95a3' } });
  });

  var t1 = performance.now();
  var cy = cytoscape({
    container: document.getElementById('graph'), elements: elements, layout: { name: 'preset' },
    style: stylesheet(), minZoom: 0.02, maxZoom: 4,
    boxSelectionEnabled: false, selectionType: 'single',
    hideEdgesOnViewport: BIG, textureOnViewport: BIG, motionBlur: false, pixelRatio: BIG ? 1 : 'auto'
  });
  cy.one('render', function () {
    stats.firstRenderMs = Math.round(performance.now() - t1);
    stats.ready = true;
    document.body.setAttribute('data-ready', 'true');
  });
  stats.buildMs = Math.round(performance.now() - t1);

  // ---------------------------------------------------------------------------------------------
  // Small DOM helpers: everything from the data goes in as text.

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'class') node.className = attrs[k];
      else if (k === 'on') node.addEventListener('click', attrs[k]);
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c != null) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }
  function $(id) { return document.getElementById(id); }
  function plural(n, word, many) { return n + ' ' + (n === 1 ? word : many || word + 's'); }
  function swatch(shape, color, border) {
    var s = el('span', { 'class': 'swatch ' + shape });
    s.style.background = color; s.style.borderColor = border || color;
    return s;
  }

  // ---------------------------------------------------------------------------------------------
  // Controls.

  $('title').textContent = DATA.title;
  $('subtitle').textContent = DATA.subtitle;

  var typeCounts = {}, relCounts = {};
  ENT.forEach(function (e) { typeCounts[e.type] = (typeCounts[e.type] || 0) + 1; });
  REL.forEach(function (r) { relCounts[r.type] = (relCounts[r.type] || 0) + 1; });
  Object.keys(STYLE.nodes).forEach(function (type) {
    var s = STYLE.nodes[type];
    $('entity-types').appendChild(el('label', { 'class': 'row' }, [
      el('input', { type: 'checkbox', checked: '', 'data-entity-type': type }), swatch(s.shape, s.color, s.border),
      type, el('span', { 'class': 'count', text: String(typeCounts[type] || 0) })]));
  });
  Object.keys(STYLE.relations).forEach(function (type) {
    if (!relCounts[type]) return;
    var line = el('span', { 'class': 'swatch line' });
    line.style.borderTopColor = STYLE.relations[type];
    $('relation-types').appendChild(el('label', { 'class': 'row' }, [
      el('input', { type: 'checkbox', checked: '', 'data-relation-type': type }), line, type,
      el('span', { 'class': 'count', text: String(relCounts[type]) })]));
  });
  DOCS.forEach(function (d, i) {
    $('document').appendChild(el('option', { value: String(i), text: d.title === d.id ? d.id : d.title + ' (' + d.id + ')' }));
  });
  var names = {};
  ENT.forEach(function (e) { names[e.name] = true; e.aliases.forEach(function (a) { names[a] = true; }); });
  var datalist = $('names');
  Object.keys(names).sort().forEach(function (name) { datalist.appendChild(el('option', { value: name })); });

  // ---------------------------------------------------------------------------------------------
  // Filtering: which nodes and edges are shown follows from the controls and the neighbourhood.

  var state = { centre: -1, depth: 0 };
  var nodeShown = new Uint8Array(ENT.length).fill(1), edgeShown = new Uint8Array(REL.length).fill(1);

  function checked(attr) {
    var out = {};
    document.querySelectorAll('input[' + attr + ']').forEach(function (box) {
      if (box.checked) out[box.getAttribute(attr)] = true;
    });
    return out;
  }

  function applyFilters() {
    var etypes = checked('data-entity-type'), rtypes = checked('data-relation-type');
    var showNeg = $('show-negative').checked, showPlan = $('show-planned').checked;
    var doc = $('document').value === '' ? -1 : Number($('document').value);
    var nodeOk = new Uint8Array(ENT.length), edgeOk = new Uint8Array(REL.length), i;
    for (i = 0; i < ENT.length; i++) {
      var e = ENT[i];
      nodeOk[i] = etypes[e.type] && (doc < 0 || e.docs.some(function (d) { return d[0] === doc; })) ? 1 : 0;
    }
    for (i = 0; i < REL.length; i++) {
      var r = REL[i];
      edgeOk[i] = nodeOk[r.s] && nodeOk[r.t] && rtypes[r.type] && (showNeg || r.polarity !== 'negative')
        && (showPlan || r.modality === 'asserted') && (doc < 0 || r.docs.indexOf(doc) >= 0) ? 1 : 0;
    }
    if (state.centre >= 0 && state.depth > 0) {
      var reach = neighbourhood(state.centre, state.depth, edgeOk);
      for (i = 0; i < ENT.length; i++) if (!reach[i]) nodeOk[i] = 0;
      nodeOk[state.centre] = 1;
      for (i = 0; i < REL.length; i++) if (!nodeOk[REL[i].s] || !nodeOk[REL[i].t]) edgeOk[i] = 0;
    }
    cy.batch(function () {
      for (i = 0; i < ENT.length; i++) if (nodeOk[i] !== nodeShown[i]) cy.getElementById('n' + i).toggleClass('hidden', !nodeOk[i]);
      for (i = 0; i < REL.length; i++) if (edgeOk[i] !== edgeShown[i]) cy.getElementById('e' + i).toggleClass('hidden', !edgeOk[i]);
    });
    nodeShown = nodeOk; edgeShown = edgeOk;
    var nodes = nodeOk.reduce(function (a, b) { return a + b; }, 0), edges = edgeOk.reduce(function (a, b) { return a + b; }, 0);
    $('shown').textContent = 'Showing ' + nodes + ' of ' + plural(ENT.length, 'entity', 'entities')
      + ', ' + edges + ' of ' + plural(REL.length, 'relation') + '.';
    stats.shownNodes = nodes; stats.shownEdges = edges;
  }

  var adjacency = null;
  function relationsOf(v) {  // relation indexes at entity v, each once; built on first use
    if (!adjacency) {
      adjacency = ENT.map(function () { return []; });
      REL.forEach(function (r, i) { adjacency[r.s].push(i); if (r.t !== r.s) adjacency[r.t].push(i); });
    }
    return adjacency[v];
  }

  function neighbourhood(centre, depth, edgeOk) {
    var seen = new Uint8Array(ENT.length), frontier = [centre];
    seen[centre] = 1;
    for (var d = 0; d < depth; d++) {
      var next = [];
      frontier.forEach(function (v) {
        relationsOf(v).forEach(function (ei) {
          if (!edgeOk[ei]) return;
          var w = REL[ei].s === v ? REL[ei].t : REL[ei].s;
          if (!seen[w]) { seen[w] = 1; next.push(w); }
        });
      });
      frontier = next;
    }
    return seen;
  }

  function setDepth(depth) {
    state.depth = depth;
    document.querySelectorAll('#depths button').forEach(function (b) {
      b.classList.toggle('on', Number(b.getAttribute('data-depth')) === depth && (depth === 0 || state.centre >= 0));
    });
    applyFilters();
    if (depth > 0 && state.centre >= 0) cy.fit(cy.elements().not('.hidden'), 40);
  }

  document.querySelectorAll('#controls input, #document').forEach(function (input) {
    input.addEventListener('change', applyFilters);
  });
  document.querySelectorAll('#depths button').forEach(function (b) {
    b.addEventListener('click', function () { setDepth(Number(b.getAttribute('data-depth'))); });
  });
  $('fit').addEventListener('click', function () { cy.fit(cy.elements().not('.hidden'), 30); });

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
    cy.nodes('.match').removeClass('match');
    hits.forEach(function (i) { cy.getElementById('n' + i).addClass('match'); });
    if (hits.length === 1) { selectNode(hits[0], true); return; }
    var panel = clearDetails();
    panel.appendChild(el('h2', { text: hits.length ? plural(hits.length, 'match', 'matches') + ' for “' + query + '”' : 'No entity matches “' + query + '”' }));
    panel.appendChild(el('ul', {}, hits.slice(0, 200).map(function (i) {
      return el('li', {}, [entityLink(i), ' ', el('span', { 'class': 'hint', text: ENT[i].type + ' · ' + plural(ENT[i].degree, 'relation') })]);
    })));
    if (hits.length) cy.fit(cy.collection(hits.map(function (i) { return cy.getElementById('n' + i); })), 60);
  });

  // ---------------------------------------------------------------------------------------------
  // Details.

  function clearDetails() { var panel = $('details'); panel.textContent = ''; return panel; }

  function entityLink(i) {
    return el('button', { type: 'button', 'class': 'link', text: ENT[i].name, on: function () { selectNode(i, true); } });
  }

  function relationLink(i, text) {
    return el('button', { type: 'button', 'class': 'link', text: text, on: function () { selectEdge(i, true); } });
  }

  function docLabel(d) { var doc = DOCS[d]; return doc.title === doc.id ? doc.id : doc.title + ' (' + doc.id + ')'; }

  function docNode(d) {
    var doc = DOCS[d];
    if (doc.url && /^https?:\/\//i.test(doc.url)) return el('a', { 'class': 'link', href: doc.url, target: '_blank', rel: 'noopener', text: docLabel(d) });
    return el('span', { text: docLabel(d) });
  }

  function marks(rel) {
    var out = [];
    if (rel.polarity === 'negative') out.push(el('span', { 'class': 'badge negative', text: 'negative' }));
    if (rel.modality !== 'asserted') out.push(el('span', { 'class': 'badge ' + rel.modality, text: rel.modality }));
    return out;
  }

  function definitions(pairs) {
    var dl = el('dl');
    pairs.forEach(function (p) {
      if (p[1] == null || p[1] === '' || (Array.isArray(p[1]) && !p[1].length)) return;
      dl.appendChild(el('dt', { text: p[0] }));
      var v = p[1];
      dl.appendChild(el('dd', {}, [v instanceof Node ? v : Array.isArray(v) ? v.join(', ') : String(v)]));
    });
    return dl;
  }

  function selectNode(i, centre) {
    cy.elements(':selected').unselect();
    var node = cy.getElementById('n' + i);
    node.select();
    cy.batch(function () { cy.edges('.labelled').removeClass('labelled'); node.connectedEdges().addClass('labelled'); });
    state.centre = i;
    if (state.depth > 0) setDepth(state.depth);
    else document.querySelectorAll('#depths button').forEach(function (b) { b.classList.remove('on'); });
    if (centre) cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1) }, { duration: 250 });
    showNode(i);
  }

  function showNode(i) {
    var e = ENT[i], s = STYLE.nodes[e.type], panel = clearDetails();
    panel.appendChild(el('h2', {}, [swatch(s.shape, s.color, s.border), ' ', e.type]));
    panel.appendChild(el('h3', { text: e.name }));
    var attrs = Object.keys(e.attributes).map(function (k) { return [k, e.attributes[k]]; });
    panel.appendChild(definitions([['id', e.id], ['aliases', e.aliases]].concat(attrs)));
    panel.appendChild(el('h2', { text: 'Mentioned in ' + plural(e.docs.length, 'document') }));
    panel.appendChild(el('ul', {}, e.docs.map(function (d) {
      return el('li', {}, [docNode(d[0]), el('span', { 'class': 'hint', text: ' · ' + plural(d[1], 'mention') })]);
    })));
    var mine = relationsOf(i);
    panel.appendChild(el('h2', { text: plural(mine.length, 'relation') }));
    panel.appendChild(el('ul', {}, mine.map(function (ri) {
      var r = REL[ri], out = r.s === i;
      return el('li', {}, [out ? '→ ' : '← ', relationLink(ri, r.type), ' ', entityLink(out ? r.t : r.s), ' ']
        .concat(marks(r)).concat([el('span', { 'class': 'hint', text: ' · ' + plural(r.evidence.length, 'sentence') })]));
    })));
    panel.appendChild(el('p', {}, [el('button', { type: 'button', text: 'Show neighbourhood', on: function () { setDepth(state.depth || 1); } })]));
  }

  function selectEdge(i, centre) {
    cy.elements(':selected').unselect();
    var edge = cy.getElementById('e' + i);
    edge.select();
    if (centre) cy.animate({ center: { eles: edge } }, { duration: 250 });
    showEdge(i);
  }

  function sentenceNode(ev) {
    var spans = ev.marks.map(function (m) { return { a: m[0], b: m[1], cls: 'arg-' + m[2], tag: 'span' }; });
    if (ev.trigger) spans.push({ a: ev.trigger[0], b: ev.trigger[1], cls: 'trigger', tag: 'mark' });
    spans.sort(function (p, q) { return p.a - q.a || q.b - p.b; });
    var out = el('div', { 'class': 'sentence' }), at = 0, text = ev.sentence;
    spans.forEach(function (sp) {
      if (sp.a < at || sp.b > text.length) return;  // overlapping spans: the first one wins
      out.appendChild(document.createTextNode(text.slice(at, sp.a)));
      out.appendChild(el(sp.tag, { 'class': sp.cls, text: text.slice(sp.a, sp.b) }));
      at = sp.b;
    });
    out.appendChild(document.createTextNode(text.slice(at)));
    return out;
  }

  function showEdge(i) {
    var r = REL[i], panel = clearDetails();
    panel.appendChild(el('h2', {}, ['Relation '].concat(marks(r))));
    panel.appendChild(el('h3', {}, [entityLink(r.s), ' ' + (r.polarity === 'negative' ? 'NOT ' : '') + r.type + ' ', entityLink(r.t)]));
    var speaker = r.speaker != null ? entityLink(r.speaker) : r.speaker_id;
    var attrs = Object.keys(r.attributes).map(function (k) { return [k, r.attributes[k]]; });
    panel.appendChild(definitions([['polarity', r.polarity], ['modality', r.modality], ['confidence', r.confidence],
      ['speaker', speaker]].concat(attrs).concat([['id', r.id]])));
    panel.appendChild(el('h2', { text: 'Evidence: ' + plural(r.evidence.length, 'sentence') }));
    r.evidence.forEach(function (ev) {
      panel.appendChild(el('div', { 'class': 'evidence' }, [
        el('div', { 'class': 'where' }, [docNode(ev.doc), ' · characters ' + ev.start + '–' + ev.end + ' · trigger “' + ev.trigger_text + '”']),
        sentenceNode(ev)]));
    });
  }

  cy.on('tap', 'node', function (evt) { selectNode(Number(evt.target.id().slice(1)), false); });
  cy.on('tap', 'edge', function (evt) { selectEdge(Number(evt.target.id().slice(1)), false); });

  applyFilters();
  cy.fit(undefined, 30);
  $('status').textContent = plural(ENT.length, 'entity', 'entities') + ', ' + plural(REL.length, 'relation')
    + ' · layout ' + stats.layoutMs + ' ms';

  window.kg = {
    cy: cy, data: DATA, stats: stats, selectNode: selectNode, selectEdge: selectEdge, findEntities: findEntities,
    nodeOf: function (entityId) { for (var i = 0; i < ENT.length; i++) if (ENT[i].id === entityId) return 'n' + i; return null; },
    edgeOf: function (relationId) { for (var i = 0; i < REL.length; i++) if (REL[i].id === relationId) return 'e' + i; return null; }
  };
})();
