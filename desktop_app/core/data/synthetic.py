"""Synthetic 2-D classification sets generated from a seed (pure numpy).

``samples`` is the total count, spread evenly over the classes (the first classes get one
more when it does not divide). ``noise`` is the standard deviation of the Gaussian noise: on
the angle (radians) for the spiral, on both coordinates for the others.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from desktop_app.core.data.dataset import Dataset, frozen

Generator = Callable[[list[int], float, np.random.Generator], list[np.ndarray]]


def _spiral(counts: list[int], noise: float, rng: np.random.Generator) -> list[np.ndarray]:
    """CS231n spiral: arm j has radius 0..1 and angle 4j..4(j+1) plus angular noise."""
    parts = []
    for j, n in enumerate(counts):
        r = np.linspace(0.0, 1.0, n)
        t = np.linspace(4.0 * j, 4.0 * (j + 1), n) + rng.standard_normal(n) * noise
        parts.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
    return parts


def _moons(counts: list[int], noise: float, rng: np.random.Generator) -> list[np.ndarray]:
    """Two interleaving half circles of radius 1 (as scikit-learn's make_moons)."""
    t0, t1 = np.linspace(0.0, np.pi, counts[0]), np.linspace(0.0, np.pi, counts[1])
    outer = np.column_stack([np.cos(t0), np.sin(t0)])
    inner = np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    return [p + rng.standard_normal(p.shape) * noise for p in (outer, inner)]


def _circles(counts: list[int], noise: float, rng: np.random.Generator) -> list[np.ndarray]:
    """Class 0 on the unit circle, class 1 on a circle of radius 0.5."""
    parts = []
    for radius, n in zip((1.0, 0.5), counts, strict=True):
        t = np.linspace(0.0, 2.0 * np.pi, n, endpoint=False)
        ring = radius * np.column_stack([np.cos(t), np.sin(t)])
        parts.append(ring + rng.standard_normal(ring.shape) * noise)
    return parts


def _blobs(counts: list[int], noise: float, rng: np.random.Generator) -> list[np.ndarray]:
    """K round blobs with standard deviation ``noise``, centres evenly on the unit circle."""
    parts = []
    for j, n in enumerate(counts):
        angle = 2.0 * np.pi * j / len(counts)
        centre = np.array([np.cos(angle), np.sin(angle)])
        parts.append(centre + rng.standard_normal((n, 2)) * noise)
    return parts


def _xor(counts: list[int], noise: float, rng: np.random.Generator) -> list[np.ndarray]:
    """Uniform points in the quadrants; class 1 where the coordinate signs differ."""
    parts = []
    for label, n in enumerate(counts):
        first = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)
        second = -first if label == 1 else first
        signs = np.column_stack([first, second])
        parts.append(signs * rng.uniform(0.0, 1.0, (n, 2)) + rng.standard_normal((n, 2)) * noise)
    return parts


_GENERATORS: dict[str, Generator] = {
    "spiral": _spiral, "moons": _moons, "circles": _circles, "blobs": _blobs, "xor": _xor,
}


def generate(name: str, samples: int, classes: int, noise: float, seed: int) -> Dataset:
    """The synthetic set ``name`` with ``samples`` rows over ``classes`` classes, from ``seed``."""
    counts = [samples // classes + (1 if k < samples % classes else 0) for k in range(classes)]
    rng = np.random.default_rng([seed, 0])  # stream 0: generation (the split uses stream 1)
    parts = _GENERATORS[name](counts, noise, rng)
    X = np.concatenate(parts).astype(np.float64)
    y = np.repeat(np.arange(classes, dtype=np.int64), counts)
    return Dataset(name, frozen(X), frozen(y), tuple(str(k) for k in range(classes)), ("x1", "x2"))
