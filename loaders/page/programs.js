/* kg viz: how the page draws: WebGL programs for sigma (our own shaders), and camera motion that
 * moves the last picture instead of drawing a new one when drawing takes longer than a frame.
 *
 * Why not sigma's own programs: they draw every node and every edge as an *instance* of a small
 * mesh, and a software WebGL (SwiftShader, what a browser without a GPU runs) pays a fixed price per
 * instance: 5,000 nodes and 20,000 edges took about a second a frame. These draw plain primitives
 * (one point per node, two triangles per edge), which SwiftShader draws in a few milliseconds, and
 * they upload their vertex data only when it changed, not at every frame.
 *
 * Nodes: a point sprite cut into the entity type's shape (circle, square, diamond) with a border.
 * Edges: a band of constant screen width, solid, dashed (negative) or dotted (future, possible), and
 * an arrow head at the target for directed relations. */
var kgPrograms = (function () {
  'use strict';
  if (typeof Sigma === 'undefined' || typeof WebGLRenderingContext === 'undefined') return null;  // no WebGL here

  var R = Sigma.rendering, floatColor = Sigma.utils.floatColor;
  var FLOAT = WebGLRenderingContext.FLOAT, UNSIGNED_BYTE = WebGLRenderingContext.UNSIGNED_BYTE;
  var SHAPES = { circle: 0, square: 1, diamond: 2 };
  var DASHES = { solid: 0, dashed: 1, dotted: 2 };

  // Sigma uploads a program's whole vertex array before every draw; these keep a version number and
  // upload only when process() or reallocate() changed it, and skip the draw when nothing is visible.
  function uploadOnChange(Base) {
    return class extends Base {
      reallocate(capacity) { this.kgVersion = (this.kgVersion || 0) + 1; this.kgVisible = 0; super.reallocate(capacity); }
      process() {
        this.kgVersion = (this.kgVersion || 0) + 1;
        var data = arguments[arguments.length - 1];
        if (!data.hidden && (arguments.length < 5 || (!arguments[2].hidden && !arguments[3].hidden))) this.kgVisible = (this.kgVisible || 0) + 1;
        return super.process.apply(this, arguments);
      }
      render(params) { if (this.kgVisible) super.render(params); }
      bindProgram(program) {
        var gl = program.gl, offset = 0, self = this;
        gl.bindBuffer(gl.ARRAY_BUFFER, program.buffer);
        this.ATTRIBUTES.forEach(function (attr) { offset += self.bindAttribute(attr, program, offset); });
        if (program.kgVersion !== this.kgVersion) {
          gl.bufferData(gl.ARRAY_BUFFER, this.array, gl.DYNAMIC_DRAW);
          program.kgVersion = this.kgVersion;
        }
        gl.bindBuffer(gl.ARRAY_BUFFER, null);
      }
    };
  }

  var NODE_VERTEX = [
    'attribute vec4 a_id;', 'attribute vec4 a_color;', 'attribute vec4 a_border;', 'attribute vec2 a_position;',
    'attribute float a_size;', 'attribute float a_shape;',
    'uniform float u_sizeRatio;', 'uniform float u_pixelRatio;', 'uniform mat3 u_matrix;',
    'varying vec4 v_color;', 'varying vec4 v_border;', 'varying float v_shape;', 'varying float v_px;',
    'const float bias = 255.0 / 254.0;',
    'void main() {',
    '  gl_Position = vec4((u_matrix * vec3(a_position, 1)).xy, 0, 1);',
    '  gl_PointSize = a_size / u_sizeRatio * u_pixelRatio * 2.0;',
    '  v_px = gl_PointSize;',
    '  v_shape = a_shape;',
    '  #ifdef PICKING_MODE',
    '  v_color = a_id;',
    '  #else',
    '  v_color = a_color;',
    '  #endif',
    '  v_color.a *= bias;',
    '  v_border = a_border;',
    '  v_border.a *= bias;',
    '}'].join('\n');

  var NODE_FRAGMENT = [
    'precision mediump float;',
    'varying vec4 v_color;', 'varying vec4 v_border;', 'varying float v_shape;', 'varying float v_px;',
    'void main(void) {',
    '  vec2 m = gl_PointCoord - vec2(0.5, 0.5);',
    '  float d = v_shape < 0.5 ? length(m) : v_shape < 1.5 ? max(abs(m.x), abs(m.y)) * 1.12 : abs(m.x) + abs(m.y);',
    '  if (d > 0.5) discard;',
    '  #ifdef PICKING_MODE',
    '  gl_FragColor = v_color;',
    '  #else',
    '  float border = min(0.2, 1.6 / max(v_px, 1.0));',
    '  gl_FragColor = d > 0.5 - border ? v_border : v_color;',
    '  #endif',
    '}'].join('\n');

  class NodeShapeProgram extends uploadOnChange(R.NodeProgram) {
    getDefinition() {
      return {
        VERTICES: 1, METHOD: WebGLRenderingContext.POINTS,
        VERTEX_SHADER_SOURCE: NODE_VERTEX, FRAGMENT_SHADER_SOURCE: NODE_FRAGMENT,
        UNIFORMS: ['u_sizeRatio', 'u_pixelRatio', 'u_matrix'],
        ATTRIBUTES: [
          { name: 'a_position', size: 2, type: FLOAT }, { name: 'a_size', size: 1, type: FLOAT },
          { name: 'a_shape', size: 1, type: FLOAT },
          { name: 'a_color', size: 4, type: UNSIGNED_BYTE, normalized: true },
          { name: 'a_border', size: 4, type: UNSIGNED_BYTE, normalized: true },
          { name: 'a_id', size: 4, type: UNSIGNED_BYTE, normalized: true }]
      };
    }
    processVisibleItem(nodeId, i, data) {
      var a = this.array;
      a[i++] = data.x; a[i++] = data.y; a[i++] = data.size; a[i++] = SHAPES[data.shape] || 0;
      a[i++] = floatColor(data.color); a[i++] = floatColor(data.borderColor || data.color); a[i] = nodeId;
    }
    setUniforms(params, info) {
      var gl = info.gl, u = info.uniformLocations;
      gl.uniform1f(u.u_pixelRatio, params.pixelRatio);
      gl.uniform1f(u.u_sizeRatio, params.sizeRatio);
      gl.uniformMatrix3fv(u.u_matrix, false, params.matrix);
    }
  }

  // An edge is a band of six vertices (two triangles from source to target, a constant number of
  // pixels wide), and, in the variant with heads, three more for an arrow head at the target, folded
  // to nothing when the edge's `head` is 0. a_code: band corners 0..5 = end * 3 + side + 1 (end 0
  // source, 1 target; side -1/+1); head corners 6 (tip), 7 and 8. Parallel edges between two nodes
  // are drawn side by side: `shift` pixels off the line between their centres.
  var EDGE_VERTEX = [
    'attribute vec4 a_id;', 'attribute vec4 a_color;', 'attribute vec2 a_position;', 'attribute vec2 a_other;',
    'attribute float a_code;', 'attribute float a_thickness;', 'attribute float a_dash;', 'attribute float a_radius;',
    'attribute float a_shift;',
    'uniform mat3 u_matrix;', 'uniform float u_sizeRatio;', 'uniform float u_pixelRatio;', 'uniform vec2 u_dimensions;',
    'uniform float u_minEdgeThickness;',
    'varying vec4 v_color;', 'varying float v_along;', 'varying float v_dash;',
    'const float bias = 255.0 / 254.0;',
    'void main() {',
    '  vec2 p = (u_matrix * vec3(a_position, 1)).xy;',
    '  vec2 q = (u_matrix * vec3(a_other, 1)).xy;',
    '  vec2 px = (q - p) * u_dimensions * 0.5;',
    '  float len = length(px);',
    '  vec2 dir = len > 0.0 ? px / len : vec2(1.0, 0.0);',
    '  vec2 normal = vec2(-dir.y, dir.x);',
    '  float thickness = max(a_thickness / u_sizeRatio, u_minEdgeThickness) * u_pixelRatio;',
    '  vec2 offset = normal * a_shift * u_pixelRatio;',
    '  if (a_code < 5.5) {',
    '    float end = floor(a_code / 3.0);',
    '    float side = (a_code - end * 3.0 - 1.0) * (1.0 - 2.0 * end);',
    '    offset += normal * side * thickness * 0.5;',
    '    v_along = end * len;',
    '    v_dash = a_dash;',
    '  } else {',
    '    float radius = a_radius / u_sizeRatio * u_pixelRatio;',
    '    float size = max(4.0, 1.5 * thickness) * a_dash;',
    '    float side = a_code < 6.5 ? 0.0 : a_code < 7.5 ? 1.0 : -1.0;',
    '    offset += (dir * (radius + abs(side) * size * 2.0) + normal * side * size) * a_dash;',
    '    v_along = 0.0;',
    '    v_dash = 0.0;',
    '  }',
    '  gl_Position = vec4(p + offset * 2.0 / u_dimensions, 0, 1);',
    '  #ifdef PICKING_MODE',
    '  v_color = a_id;',
    '  #else',
    '  v_color = a_color;',
    '  #endif',
    '  v_color.a *= bias;',
    '}'].join('\n');

  var EDGE_FRAGMENT = [
    'precision mediump float;',
    'varying vec4 v_color;', 'varying float v_along;', 'varying float v_dash;',
    'void main(void) {',
    '  #ifndef PICKING_MODE',
    '  if (v_dash > 1.5) { if (mod(v_along, 6.0) > 3.0) discard; }',
    '  else if (v_dash > 0.5) { if (mod(v_along, 12.0) > 7.0) discard; }',
    '  #endif',
    '  gl_FragColor = v_color;',
    '}'].join('\n');

  // Vertex order: two band triangles (source+, source-, target- / target-, source+, target+), then the head.
  var CODES = [2, 0, 3, 3, 2, 5, 6, 7, 8];

  function edgeProgram(heads) {
    var vertices = heads ? 9 : 6;
    return class extends uploadOnChange(R.EdgeProgram) {
      getDefinition() {
        return {
          VERTICES: vertices, METHOD: WebGLRenderingContext.TRIANGLES,
          VERTEX_SHADER_SOURCE: EDGE_VERTEX, FRAGMENT_SHADER_SOURCE: EDGE_FRAGMENT,
          UNIFORMS: ['u_matrix', 'u_sizeRatio', 'u_pixelRatio', 'u_dimensions', 'u_minEdgeThickness'],
          ATTRIBUTES: [
            { name: 'a_position', size: 2, type: FLOAT }, { name: 'a_other', size: 2, type: FLOAT },
            { name: 'a_code', size: 1, type: FLOAT }, { name: 'a_thickness', size: 1, type: FLOAT },
            { name: 'a_dash', size: 1, type: FLOAT }, { name: 'a_radius', size: 1, type: FLOAT },
            { name: 'a_shift', size: 1, type: FLOAT },
            { name: 'a_color', size: 4, type: UNSIGNED_BYTE, normalized: true },
            { name: 'a_id', size: 4, type: UNSIGNED_BYTE, normalized: true }]
        };
      }
      processVisibleItem(edgeId, i, s, t, data) {
        var a = this.array, color = floatColor(data.color), dash = DASHES[data.dash] || 0, size = data.size || 1;
        var head = data.head && s !== t ? 1 : 0, shift = data.shift || 0;
        for (var c = 0; c < vertices; c++) {
          var atTarget = CODES[c] >= 3, from = atTarget ? t : s, to = atTarget ? s : t;
          a[i++] = from.x; a[i++] = from.y; a[i++] = to.x; a[i++] = to.y; a[i++] = CODES[c];
          a[i++] = size; a[i++] = c >= 6 ? head : dash; a[i++] = t.size; a[i++] = atTarget ? -shift : shift;
          a[i++] = color; a[i++] = edgeId;
        }
      }
      // On a layer drawn at a lower resolution (edgeResolution), everything in device pixels scales.
      render(params) {
        var scale = this.renderer.kgEdgeScale || 1;
        if (scale !== 1) params = Object.assign({}, params, { pixelRatio: params.pixelRatio * scale, minEdgeThickness: Math.max(params.minEdgeThickness, 1 / scale) });
        super.render(params);
      }
      setUniforms(params, info) {
        var gl = info.gl, u = info.uniformLocations;
        gl.uniformMatrix3fv(u.u_matrix, false, params.matrix);
        gl.uniform1f(u.u_sizeRatio, params.sizeRatio);
        gl.uniform1f(u.u_pixelRatio, params.pixelRatio);
        gl.uniform2f(u.u_dimensions, params.width * params.pixelRatio, params.height * params.pixelRatio);
        gl.uniform1f(u.u_minEdgeThickness, params.minEdgeThickness);
      }
    };
  }

  // Draw the edges layer at `scale` times the resolution of the others (the browser scales it up):
  // a software WebGL spends most of a large graph's frame filling edge pixels, and at half the
  // resolution there are a quarter of them; lines get softer, nodes and labels stay sharp.
  function edgeResolution(renderer, scale) {
    renderer.kgEdgeScale = scale;
    function fitCanvas() {
      var canvas = renderer.getCanvases().edges, dims = renderer.getDimensions(), ratio = Sigma.utils.getPixelRatio();
      canvas.setAttribute('width', Math.max(1, Math.round(dims.width * ratio * scale)) + 'px');
      canvas.setAttribute('height', Math.max(1, Math.round(dims.height * ratio * scale)) + 'px');
    }
    renderer.on('resize', fitCanvas);
    fitCanvas();
  }

  // Edge labels follow their edge's shift; on a graph drawn without heads, a labelled edge (the
  // selection's) gets its arrow head here, on the label canvas.
  function drawEdgeLabel(context, data, source, target, settings) {
    var shift = data.shift || 0;
    if (shift) {
      var dx = target.x - source.x, dy = target.y - source.y, len = Math.hypot(dx, dy) || 1;
      var nx = dy / len * shift, ny = -dx / len * shift;  // as the shader shifts it (viewport y points down)
      source = Object.assign({}, source, { x: source.x + nx, y: source.y + ny });
      target = Object.assign({}, target, { x: target.x + nx, y: target.y + ny });
    }
    if (data.labelHead) {
      var ux = source.x - target.x, uy = source.y - target.y, l = Math.hypot(ux, uy) || 1, r = target.size + 1, h = 5;
      ux /= l; uy /= l;
      var tx = target.x + ux * r, ty = target.y + uy * r;
      context.fillStyle = data.color;
      context.beginPath();
      context.moveTo(tx, ty);
      context.lineTo(tx + ux * 2 * h - uy * h, ty + uy * 2 * h + ux * h);
      context.lineTo(tx + ux * 2 * h + uy * h, ty + uy * 2 * h - ux * h);
      context.closePath();
      context.fill();
    }
    R.drawStraightEdgeLabel(context, data, source, target, settings);
  }

  // The drawn edge nearest to viewport point (x, y), within TOLERANCE pixels of where it is drawn
  // (its shift included): its number, or -1. `ends(k)` gives edge k's [x1, y1, x2, y2, shift] in
  // graph coordinates, or null when it is not drawn. One affine map for all: fast on 100,000 edges.
  var TOLERANCE = 5;
  function nearestEdge(renderer, x, y, count, ends) {
    var o = renderer.graphToViewport({ x: 0, y: 0 }), ex = renderer.graphToViewport({ x: 1, y: 0 }), ey = renderer.graphToViewport({ x: 0, y: 1 });
    var ax = ex.x - o.x, ay = ex.y - o.y, bx = ey.x - o.x, by = ey.y - o.y;
    var best = -1, bestD = TOLERANCE;
    for (var k = 0; k < count; k++) {
      var e = ends(k);
      if (!e) continue;
      var x1 = o.x + ax * e[0] + bx * e[1], y1 = o.y + ay * e[0] + by * e[1];
      var x2 = o.x + ax * e[2] + bx * e[3], y2 = o.y + ay * e[2] + by * e[3];
      var dx = x2 - x1, dy = y2 - y1, l2 = dx * dx + dy * dy, l = Math.sqrt(l2) || 1;
      if (e[4]) { x1 += dy / l * e[4]; y1 -= dx / l * e[4]; }  // the shader's normal, in viewport axes (y down)
      var u = l2 > 0 ? Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / l2)) : 0;
      var d = Math.hypot(x - x1 - u * dx, y - y1 - u * dy);
      if (d < bestD) { bestD = d; best = k; }
    }
    return best;
  }


  // Camera motion. When a full draw takes longer than a frame (a large graph on a software WebGL), a
  // camera change (drag, wheel, an animation) moves and scales the canvases already drawn (CSS: the
  // compositor does it) and the picture is drawn anew once the camera has rested for QUIET ms. The
  // layers that are empty or that would be wrong while moving (hover, edge labels) are hidden.
  // The mouse layer stays where it is (sigma reads pointer positions relative to it, and it takes the
  // wheel) but turns transparent: the compositor then skips it.
  var QUIET = 140, SLOW_MS = 12, HIDE = { 'sigma-hovers': 1, 'sigma-hoverNodes': 1, 'sigma-edgeLabels': 1 }, KEEP = { 'sigma-mouse': 1 };

  function smoothMotion(renderer) {
    var container = renderer.getContainer(), camera = renderer.getCamera(), draw = renderer.render.bind(renderer);
    var base = null, lastDrawMs = 0, moved = 0, timer = null, moving = false;
    function same(a, b) { return a.x === b.x && a.y === b.y && a.ratio === b.ratio && a.angle === b.angle; }
    function layers(fn) { for (var i = 0; i < container.children.length; i++) if (!KEEP[container.children[i].className]) fn(container.children[i]); }
    function kept(opacity) { for (var i = 0; i < container.children.length; i++) if (KEEP[container.children[i].className]) container.children[i].style.opacity = opacity; }
    function real() {
      if (moving) {
        moving = false;
        layers(function (c) { c.style.transform = ''; c.style.visibility = ''; });
        kept('');
      }
      var t = performance.now();
      draw();
      sync(renderer);
      lastDrawMs = performance.now() - t;
      base = camera.getState();
      return renderer;
    }
    renderer.render = function () {
      var state = camera.getState();
      if (renderer.kgForce || !base || same(state, base) || lastDrawMs < SLOW_MS) return real();
      if (renderer.renderFrame) { cancelAnimationFrame(renderer.renderFrame); renderer.renderFrame = null; }
      var a0 = renderer.framedGraphToViewport({ x: 0, y: 0 }, { cameraState: base });
      var a1 = renderer.framedGraphToViewport({ x: 1, y: 1 }, { cameraState: base });
      var b0 = renderer.framedGraphToViewport({ x: 0, y: 0 }, { cameraState: state });
      var b1 = renderer.framedGraphToViewport({ x: 1, y: 1 }, { cameraState: state });
      var k = (b1.x - b0.x) / (a1.x - a0.x), tx = b0.x - k * a0.x, ty = b0.y - k * a0.y;
      var transform = 'translate(' + tx + 'px,' + ty + 'px) scale(' + k + ')';
      moving = true;
      kept('0');
      layers(function (c) {
        c.style.transformOrigin = '0 0';
        c.style.transform = transform;
        if (HIDE[c.className]) c.style.visibility = 'hidden';
      });
      moved = performance.now();
      clearTimeout(timer);
      timer = setTimeout(function settle() {
        var wait = QUIET - (performance.now() - moved);
        if (wait > 0) timer = setTimeout(settle, wait);
        else real();
      }, QUIET);
      return renderer;
    };
    return { lastDrawMs: function () { return lastDrawMs; }, isMoving: function () { return moving; } };
  }

  // Wait until the GPU has drawn what was asked (reading one pixel back blocks until it has).
  function sync(renderer) {
    var px = new Uint8Array(4), contexts = renderer.webGLContexts || {};
    Object.keys(contexts).forEach(function (k) { contexts[k].readPixels(0, 0, 1, 1, contexts[k].RGBA, contexts[k].UNSIGNED_BYTE, px); });
  }

  return {
    smoothMotion: smoothMotion,
    edgeResolution: edgeResolution,
    sync: sync,
    nearestEdge: nearestEdge,
    NodeShapeProgram: NodeShapeProgram,
    EdgeProgram: edgeProgram(true),
    EdgeBandProgram: edgeProgram(false),
    drawEdgeLabel: drawEdgeLabel,
    shapes: SHAPES
  };
})();
