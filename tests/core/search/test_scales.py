"""Scale objects: transforms, sampling statistics, grid points, checks, Optuna, plots, text."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from optuna.distributions import FloatDistribution, IntDistribution

from desktop_app.core.errors import SpaceError
from desktop_app.core.search import SCALES, Param, Scale, scale_named

LINEAR, LOG, REVERSE_LOG, POW2 = (SCALES[n] for n in ("linear", "log", "reverse_log", "pow2"))


def test_registry_names_one_object_per_scale() -> None:
    assert tuple(SCALES) == ("linear", "log", "reverse_log", "pow2")
    for name, scale in SCALES.items():
        assert isinstance(scale, Scale)
        assert scale.name == name
        assert scale_named(name) is scale
        assert repr(scale) == f"scale_named({name!r})"
        assert scale.help.startswith(f"{name}: ")
    assert POW2.help == "pow2: powers of two only (16, 32, 64, ...), each equally likely"


@pytest.mark.parametrize("name", ["cubic", None, 2])
def test_an_unknown_scale_names_the_valid_ones(name: object) -> None:
    with pytest.raises(ValueError) as err:
        scale_named(name)
    assert str(err.value) == f"unknown scale {name!r}; valid: linear, log, reverse_log, pow2"


def test_param_keeps_the_name_and_gives_the_object() -> None:
    param = Param("learning_rate", scale="log", low=1e-4, high=1.0)
    assert param.scale == "log" and param.scaling is LOG
    assert Param("optimizer", values=["adam"]).scaling is None


@pytest.mark.parametrize(
    ("scale", "v", "r"),
    [(LINEAR, 3.5, 3.5), (LOG, 1e-3, -3.0), (REVERSE_LOG, 0.99, -2.0), (POW2, 64, 6.0)],
)
def test_to_internal_and_back(scale: Scale, v: float, r: float) -> None:
    assert scale.to_internal(v) == pytest.approx(r)
    assert scale.from_internal(r) == pytest.approx(v)
    assert scale.from_internal(scale.to_internal(v)) == pytest.approx(v, rel=1e-12)


def test_from_internal_rounds_integers_and_pow2_gives_ints() -> None:
    assert LOG.from_internal(math.log10(31.7), integer=True) == 32
    assert LINEAR.from_internal(2.6, integer=True) == 3
    assert POW2.from_internal(5.0) == 32
    assert isinstance(POW2.from_internal(5.0), int)


def test_internal_bounds_are_ordered() -> None:
    assert LOG.internal_bounds(1e-4, 1.0) == pytest.approx((-4.0, 0.0))
    assert REVERSE_LOG.internal_bounds(0.9, 0.999) == pytest.approx((-3.0, -1.0))
    assert POW2.internal_bounds(10, 100) == (4, 6)
    assert POW2.internal_bounds(16, 64) == (4, 6)


def test_log_samples_a_quarter_per_decade() -> None:
    rng = np.random.default_rng(0)
    values = np.array(LOG.sample(1e-4, 1.0, rng, 4000, False))
    counts = np.histogram(np.log10(values), bins=[-4, -3, -2, -1, 0])[0]
    assert counts.sum() == 4000
    # binomial sd is sqrt(4000 * .25 * .75) ~ 27; 5 sd either side
    assert np.all(np.abs(counts - 1000) < 140), counts


def test_reverse_log_puts_half_below_099() -> None:
    rng = np.random.default_rng(1)
    values = np.array(REVERSE_LOG.sample(0.9, 0.999, rng, 4000, False))
    assert values.min() >= 0.9 and values.max() <= 0.999
    assert abs(np.mean(values < 0.99) - 0.5) < 0.04


def test_pow2_yields_only_powers_of_two_uniform_in_exponent() -> None:
    rng = np.random.default_rng(2)
    values = POW2.sample(10, 300, rng, 3000, True)
    assert set(values) == {16, 32, 64, 128, 256}
    assert all(isinstance(v, int) for v in values)
    counts = np.bincount([v.bit_length() for v in values])[5:]
    assert np.all(np.abs(counts - 600) < 120), counts


def test_int_samples_are_ints_inside_range() -> None:
    rng = np.random.default_rng(3)
    for scale in (LINEAR, LOG):
        values = scale.sample(1, 9, rng, 2000, True)
        assert all(isinstance(v, int) for v in values)
        assert set(values) == set(range(1, 10))


def test_seeded_samples_are_exact() -> None:
    """Pinned draws: a change of the sampling code must not move a seeded study."""
    assert LOG.sample(1e-4, 1.0, np.random.default_rng(0), 2, False) == [
        10.0 ** float(r) for r in np.random.default_rng(0).uniform(-4.0, 0.0, 2)
    ]
    assert POW2.sample(16, 512, np.random.default_rng(5), 4, True) == [
        2 ** int(e) for e in np.random.default_rng(5).integers(4, 10, size=4)
    ]
    assert LINEAR.sample(1, 4, np.random.default_rng(6), 4, True) == [
        int(v) for v in np.random.default_rng(6).integers(1, 5, size=4)
    ]


def test_linear_float_samples_are_uniform() -> None:
    rng = np.random.default_rng(4)
    values = np.array(LINEAR.sample(-1.0, 3.0, rng, 4000, False))
    assert values.min() >= -1.0 and values.max() <= 3.0
    assert values.mean() == pytest.approx(1.0, abs=0.1)


def test_log_grid_over_four_decades_is_the_powers_of_ten() -> None:
    points = LOG.grid_points(1e-4, 1.0, 5, False)
    assert points == pytest.approx([1e-4, 1e-3, 1e-2, 1e-1, 1.0], rel=1e-12)
    assert points[0] == 1e-4 and points[-1] == 1.0


def test_reverse_log_grid_is_ascending_and_exact_at_the_ends() -> None:
    points = REVERSE_LOG.grid_points(0.9, 0.999, 3, False)
    assert points == pytest.approx([0.9, 0.99, 0.999], rel=1e-12)
    assert points[0] == 0.9 and points[-1] == 0.999


def test_linear_and_int_grids() -> None:
    assert LINEAR.grid_points(0.0, 1.0, 5, False) == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert LINEAR.grid_points(1, 3, 5, True) == [1, 2, 3]  # duplicates dropped
    assert POW2.grid_points(16, 512, 6, True) == [16, 32, 64, 128, 256, 512]
    assert POW2.grid_points(16, 64, 5, True) == [16, 32, 64]
    assert LOG.grid_points(1, 1000, 4, True) == [1, 10, 100, 1000]


@pytest.mark.parametrize(
    ("scale", "low", "high", "message"),
    [
        (LOG, 0.0, 1.0, "params.x: scale 'log' needs low > 0 (got 0)"),
        (REVERSE_LOG, 0.9, 1.0,
         "params.x: scale 'reverse_log' needs 0 <= low < high < 1 (got low 0.9, high 1)"),
        (REVERSE_LOG, -0.5, 0.9,
         "params.x: scale 'reverse_log' needs 0 <= low < high < 1 (got low -0.5, high 0.9)"),
    ],
)
def test_check_defined_refuses_what_the_transform_cannot_take(
    scale: Scale, low: float, high: float, message: str
) -> None:
    with pytest.raises(SpaceError) as err:
        scale.check_defined(low, high, "params.x")
    assert str(err.value) == message


def test_check_not_empty_wants_a_power_of_two() -> None:
    with pytest.raises(SpaceError) as err:
        POW2.check_not_empty(5, 7, "params.x")
    assert str(err.value) == (
        "params.x: scale 'pow2' found no power of two in [5, 7]; widen the range, e.g. "
        "low = 4, high = 8"
    )
    POW2.check_not_empty(5, 8, "params.x")
    for scale in (LINEAR, LOG, REVERSE_LOG):
        scale.check_not_empty(5, 7, "params.x")
    LINEAR.check_defined(-1.0, 0.0, "params.x")


def test_distributions() -> None:
    assert LINEAR.distribution(1, 4, True) == IntDistribution(1, 4)
    assert LINEAR.distribution(0.0, 0.5, False) == FloatDistribution(0.0, 0.5)
    assert LOG.distribution(8, 300, True) == IntDistribution(8, 300, log=True)
    assert LOG.distribution(1e-4, 1.0, False) == FloatDistribution(1e-4, 1.0, log=True)
    assert REVERSE_LOG.distribution(0.9, 0.999, False) == FloatDistribution(
        1.0 - 0.999, 1.0 - 0.9, log=True
    )
    assert POW2.distribution(10, 300, True) == IntDistribution(4, 8)


@pytest.mark.parametrize(
    ("scale", "low", "high", "integer", "value", "optuna_value"),
    [
        (LINEAR, 0.0, 0.5, False, 0.25, 0.25),
        (LINEAR, 1, 4, True, 3, 3),
        (LOG, 1e-4, 1.0, False, 0.01, 0.01),
        (LOG, 8, 300, True, 64, 64),
        (REVERSE_LOG, 0.9, 0.999, False, 0.99, 1.0 - 0.99),
        (POW2, 16, 512, True, 64, 6),
    ],
)
def test_optuna_round_trip(
    scale: Scale, low: float, high: float, integer: bool, value: float, optuna_value: float
) -> None:
    dist = scale.distribution(low, high, integer)
    to = scale.to_optuna(value, dist)
    assert to == optuna_value and type(to) is type(optuna_value)
    back = scale.from_optuna(to, low, high, integer)
    assert back == pytest.approx(value, rel=1e-12) and type(back) is type(value)


def test_to_optuna_forces_values_inside_the_distribution() -> None:
    dist = POW2.distribution(16, 512, True)
    assert [POW2.to_optuna(v, dist) for v in (100, 0, 1e9, "x")] == [7, 4, 9, 4]
    dist = REVERSE_LOG.distribution(0.9, 0.999, False)
    assert REVERSE_LOG.to_optuna(0.5, dist) == pytest.approx(0.1)
    assert REVERSE_LOG.to_optuna(None, dist) == pytest.approx(0.1)
    dist = LINEAR.distribution(1, 4, True)
    assert [LINEAR.to_optuna(v, dist) for v in (2.6, -3, 9)] == [3, 1, 4]


def test_from_optuna_clips_floats_into_the_range() -> None:
    assert REVERSE_LOG.from_optuna(0.5, 0.9, 0.999, False) == 0.9
    assert LOG.from_optuna(2.0, 1e-4, 1.0, False) == 1.0
    assert POW2.from_optuna(5, 16, 512, True) == 32


def test_plot_axis() -> None:
    assert [s.log_axis for s in SCALES.values()] == [False, True, True, True]
    assert [s.plot_reversed for s in SCALES.values()] == [False, False, True, False]
    assert [s.tick_base for s in SCALES.values()] == [10, 10, 10, 2]
    assert [s.axis_note for s in SCALES.values()] == [
        "", " (log scale)", " (1 - value on a log scale)", " (log scale)"
    ]
    assert [s.to_plot(0.9) for s in SCALES.values()] == [0.9, 0.9, 1.0 - 0.9, 0.9]
    assert [s.tick_label(0.01) for s in (LOG, REVERSE_LOG)] == ["0.01", "0.99"]
    assert POW2.tick_label(31.999999) == "32"


def test_colour_coordinates_grow_with_the_value_evenly_on_the_scale() -> None:
    values = np.array([0.9, 0.99, 0.999])
    assert np.array_equal(LINEAR.colour_coordinates(values), values)
    assert REVERSE_LOG.colour_coordinates(values) == pytest.approx([1.0, 2.0, 3.0])
    assert LOG.colour_coordinates(np.array([1e-3, 1.0])) == pytest.approx([-3.0, 0.0])
    assert POW2.colour_coordinates(np.array([1.0, 100.0])) == pytest.approx([0.0, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isneginf(LOG.colour_coordinates(np.array([0.0]))).all()


def test_format_value_for_people() -> None:
    assert LOG.format_value(0.0032) == "3.2e-03"
    assert [REVERSE_LOG.format_value(v) for v in (0.9, 0.999, 0.99995, 1.0)] == [
        "0.9", "0.999", "0.99995", "1"
    ]
    assert LINEAR.format_value(0.123456) == "0.123"
    assert POW2.format_value(64.0) == "64"
