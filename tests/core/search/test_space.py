"""Param validation messages, SearchSpace, grid sizes and the build_space property test."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from desktop_app.core.errors import SpaceError
from desktop_app.core.search import MAX_GRID, REGISTRY, Param, SearchSpace, build_space


def refusal(**kwargs: object) -> str:
    with pytest.raises(SpaceError) as err:
        Param(**kwargs)
    assert err.value.field == f"params.{kwargs['name']}"
    return str(err.value)


def test_log_with_low_zero_message_is_exact() -> None:
    assert refusal(name="learning_rate", scale="log", low=0, high=1) == (
        "params.learning_rate: scale 'log' needs low > 0 (got 0)"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "learnig_rate", "low": 0.1, "high": 1},
         "unknown hyperparameter 'learnig_rate'; did you mean learning_rate?"),
        ({"name": "learning_rate", "low": 0.1, "high": 0.1},
         "low must be below high (got low 0.1, high 0.1)"),
        ({"name": "learning_rate", "low": 1.0, "high": 0.1}, "low must be below high"),
        ({"name": "momentum", "scale": "reverse_log", "low": 0.9, "high": 1.0},
         "scale 'reverse_log' needs 0 <= low < high < 1 (got low 0.9, high 1)"),
        ({"name": "beta_1", "low": -0.5, "high": 0.9}, "needs 0 <= low < high < 1"),
        ({"name": "batch_size", "scale": "pow2", "low": 5, "high": 7},
         "scale 'pow2' found no power of two in [5, 7]; widen the range, e.g. low = 4, high = 8"),
        ({"name": "optimizer", "values": []}, "values is empty; list at least one"),
        ({"name": "batch_size", "values": [32, "64"]},
         "value '64' must be a whole number (got '64')"),
        ({"name": "batch_norm", "values": [True, "no"]},
         "value 'no' must be one of True, False (got 'no')"),
        ({"name": "optimizer", "values": "adam"}, "values must be a list"),
        ({"name": "optimizer", "values": ["adam", "adam"]}, "value 'adam' is listed twice"),
        ({"name": "momentum", "scale": "log", "low": 0.1, "high": 0.9},
         "scale must be 'reverse_log' for momentum (got 'log')"),
        ({"name": "batch_size", "scale": "cubic", "low": 8, "high": 64},
         "scale must be 'pow2' or 'linear' or 'log' for batch_size (got 'cubic')"),
        ({"name": "learning_rate", "low": 1e-4, "high": 1, "values": [0.1]},
         "give either values or a range (scale, low, high), not both"),
        ({"name": "learning_rate", "low": 1e-4, "high": 1, "points": 1},
         "points must be between 2 and 100,000 (got 1)"),
        ({"name": "learning_rate", "low": 1e-4, "high": 1, "points": 2.5},
         "points must be a whole number"),
        ({"name": "learning_rate", "low": 1e-4}, "a range needs low and high"),
        ({"name": "optimizer", "low": 1, "high": 2}, "is a choice: give values"),
        ({"name": "hidden_units", "low": 8.5, "high": 64}, "low must be a whole number (got 8.5)"),
        ({"name": "learning_rate", "low": True, "high": 2}, "low must be a number (got True)"),
        ({"name": "learning_rate", "low": 1e-3, "high": float("inf")},
         "high must be a finite number (got inf)"),
        ({"name": "dropout", "low": 0.1, "high": 1.0}, "high must be a number in [0, 1)"),
        ({"name": "l2", "scale": "linear", "low": -1.0, "high": 1.0}, "low must be a number >= 0"),
    ],
)
def test_every_refusal_names_the_field_and_the_fix(kwargs: dict, message: str) -> None:
    assert message in refusal(**kwargs)


def test_defaults_and_conversions() -> None:
    assert Param("learning_rate", low=1e-4, high=1).scale == "log"
    assert Param("batch_size", low=16.0, high=512).low == 16
    assert isinstance(Param("batch_size", low=16.0, high=512).low, int)
    assert Param("momentum", low=0.8, high=0.99).scale == "reverse_log"
    lr = Param("learning_rate", values=[1, 0.1])
    assert lr.values == (1.0, 0.1) and not lr.is_ranged
    assert Param("dropout", low=0, high=0.5).is_ranged
    assert Param("optimizer", values=["sgd"]).grid() == ("sgd",)
    assert hash(Param("epochs", low=5, high=10)) == hash(Param("epochs", low=5.0, high=10))


def test_param_sample_stays_in_range_and_on_type() -> None:
    rng = np.random.default_rng(0)
    assert set(Param("hidden_units", low=16, high=128).sample(rng, 200)) == {16, 32, 64, 128}
    assert set(Param("activation", values=["tanh", "relu"]).sample(rng, 50)) == {"tanh", "relu"}
    lr = Param("learning_rate", low=1e-3, high=1e-1).sample(rng, 200)
    assert all(1e-3 <= v <= 1e-1 and isinstance(v, float) for v in lr)


def test_grid_size_is_the_product_of_each_param_grid() -> None:
    space = build_space({
        "learning_rate": {"scale": "log", "low": 1e-4, "high": 1, "points": 5},
        "batch_size": {"scale": "pow2", "low": 16, "high": 256},      # default 3 points
        "optimizer": {"values": ["sgd", "momentum", "adam"]},
        "hidden_layers": {"low": 1, "high": 2, "points": 4},           # ints: only 1, 2
    })
    assert space.names == ("learning_rate", "batch_size", "optimizer", "hidden_layers")
    assert space["batch_size"].grid() == (16, 64, 256)  # exponents 4, 6, 8
    assert space.grid_size() == 5 * 3 * 3 * 2 == len(list(space.grid()))
    first, second = list(space.grid())[:2]
    assert first == {"learning_rate": 1e-4, "batch_size": 16, "optimizer": "sgd",
                     "hidden_layers": 1}
    assert second["hidden_layers"] == 2  # the last parameter varies fastest
    assert space.check_grid() == 90


def test_a_grid_over_the_limit_is_refused_with_its_size() -> None:
    space = build_space({
        "learning_rate": {"low": 1e-4, "high": 1, "points": 100},
        "momentum": {"low": 0.5, "high": 0.99, "points": 100},
        "dropout": {"low": 0, "high": 0.5, "points": 11},
    })
    assert space.grid_size() == 110_000 > MAX_GRID
    with pytest.raises(SpaceError) as err:
        space.check_grid()
    assert err.value.field == "params"
    assert "a grid of 110,000 trials (100 learning_rate x 100 momentum x 11 dropout) is over " \
           "the limit of 100,000" in str(err.value)


def test_to_dict_round_trips() -> None:
    table = {
        "learning_rate": {"scale": "log", "low": 1e-4, "high": 1.0, "points": 5},
        "momentum": {"scale": "reverse_log", "low": 0.9, "high": 0.999},
        "batch_norm": {"values": [True, False]},
        "hidden_units": {"scale": "linear", "low": 8, "high": 64},
    }
    space = build_space(table)
    assert space.to_dict() == table
    assert build_space(space.to_dict()) == space
    assert list(space) == [space[name] for name in table]
    with_points = build_space({"optimizer": {"values": ["sgd"], "points": 5}})
    assert build_space(with_points.to_dict()) == with_points == build_space(
        {"optimizer": {"values": ["sgd"]}})


@pytest.mark.parametrize(
    ("mapping", "field", "message"),
    [
        ([1, 2], "params", "must be a table of parameters (got list)"),
        ({"learning_rate": 0.1}, "params.learning_rate", "must be a table with scale, low"),
        ({"learning_rate": {"lo": 1}}, "params.learning_rate", "unknown key 'lo'; allowed: scale"),
        ({"optimizer": {"values": None}}, "params.optimizer", "is a choice: give values"),
    ],
)
def test_build_space_refusals(mapping: object, field: str, message: str) -> None:
    with pytest.raises(SpaceError) as err:
        build_space(mapping)
    assert err.value.field == field and message in str(err.value)


def test_duplicate_names_are_refused() -> None:
    with pytest.raises(SpaceError, match=r"params\.epochs: is listed twice"):
        SearchSpace([Param("epochs", low=1, high=5), Param("epochs", low=2, high=5)])


_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6), st.sampled_from(["log", "linear", "reverse_log", "pow2", "sgd"]),
)
_keys = st.one_of(st.sampled_from([*REGISTRY, "scale", "low", "high", "values", "points"]),
                  st.text(max_size=5))
_tree = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(_keys, inner, max_size=5)),
    max_leaves=12,
)
_table = st.fixed_dictionaries(
    {}, optional={"scale": _tree, "low": _tree, "high": _tree, "values": _tree, "points": _tree}
)


@settings(max_examples=400, deadline=None)
@example({"learning_rate": {"low": 1e-3, "high": 0.1}, "batch_size": {"values": [8, 16.0]}})
@example({"momentum": {"scale": "reverse_log", "low": 0, "high": 0.5, "points": 7}})
@given(st.one_of(_tree, st.dictionaries(_keys, st.one_of(_table, _tree), max_size=4)))
def test_build_space_builds_or_raises_space_error(mapping: object) -> None:
    try:
        space = build_space(mapping)
    except SpaceError as err:
        assert err.field == "params" or err.field.startswith("params.")
        assert err.problem
        return
    assert build_space(space.to_dict()) == space
    rng = np.random.default_rng(0)
    for param in space:
        for value in param.sample(rng, 3) + list(param.grid()[:3]):
            if param.is_ranged:
                assert param.low <= value <= param.high
            else:
                assert value in param.values


_ranged = [(hp.name, scale) for hp in REGISTRY.values() for scale in hp.scales]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(_ranged),
    st.floats(min_value=0, max_value=1e6, allow_subnormal=False),
    st.floats(min_value=0, max_value=1e6, allow_subnormal=False),
    st.integers(min_value=2, max_value=9),
)
def test_valid_ranges_sample_and_grid_inside_on_type(
    entry: tuple[str, str], a: float, b: float, points: int
) -> None:
    name, scale = entry
    hp = REGISTRY[name]
    low, high = (round(a), round(b)) if hp.kind == "int" else (a, b)
    if hp.maximum == 1.0:
        low, high = low / (1 + low), high / (1 + high)  # squash into [0, 1)
    try:
        param = Param(name, low=low, high=high, scale=scale, points=points)
    except SpaceError as err:
        assert err.field == f"params.{name}"
        event("refused")
        return
    event("built")
    values = param.sample(np.random.default_rng(0), 50) + list(param.grid())
    kind = int if hp.kind == "int" else float
    assert all(type(v) is kind and low <= v <= high for v in values)
    assert 1 <= len(param.grid()) <= points
    assert param.grid()[0] >= low and list(param.grid()) == sorted(param.grid())
