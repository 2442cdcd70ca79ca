"""The page's layout (loaders/layout.py): ForceAtlas2 at build time, components packed, entities
without relations placed around them. Deterministic, and it shows the graph's structure."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from kg.loaders import layout


def _two_clusters(size: int = 12):
    """Two cliques of ``size`` joined by one edge: nodes 0..size-1 and size..2·size-1."""
    pairs = [(a, b) for a, b in itertools.combinations(range(size), 2)]
    pairs += [(a + size, b + size) for a, b in pairs]
    return 2 * size, pairs + [(0, size)]


def test_layout_is_deterministic():
    n, pairs = _two_clusters()
    first = layout.place(n, pairs, [(n - 1, 0, 0.5)])
    again = layout.place(n, list(reversed(pairs)), [(n - 1, 0, 0.5)])
    assert np.array_equal(first[0], again[0]) and np.array_equal(first[1], again[1])


@pytest.mark.parametrize("size", [12, 60])  # a small component (exact repulsion) and a large one (grid)
def test_layout_keeps_clusters_apart(size):
    n, pairs = _two_clusters(size)
    x, y = layout.place(n, pairs)
    def mean_distance(group_a, group_b):
        return np.mean([math.hypot(x[a] - x[b], y[a] - y[b]) for a in group_a for b in group_b if a != b])
    left, right = range(size), range(size, 2 * size)
    inside = (mean_distance(left, left) + mean_distance(right, right)) / 2
    assert mean_distance(left, right) > 1.5 * inside
    assert np.all(np.isfinite(x)) and np.all(np.isfinite(y))


def test_layout_packs_components_without_overlap():
    """Many small components (a news corpus: pairs and triples) around a large one, none on another."""
    n, pairs = _two_clusters(30)
    comps = [list(range(60))]
    for k in range(40):
        base = n + 3 * k
        pairs += [(base, base + 1), (base + 1, base + 2)]
        comps.append([base, base + 1, base + 2])
    x, y = layout.place(n + 120, pairs)
    circles = []
    for c in comps:
        cx, cy = x[c].mean(), y[c].mean()
        circles.append((cx, cy, max(math.hypot(x[v] - cx, y[v] - cy) for v in c)))
    for (ax, ay, ar), (bx, by, br) in itertools.combinations(circles, 2):
        assert math.hypot(ax - bx, ay - by) >= ar + br
    # Packed, not thrown out: the whole is not much wider than the large component plus the rest's area.
    spread = max(math.hypot(cx, cy) + r for cx, cy, r in circles)
    assert spread < 4 * circles[0][2] + 10


def test_layout_entities_without_relations_do_not_move_the_others():
    n, pairs = _two_clusters()
    alone = layout.place(n, pairs)
    # Four more entities: two tied by co-mentions to node 3 and to node 20, two to nothing.
    x, y = layout.place(n + 4, pairs, [(n, 3, 1.0), (n + 1, 20, 1.0)])
    assert np.array_equal(x[:n], alone[0]) and np.array_equal(y[:n], alone[1])
    near = lambda v, u: math.hypot(x[v] - x[u], y[v] - y[u])
    typical = np.median([near(a, b) for a, b in pairs])
    assert near(n, 3) < 3 * typical and near(n + 1, 20) < 3 * typical
    centre = (x[:n].mean(), y[:n].mean())
    reach = max(math.hypot(x[v] - centre[0], y[v] - centre[1]) for v in range(n))
    for v in (n + 2, n + 3):  # the untied ones stay out of the picture, around it
        assert math.hypot(x[v] - centre[0], y[v] - centre[1]) > reach


def test_layout_grid_repulsion_matches_the_exact_sum():
    """The particle-mesh repulsion is close to the all-pairs sum (it smooths only what is within a cell
    or two), in size and in direction."""
    rng = np.random.default_rng(3)
    n = 400
    x, y, m = rng.normal(0, 100, n), rng.normal(0, 100, n), rng.integers(1, 6, n).astype(float)
    fx, fy = layout._repulsion(x, y, m, layout._grid_size(n))
    dx, dy = x[:, None] - x[None, :], y[:, None] - y[None, :]
    d2 = dx * dx + dy * dy
    np.fill_diagonal(d2, np.inf)
    ex, ey = (m[:, None] * m[None, :] * dx / d2).sum(1), (m[:, None] * m[None, :] * dy / d2).sum(1)
    error = np.hypot(fx - ex, fy - ey) / np.hypot(ex, ey)
    assert np.median(error) < 0.05
    cosine = (fx * ex + fy * ey) / np.hypot(fx, fy) / np.hypot(ex, ey)
    assert np.mean(cosine > math.cos(math.radians(20))) > 0.95


def test_layout_of_nothing_and_of_one():
    assert [len(a) for a in layout.place(0, [])] == [0, 0]
    x, y = layout.place(1, [])
    assert np.isfinite(x[0]) and np.isfinite(y[0])
