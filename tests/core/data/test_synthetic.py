"""Synthetic 2-D sets: seeded, balanced, the documented shapes."""

from __future__ import annotations

import numpy as np
import pytest

from desktop_app.core.data import DataSpec, load_dataset
from desktop_app.core.data.synthetic import generate

SYNTHETIC = ("spiral", "moons", "circles", "blobs", "xor")


@pytest.mark.parametrize("name", SYNTHETIC)
def test_same_seed_same_data_other_seed_other_data(name: str) -> None:
    a = generate(name, 300, 3 if name in ("spiral", "blobs") else 2, 0.2, seed=7)
    b = generate(name, 300, 3 if name in ("spiral", "blobs") else 2, 0.2, seed=7)
    c = generate(name, 300, 3 if name in ("spiral", "blobs") else 2, 0.2, seed=8)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.X, c.X)


@pytest.mark.parametrize("name", SYNTHETIC)
def test_shapes_dtypes_and_class_balance(name: str) -> None:
    spec = DataSpec(name, samples=301, classes=4)
    ds = load_dataset(spec)
    k = spec.n_classes
    assert ds.X.shape == (301, 2) and ds.X.dtype == np.float64
    assert ds.y.shape == (301,) and ds.y.dtype == np.int64
    counts = np.bincount(ds.y, minlength=k)
    assert counts.sum() == 301 and counts.max() - counts.min() <= 1
    assert len(counts) == k and ds.class_names == tuple(str(i) for i in range(k))
    assert ds.feature_names == ("x1", "x2") and ds.name == name
    assert not ds.X.flags.writeable  # cached and shared: read-only


def test_spiral_is_the_cs231n_spiral_without_noise() -> None:
    ds = generate("spiral", 300, 3, 0.0, seed=0)
    arm = ds.X[ds.y == 1]
    r = np.hypot(arm[:, 0], arm[:, 1])
    np.testing.assert_allclose(r, np.linspace(0, 1, 100), atol=1e-12)
    t = np.linspace(4.0, 8.0, 100)
    np.testing.assert_allclose(arm, np.column_stack([r * np.sin(t), r * np.cos(t)]), atol=1e-12)


def test_circles_radii_and_xor_quadrants_without_noise() -> None:
    circles = generate("circles", 100, 2, 0.0, seed=0)
    radius = np.hypot(circles.X[:, 0], circles.X[:, 1])
    np.testing.assert_allclose(radius, np.where(circles.y == 0, 1.0, 0.5))
    xor = generate("xor", 100, 2, 0.0, seed=0)
    assert np.array_equal(xor.y, (np.sign(xor.X[:, 0]) != np.sign(xor.X[:, 1])).astype(int))


def test_noise_scales_the_spread_of_blobs() -> None:
    ds = generate("blobs", 6000, 3, 0.3, seed=1)
    centre = np.array([1.0, 0.0])
    np.testing.assert_allclose(ds.X[ds.y == 0].mean(axis=0), centre, atol=0.02)
    np.testing.assert_allclose(ds.X[ds.y == 0].std(axis=0), [0.3, 0.3], atol=0.02)
