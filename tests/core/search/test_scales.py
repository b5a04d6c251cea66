"""Scale transforms, sampling statistics and grid points."""

from __future__ import annotations

import math

import numpy as np
import pytest

from desktop_app.core.search import scales


@pytest.mark.parametrize(
    ("scale", "v", "r"),
    [("linear", 3.5, 3.5), ("log", 1e-3, -3.0), ("reverse_log", 0.99, -2.0), ("pow2", 64, 6.0)],
)
def test_to_internal_and_back(scale: str, v: float, r: float) -> None:
    assert scales.to_internal(scale, v) == pytest.approx(r)
    assert scales.from_internal(scale, r) == pytest.approx(v)


def test_from_internal_rounds_integers_and_pow2_gives_ints() -> None:
    assert scales.from_internal("log", math.log10(31.7), integer=True) == 32
    assert scales.from_internal("pow2", 5.0) == 32
    assert isinstance(scales.from_internal("pow2", 5.0), int)


def test_internal_bounds_are_ordered() -> None:
    assert scales.internal_bounds("log", 1e-4, 1.0) == pytest.approx((-4.0, 0.0))
    assert scales.internal_bounds("reverse_log", 0.9, 0.999) == pytest.approx((-3.0, -1.0))
    assert scales.internal_bounds("pow2", 10, 100) == (4, 6)
    assert scales.internal_bounds("pow2", 16, 64) == (4, 6)


def test_log_samples_a_quarter_per_decade() -> None:
    rng = np.random.default_rng(0)
    values = np.array(scales.sample("log", 1e-4, 1.0, rng, 4000, False))
    counts = np.histogram(np.log10(values), bins=[-4, -3, -2, -1, 0])[0]
    assert counts.sum() == 4000
    # binomial sd is sqrt(4000 * .25 * .75) ~ 27; 5 sd either side
    assert np.all(np.abs(counts - 1000) < 140), counts


def test_reverse_log_puts_half_below_099() -> None:
    rng = np.random.default_rng(1)
    values = np.array(scales.sample("reverse_log", 0.9, 0.999, rng, 4000, False))
    assert values.min() >= 0.9 and values.max() <= 0.999
    assert abs(np.mean(values < 0.99) - 0.5) < 0.04


def test_pow2_yields_only_powers_of_two_uniform_in_exponent() -> None:
    rng = np.random.default_rng(2)
    values = scales.sample("pow2", 10, 300, rng, 3000, True)
    assert set(values) == {16, 32, 64, 128, 256}
    assert all(isinstance(v, int) for v in values)
    counts = np.bincount([v.bit_length() for v in values])[5:]
    assert np.all(np.abs(counts - 600) < 120), counts


def test_int_samples_are_ints_inside_range() -> None:
    rng = np.random.default_rng(3)
    for scale in ("linear", "log"):
        values = scales.sample(scale, 1, 9, rng, 2000, True)
        assert all(isinstance(v, int) for v in values)
        assert set(values) == set(range(1, 10))


def test_linear_float_samples_are_uniform() -> None:
    rng = np.random.default_rng(4)
    values = np.array(scales.sample("linear", -1.0, 3.0, rng, 4000, False))
    assert values.min() >= -1.0 and values.max() <= 3.0
    assert values.mean() == pytest.approx(1.0, abs=0.1)


def test_log_grid_over_four_decades_is_the_powers_of_ten() -> None:
    points = scales.grid_points("log", 1e-4, 1.0, 5, False)
    assert points == pytest.approx([1e-4, 1e-3, 1e-2, 1e-1, 1.0], rel=1e-12)
    assert points[0] == 1e-4 and points[-1] == 1.0


def test_reverse_log_grid_is_ascending_and_exact_at_the_ends() -> None:
    points = scales.grid_points("reverse_log", 0.9, 0.999, 3, False)
    assert points == pytest.approx([0.9, 0.99, 0.999], rel=1e-12)
    assert points[0] == 0.9 and points[-1] == 0.999


def test_linear_and_int_grids() -> None:
    assert scales.grid_points("linear", 0.0, 1.0, 5, False) == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert scales.grid_points("linear", 1, 3, 5, True) == [1, 2, 3]  # duplicates dropped
    assert scales.grid_points("pow2", 16, 512, 6, True) == [16, 32, 64, 128, 256, 512]
    assert scales.grid_points("pow2", 16, 64, 5, True) == [16, 32, 64]
    assert scales.grid_points("log", 1, 1000, 4, True) == [1, 10, 100, 1000]
