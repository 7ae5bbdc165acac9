"""A force-directed layout (Fruchterman–Reingold with gravity) for the brand–phone graph.

Deterministic for a graph: the same index gives the same picture. numpy does the pairwise
forces; a few hundred nodes take a few tenths of a second.
"""

from __future__ import annotations

import math


def spring_layout(count: int, edges: list[list[int]], *, iterations: int = 120, seed: int = 7) -> list[tuple[float, float]]:
    """Positions in about [-1, 1]² for `count` nodes joined by `edges` (pairs of node indexes)."""
    if count == 0:
        return []
    if count == 1:
        return [(0.0, 0.0)]
    import numpy as np

    rng = np.random.default_rng(seed)
    # start on a spiral so that the result does not hinge on random collisions
    angles = np.arange(count) * 2.399963  # the golden angle
    radii = np.sqrt((np.arange(count) + 0.5) / count)
    pos = np.column_stack([radii * np.cos(angles), radii * np.sin(angles)]) + rng.normal(0, 0.01, (count, 2))
    k = math.sqrt(4.0 / count)  # ideal distance for nodes spread over an area of 4
    if edges:
        pairs = np.asarray(edges, dtype=np.int64)
        source, target = pairs[:, 0], pairs[:, 1]
    temperature = 0.2
    cooling = temperature / (iterations + 1)
    k2 = k * k
    for _ in range(iterations):
        x, y = pos[:, 0], pos[:, 1]
        dx = x[:, None] - x[None, :]
        dy = y[:, None] - y[None, :]
        d2 = dx * dx + dy * dy
        np.fill_diagonal(d2, np.inf)  # no force on itself
        np.maximum(d2, 1e-6, out=d2)
        repulsion = k2 / d2
        force = np.column_stack([(dx * repulsion).sum(axis=1), (dy * repulsion).sum(axis=1)])
        if edges:
            d = pos[source] - pos[target]
            pull = d * np.sqrt((d * d).sum(axis=1))[:, None] / k
            force[:, 0] -= np.bincount(source, pull[:, 0], count) - np.bincount(target, pull[:, 0], count)
            force[:, 1] -= np.bincount(source, pull[:, 1], count) - np.bincount(target, pull[:, 1], count)
        force -= 0.6 * pos * np.sqrt((pos * pos).sum(axis=1))[:, None] / k  # gravity keeps components together
        step = np.maximum(np.sqrt((force * force).sum(axis=1)), 1e-9)[:, None]
        pos += force / step * np.minimum(step, temperature)
        temperature -= cooling
    pos -= pos.mean(axis=0)
    scale = np.abs(pos).max() or 1.0
    pos /= scale
    return [(float(x), float(y)) for x, y in pos]
