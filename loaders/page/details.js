/* kg viz: the details panel. kgDetails(data, act) draws what was clicked into #details: an entity, a
 * relation with every sentence that states it, a pair named together, or the matches of a search.
 * `act` holds what the panel's links do (selectNode, selectRelation, selectComention, showNeighbourhood).
 * Text from the articles is only ever set as textContent, never parsed as HTML. */
var kgDetails = function (DATA, act) {
  'use strict';

  var ENT = DATA.entities, REL = DATA.relations, DOCS = DATA.documents, CM = DATA.comention, STYLE = DATA.style;
  var panel = document.getElementById('details');

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
  function plural(n, word, many) { return n + ' ' + (n === 1 ? word : many || word + 's'); }
  function swatch(shape, color, border) {
    var s = el('span', { 'class': 'swatch ' + shape });
    s.style.background = color; s.style.borderColor = border || color;
    return s;
  }
  function clear() { panel.textContent = ''; return panel; }

  function entityLink(i) {
    return el('button', { type: 'button', 'class': 'link', text: ENT[i].name, on: function () { act.selectNode(i, true); } });
  }
  function relationLink(i, text) {
    return el('button', { type: 'button', 'class': 'link', text: text, on: function () { act.selectRelation(i, true); } });
  }
  function docLabel(d) { var doc = DOCS[d]; return doc.title === doc.id ? doc.id : doc.title + ' (' + doc.id + ')'; }
  function docNode(d) {
    var doc = DOCS[d];
    if (doc.url && /^https?:\/\//i.test(doc.url)) return el('a', { 'class': 'link', href: doc.url, target: '_blank', rel: 'noopener', text: docLabel(d) });
    return el('span', { text: docLabel(d) });
  }
  function typeLabel(r) { return r.type === 'RELATED_TO' && typeof r.attributes.predicate === 'string' ? 'RELATED_TO “' + r.attributes.predicate + '”' : r.type; }

  function marks(rel) {
    var out = [];
    if (rel.polarity === 'negative') out.push(el('span', { 'class': 'badge negative', text: 'negative' }));
    if (rel.modality !== 'asserted') out.push(el('span', { 'class': 'badge ' + rel.modality, text: rel.modality }));
    return out;
  }

  // Any value an attribute may hold (a string, a number, a list, an object from a newer graph.json) as text.
  function valueText(v) {
    if (Array.isArray(v)) return v.map(valueText).join(', ');
    if (v !== null && typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }

  function definitions(pairs) {
    var dl = el('dl');
    pairs.forEach(function (p) {
      var v = p[1];
      if (v == null || v === '' || (Array.isArray(v) && !v.length)) return;
      dl.appendChild(el('dt', { text: p[0] }));
      dl.appendChild(el('dd', {}, [v instanceof Node ? v : valueText(v)]));
    });
    return dl;
  }

  function entity(i, relationsOf) {
    var e = ENT[i], s = STYLE.nodes[e.type] || {}, box = clear();
    box.appendChild(el('h2', {}, [swatch(s.shape, s.color, s.border), ' ', e.type]));
    box.appendChild(el('h3', { text: e.name }));
    var attrs = Object.keys(e.attributes).map(function (k) { return [k, e.attributes[k]]; });
    box.appendChild(definitions([['id', e.id], ['aliases', e.aliases], ['mentions', e.mentions]].concat(attrs)));
    box.appendChild(el('h2', { text: 'Mentioned in ' + plural(e.docs.length, 'document') }));
    box.appendChild(el('ul', {}, e.docs.map(function (d) {
      return el('li', {}, [docNode(d[0]), el('span', { 'class': 'hint', text: ' · ' + plural(d[1], 'mention') })]);
    })));
    var mine = relationsOf(i);
    box.appendChild(el('h2', { text: plural(mine.length, 'relation') }));
    box.appendChild(el('ul', {}, mine.map(function (ri) {
      var r = REL[ri], out = r.s === i;
      return el('li', {}, [out ? '→ ' : '← ', relationLink(ri, typeLabel(r)), ' ', entityLink(out ? r.t : r.s), ' ']
        .concat(marks(r)).concat([el('span', { 'class': 'hint', text: ' · ' + plural(r.evidence.length, 'sentence') + (r.attributes.when ? ' · ' + r.attributes.when : '') })]));
    })));
    box.appendChild(el('p', {}, [el('button', { type: 'button', text: 'Show neighbourhood', on: act.showNeighbourhood })]));
  }

  // A sentence with its spans: the trigger in <mark class="trigger">, the subject's and the object's
  // mentions underlined (class arg-s / arg-o).
  function sentenceNode(text, spanMarks, trigger) {
    var spans = spanMarks.map(function (m) { return { a: m[0], b: m[1], cls: 'arg-' + m[2], tag: 'span' }; });
    if (trigger) spans.push({ a: trigger[0], b: trigger[1], cls: 'trigger', tag: 'mark' });
    spans.sort(function (p, q) { return p.a - q.a || q.b - p.b; });
    var out = el('div', { 'class': 'sentence' }), at = 0;
    spans.forEach(function (sp) {
      if (sp.a < at || sp.b > text.length) return;  // overlapping spans: the first one wins
      out.appendChild(document.createTextNode(text.slice(at, sp.a)));
      out.appendChild(el(sp.tag, { 'class': sp.cls, text: text.slice(sp.a, sp.b) }));
      at = sp.b;
    });
    out.appendChild(document.createTextNode(text.slice(at)));
    return out;
  }

  function relation(i) {
    var r = REL[i], box = clear();
    box.appendChild(el('h2', {}, ['Relation '].concat(marks(r))));
    box.appendChild(el('h3', {}, [entityLink(r.s), ' ' + (r.polarity === 'negative' ? 'NOT ' : '') + typeLabel(r) + ' ', entityLink(r.t)]));
    var speaker = r.speaker != null ? entityLink(r.speaker) : r.speaker_id;
    var attrs = Object.keys(r.attributes).map(function (k) { return [k, r.attributes[k]]; });
    box.appendChild(definitions([['polarity', r.polarity], ['modality', r.modality], ['confidence', r.confidence],
      ['speaker', speaker]].concat(attrs).concat([['id', r.id]])));
    box.appendChild(el('h2', { text: 'Evidence: ' + plural(r.evidence.length, 'sentence') }));
    r.evidence.forEach(function (ev) {
      box.appendChild(el('div', { 'class': 'evidence' }, [
        el('div', { 'class': 'where' }, [docNode(ev.doc), ' · characters ' + ev.start + '–' + ev.end + ' · trigger “' + ev.trigger_text + '”']),
        sentenceNode(ev.sentence, ev.marks, ev.trigger)]));
    });
  }

  function comention(i) {
    var c = CM[i], a = c[0], b = c[1], box = clear();
    box.appendChild(el('h2', {}, ['Named together ', el('span', { 'class': 'badge comention', text: 'co-mention' })]));
    box.appendChild(el('h3', {}, [entityLink(a), ' and ', entityLink(b)]));
    var shared = sharedDocs(a, b);
    box.appendChild(definitions([['articles', c[2]], ['sentences', c[3]]]));
    box.appendChild(el('h2', { text: 'In ' + plural(shared.length, 'article') }));
    box.appendChild(el('ul', {}, shared.map(function (d) {
      return el('li', {}, [docNode(d[0]), el('span', { 'class': 'hint', text: ' · ' + d[1] + ' and ' + d[2] + ' mentions' })]);
    })));
    if (c[4].length) {
      box.appendChild(el('h2', { text: 'In the same sentence' + (c[3] > c[4].length ? ' (' + c[4].length + ' of ' + c[3] + ')' : '') }));
      c[4].forEach(function (ex) {
        var ev = REL[ex[0]].evidence[ex[1]];
        box.appendChild(el('div', { 'class': 'evidence' }, [
          el('div', { 'class': 'where' }, [docNode(ev.doc), ' · characters ' + ev.start + '–' + ev.end]),
          sentenceNode(ev.sentence, ex[2], null)]));
      });
    }
  }

  function sharedDocs(a, b) {
    var inB = {};
    ENT[b].docs.forEach(function (d) { inB[d[0]] = d[1]; });
    return ENT[a].docs.filter(function (d) { return d[0] in inB; }).map(function (d) { return [d[0], d[1], inB[d[0]]]; });
  }

  function matches(query, hits) {
    var box = clear();
    box.appendChild(el('h2', { text: hits.length ? plural(hits.length, 'match', 'matches') + ' for “' + query + '”' : 'No entity matches “' + query + '”' }));
    box.appendChild(el('ul', {}, hits.slice(0, 200).map(function (i) {
      return el('li', {}, [entityLink(i), ' ', el('span', { 'class': 'hint', text: ENT[i].type + ' · ' + plural(ENT[i].degree, 'relation') })]);
    })));
  }

  return { entity: entity, relation: relation, comention: comention, matches: matches, el: el, plural: plural, swatch: swatch };
};
