"""Where the page draws each entity: ForceAtlas2, computed when the page is written.

ForceAtlas2 (Jacomy, Venturini, Heymann, Bastian, PLoS ONE 2014), with the forces and the adaptive
speed of Gephi's implementation: every pair of nodes repels with ``kr·(deg_a+1)·(deg_b+1)/d``, every
edge pulls its ends together with ``w·d``, and a strong gravity pulls each node towards the centre
with ``g·(deg+1)·d``; a global speed follows the ratio of the nodes' traction to their swinging, and
each node slows down as it swings.

The repulsion between all pairs is where the time goes. Gephi and graphology approximate it with a
Barnes–Hut tree; here it is computed on a grid instead (particle–mesh, as N-body codes do and as
FIt-SNE does for t-SNE): the nodes' masses are spread on a G×G grid (cloud-in-cell), convolved with
the ``r/|r|²`` kernel by FFT, and the field is read back at each node with the same weights. That is
O(n + m + G² log G) per iteration in numpy, with no Python loop over nodes, and it is exact for
nodes a few cells apart; two nodes in one cell barely repel (the grid is sized so that a cell holds
about one node).

Deterministic: the start is a golden-angle spiral in breadth-first order (neighbours start near each
other), nothing random is drawn, and numpy's FFT and ``bincount`` give the same floats for the same
input, so the same graph gives the same positions, which the page stores rounded.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def iterations_for(n: int) -> int:
    """Enough iterations to settle a news graph of ``n`` nodes (fewer for large ones: each costs more)."""
    return 400 if n <= 2_000 else 300 if n <= 10_000 else 220


def forceatlas2(n: int, src: Sequence[int] | np.ndarray, dst: Sequence[int] | np.ndarray,
                weight: Sequence[float] | np.ndarray | None = None, *, iterations: int | None = None,
                start: tuple[np.ndarray, np.ndarray] | None = None, fixed: np.ndarray | None = None,
                mass: np.ndarray | None = None, groups: np.ndarray | None = None, scaling: float = 2.0,
                gravity: float = 0.05, jitter_tolerance: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(x, y)`` of ``n`` nodes joined by the edges ``src[k] – dst[k]`` (undirected).

    ``start`` gives the first positions (default: ``spiral_start``); ``fixed`` marks nodes that do not
    move (they still push and pull the others); ``mass`` overrides ``degree + 1``. With ``groups`` (a
    group number per node, groups of a few dozen nodes at most), each group is a separate layout
    computed alongside the others: nodes repel only within their group, exactly, and gravity pulls
    towards the group's centre (many small connected components at the cost of one run).

    >>> x, y = forceatlas2(3, [0, 1], [1, 2], iterations=50)
    >>> bool(abs(x[0] - x[1]) + abs(y[0] - y[1]) < abs(x[0] - x[2]) + abs(y[0] - y[2]))
    True
    """
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    w = np.ones(len(src)) if weight is None else np.asarray(weight, dtype=np.float64)
    if n == 0:
        return np.zeros(0), np.zeros(0)
    if start is None:
        x, y = spiral_start(n, src, dst)
    else:
        x, y = (np.array(a, dtype=np.float64) for a in start)
    if n == 1:
        return x, y
    degree = np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
    m = (degree + 1.0) if mass is None else np.asarray(mass, dtype=np.float64)
    moving = np.ones(n, dtype=bool) if fixed is None else ~np.asarray(fixed, dtype=bool)
    grid = _grid_size(int(moving.sum()) if fixed is not None else n)
    iterations = iterations_for(n) if iterations is None else iterations
    if groups is not None:
        groups = np.asarray(groups, dtype=np.int64)
        pa, pb = _pairs_within(groups)
        sizes = np.bincount(groups).astype(np.float64)

    old_fx = np.zeros(n)
    old_fy = np.zeros(n)
    speed, efficiency = 1.0, 1.0
    for _ in range(iterations):
        if groups is None:
            fx, fy = _repulsion(x, y, m, grid)
            cx = cy = 0.0
        else:
            fx, fy = _repulsion_exact(x, y, m, pa, pb)
            cx = (np.bincount(groups, x) / sizes)[groups]
            cy = (np.bincount(groups, y) / sizes)[groups]
        fx *= scaling
        fy *= scaling
        fx -= gravity * m * (x - cx)
        fy -= gravity * m * (y - cy)
        if len(src):
            dx = (x[src] - x[dst]) * w
            dy = (y[src] - y[dst]) * w
            fx -= np.bincount(src, dx, minlength=n) - np.bincount(dst, dx, minlength=n)
            fy -= np.bincount(src, dy, minlength=n) - np.bincount(dst, dy, minlength=n)
        fx[~moving] = 0.0
        fy[~moving] = 0.0
        swinging = m * np.hypot(fx - old_fx, fy - old_fy)
        traction = 0.5 * m * np.hypot(fx + old_fx, fy + old_fy)
        speed, efficiency = _adapt_speed(speed, efficiency, float(swinging.sum()), float(traction.sum()),
                                         int(moving.sum()), jitter_tolerance)
        factor = speed / (1.0 + np.sqrt(speed * swinging))
        force = np.hypot(fx, fy)
        # A node moves at most 10 units an iteration (Gephi's cap), whatever its force.
        factor = np.where(force * factor > 10.0, 10.0 / np.maximum(force, 1e-12), factor)
        x += fx * factor
        y += fy * factor
        old_fx, old_fy = fx, fy
    return x, y


def _adapt_speed(speed: float, efficiency: float, swinging: float, traction: float, n: int,
                 tolerance: float) -> tuple[float, float]:
    """Gephi's ForceAtlas2 global speed: raise it while nodes pull one way, lower it when they swing."""
    estimated = 0.05 * math.sqrt(n)
    jitter = tolerance * max(math.sqrt(estimated), min(10.0, estimated * traction / (n * n)))
    if traction > 0 and swinging / traction > 2.0:
        if efficiency > 0.05:
            efficiency *= 0.5
        jitter = max(jitter, tolerance)
    target = jitter * efficiency * traction / swinging if swinging > 0 else speed
    if swinging > jitter * traction:
        if efficiency > 0.05:
            efficiency *= 0.7
    elif speed < 1000:
        efficiency *= 1.3
    return speed + min(target - speed, 0.5 * speed), efficiency


def spiral_start(n: int, src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A golden-angle spiral, filled in breadth-first order from the best-connected node of each
    connected component (largest component first): neighbours start near each other."""
    order = _bfs_order(n, np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64))
    k = np.arange(n, dtype=np.float64)
    r = 10.0 * np.sqrt(k + 0.5)
    x = np.empty(n)
    y = np.empty(n)
    x[order] = r * np.cos(k * GOLDEN_ANGLE)
    y[order] = r * np.sin(k * GOLDEN_ANGLE)
    return x, y


def _bfs_order(n: int, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    return np.array([v for c in components(n, src, dst) for v in c], dtype=np.int64)


def components(n: int, src: np.ndarray, dst: np.ndarray) -> list[list[int]]:
    """The connected components, largest first, each in breadth-first order from its best-connected
    node (ties: the lowest number)."""
    ends = np.concatenate([src, dst])
    others = np.concatenate([dst, src])
    by = np.lexsort((others, ends))
    ends, others = ends[by], others[by]
    first = np.searchsorted(ends, np.arange(n + 1))
    degree = np.diff(first)
    seen = np.zeros(n, dtype=bool)
    found: list[list[int]] = []
    for root in sorted(range(n), key=lambda v: (-degree[v], v)):
        if seen[root]:
            continue
        seen[root] = True
        comp, head = [root], 0
        while head < len(comp):
            v = comp[head]
            head += 1
            for w in others[first[v]:first[v + 1]].tolist():
                if not seen[w]:
                    seen[w] = True
                    comp.append(w)
        found.append(comp)
    found.sort(key=lambda c: (-len(c), c[0]))
    return found


def _pairs_within(groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of nodes ``a < b`` in the same group."""
    order = np.argsort(groups, kind="stable")
    bounds = np.flatnonzero(np.diff(groups[order])) + 1
    pa, pb = [], []
    for members in np.split(order, bounds):
        if len(members) > 1:
            a, b = np.triu_indices(len(members), k=1)
            pa.append(members[a])
            pb.append(members[b])
    if not pa:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(pa), np.concatenate(pb)


def _repulsion_exact(x: np.ndarray, y: np.ndarray, m: np.ndarray, pa: np.ndarray,
                     pb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = len(x)
    dx = x[pa] - x[pb]
    dy = y[pa] - y[pb]
    d2 = np.maximum(dx * dx + dy * dy, 1e-6)
    f = m[pa] * m[pb] / d2
    fx = np.bincount(pa, f * dx, minlength=n) - np.bincount(pb, f * dx, minlength=n)
    fy = np.bincount(pa, f * dy, minlength=n) - np.bincount(pb, f * dy, minlength=n)
    return fx, fy


def _grid_size(n: int) -> int:
    """About one node per cell, as a power of two between 64 and 256."""
    return int(min(256, max(64, 2 ** math.ceil(math.log2(max(1.0, math.sqrt(n)) * 1.5)))))


@lru_cache(maxsize=4)
def _kernel(grid: int) -> tuple[np.ndarray, np.ndarray]:
    """The FFT of the ``r/|r|²`` kernel on a 2G×2G grid (zero-padded, so the convolution is not cyclic)."""
    d = np.arange(2 * grid, dtype=np.float64)
    d[d >= grid] -= 2 * grid
    dx, dy = np.meshgrid(d, d, indexing="ij")
    r2 = dx * dx + dy * dy
    r2[0, 0] = 1.0
    kx, ky = dx / r2, dy / r2
    kx[0, 0] = ky[0, 0] = 0.0
    return np.fft.rfft2(kx), np.fft.rfft2(ky)


def _repulsion(x: np.ndarray, y: np.ndarray, m: np.ndarray, grid: int) -> tuple[np.ndarray, np.ndarray]:
    """``Σ_b m_a·m_b·(p_a − p_b)/|p_a − p_b|²`` for every node ``a``, on a grid (see the module's text)."""
    x0, y0 = x.min(), y.min()
    extent = max(x.max() - x0, y.max() - y0, 1e-9)
    h = extent / (grid - 2)  # one spare cell on each side for the cloud-in-cell weights
    u = (x - x0) / h + 0.5
    v = (y - y0) / h + 0.5
    i = np.floor(u).astype(np.int64)
    j = np.floor(v).astype(np.int64)
    fu, fv = u - i, v - j
    weights = ((1 - fu) * (1 - fv), fu * (1 - fv), (1 - fu) * fv, fu * fv)
    cells = (i * grid + j, (i + 1) * grid + j, i * grid + j + 1, (i + 1) * grid + j + 1)
    rho = np.zeros(grid * grid)
    for c, wt in zip(cells, weights):
        rho += np.bincount(c, wt * m, minlength=grid * grid)
    kx, ky = _kernel(grid)
    rho_hat = np.fft.rfft2(rho.reshape(grid, grid), s=(2 * grid, 2 * grid))
    ex = np.fft.irfft2(rho_hat * kx, s=(2 * grid, 2 * grid))[:grid, :grid].ravel()
    ey = np.fft.irfft2(rho_hat * ky, s=(2 * grid, 2 * grid))[:grid, :grid].ravel()
    fx = sum(wt * ex[c] for c, wt in zip(cells, weights))
    fy = sum(wt * ey[c] for c, wt in zip(cells, weights))
    return m * fx / h, m * fy / h


SMALL = 40  # components up to this size are laid out together (exact repulsion within each)


def place(n: int, pairs: Sequence[tuple[int, int]], links: Sequence[tuple[int, int, float]] = ()
          ) -> tuple[np.ndarray, np.ndarray]:
    """Positions of ``n`` entities for the page.

    ``pairs`` are the entity pairs that relations join: the entities in one are the picture the page
    opens on. Each connected component gets its own ForceAtlas2 layout, and the components are
    packed around the largest (a news corpus has one large component and many pairs and triples;
    one layout of all of them would throw the small ones far out). Then the entities in no relation,
    with every related one fixed where it is, settle near the entities ``links`` (``a, b, weight``:
    co-mentions) tie them to, or around the picture when nothing does: showing them later does not
    move what was there.
    """
    x, y = np.zeros(n), np.zeros(n)
    pairs = sorted({(min(a, b), max(a, b)) for a, b in pairs if a != b})
    src = np.array([a for a, _ in pairs], dtype=np.int64)
    dst = np.array([b for _, b in pairs], dtype=np.int64)
    degree = np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
    related = degree > 0
    comps = [c for c in components(n, src, dst) if related[c[0]]]
    local = np.full(n, -1)
    for c in comps:
        local[c] = np.arange(len(c))
    group = np.full(n, -1)
    small = [c for c in comps if len(c) <= SMALL]
    for g, c in enumerate(small):
        group[c] = g
    for c in comps:
        if len(c) > SMALL:
            inside = (local[src] >= 0) & np.isin(src, c)
            x[c], y[c] = forceatlas2(len(c), local[src[inside]], local[dst[inside]])
    if small:
        members = np.array([v for c in small for v in c], dtype=np.int64)
        index = np.full(n, -1)
        index[members] = np.arange(len(members))
        inside = group[src] >= 0
        k = np.concatenate([np.arange(len(c)) for c in small]).astype(np.float64)
        start = (10.0 * np.sqrt(k + 0.5) * np.cos(k * GOLDEN_ANGLE), 10.0 * np.sqrt(k + 0.5) * np.sin(k * GOLDEN_ANGLE))
        sx, sy = forceatlas2(len(members), index[src[inside]], index[dst[inside]], start=start,
                             groups=group[members], iterations=200)
        x[members], y[members] = sx, sy
    edge = _even_out(comps, src, dst, x, y)
    _pack(comps, x, y, gap=0.35 * edge)
    outer = np.flatnonzero(~related)
    if not len(outer):
        return x, y
    links = [(a, b, w) for a, b, w in links if a != b and not (related[a] and related[b])]
    if not comps:
        return forceatlas2(n, [a for a, _, _ in links], [b for _, b, _ in links], [w for _, _, w in links])
    # Start each one next to its strongest link into the picture, else on a ring around it.
    inner = np.flatnonzero(related)
    radius = float(np.hypot(x[inner], y[inner]).max()) + 10.0
    best: dict[int, tuple[float, int]] = {}
    for a, b, w in links:
        for v, u in ((a, b), (b, a)):
            if not related[v] and related[u] and (w, -u) > best.get(v, (0.0, 0)):
                best[v] = (w, -u)
    for k, v in enumerate(outer.tolist()):
        angle = k * GOLDEN_ANGLE
        if v in best:
            u = -best[v][1]
            x[v] = x[u] + 3.0 * math.cos(angle)
            y[v] = y[u] + 3.0 * math.sin(angle)
        else:
            r = radius + 3.0 * math.sqrt(k)
            x[v], y[v] = r * math.cos(angle), r * math.sin(angle)
    return forceatlas2(n, [a for a, _, _ in links], [b for _, b, _ in links], [w for _, _, w in links],
                       start=(x, y), fixed=related, mass=degree + 1.0, iterations=120)


def _even_out(comps: list[list[int]], src: np.ndarray, dst: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    """Scale each smaller component (in place, about its centre) so that its median edge is as long
    as the largest component's; that length.

    ForceAtlas2's distances grow with the masses: a pair settles three units apart, a hub's
    neighbours ten. Drawn together, a pair's two labels would overlap while the hub's are far apart.
    (The largest keeps its scale, the one the forces of the next step are in.)"""
    owner = np.full(len(x), -1)
    for k, c in enumerate(comps):
        owner[c] = k
    lengths = np.hypot(x[src] - x[dst], y[src] - y[dst])
    order = np.argsort(owner[src], kind="stable")
    groups = np.split(lengths[order], np.searchsorted(owner[src][order], np.arange(1, len(comps))))
    medians = [float(np.median(g)) if len(g) else 0.0 for g in groups]
    target = medians[0] if comps else 1.0
    for k, c in enumerate(comps[1:], start=1):
        if medians[k] > 0:
            cx, cy = x[c].mean(), y[c].mean()
            x[c] = cx + (x[c] - cx) * (target / medians[k])
            y[c] = cy + (y[c] - cy) * (target / medians[k])
    return target


def _pack(comps: list[list[int]], x: np.ndarray, y: np.ndarray, gap: float) -> None:
    """Move each component (in place), largest first, to the first spot of a golden-angle spiral
    around the first where its bounding circle overlaps none placed before."""
    if not comps:
        return
    centres = np.zeros((len(comps), 2))
    radii = np.zeros(len(comps))
    for k, c in enumerate(comps):
        cx, cy = x[c].mean(), y[c].mean()
        x[c] -= cx
        y[c] -= cy
        radii[k] = float(np.hypot(x[c], y[c]).max()) + gap
    step = float(np.median(radii))
    t = 0
    for k in range(1, len(comps)):
        back = max(0, t - 128)  # a small one may fit a gap a little way back
        t = back
        while True:
            r = step * math.sqrt(t) * 0.5
            cx, cy = r * math.cos(t * GOLDEN_ANGLE), r * math.sin(t * GOLDEN_ANGLE)
            d = np.hypot(centres[:k, 0] - cx, centres[:k, 1] - cy)
            if not np.any(d < radii[:k] + radii[k]):
                break
            t += 1
        centres[k] = cx, cy
    for k, c in enumerate(comps):
        x[c] += centres[k, 0]
        y[c] += centres[k, 1]
