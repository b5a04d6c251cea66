"""Narrowing to a selection keeps each parameter's scale: exact bounds."""

from __future__ import annotations

import math

import pytest

from desktop_app.core.analysis import narrow_space, narrowed_config
from desktop_app.core.search import Param, SearchSpace, build_space
from tests.core.runner.helpers import small_config

SPACE = build_space({
    "learning_rate": {"scale": "log", "low": 1e-4, "high": 1.0},
    "momentum": {"scale": "reverse_log", "low": 0.8, "high": 0.999},
    "batch_size": {"scale": "pow2", "low": 16, "high": 512},
    "hidden_layers": {"scale": "linear", "low": 1, "high": 4},
    "optimizer": {"values": ["sgd", "adam", "rmsprop"]},
})


def test_each_range_spans_the_selection_on_its_scale_with_a_margin() -> None:
    selected = [{"learning_rate": 1e-3, "momentum": 0.9, "batch_size": 32, "hidden_layers": 2,
                 "optimizer": "adam"},
                {"learning_rate": 1e-2, "momentum": 0.99, "batch_size": 128, "hidden_layers": 3,
                 "optimizer": "sgd"}]
    narrowed = narrow_space(SPACE, selected)
    lr = narrowed["learning_rate"]
    assert (lr.scale, lr.low, lr.high) == ("log", pytest.approx(10 ** -3.1),
                                           pytest.approx(10 ** -1.9))
    beta = narrowed["momentum"]  # 1 - beta from 0.1 to 0.01, i.e. log10 -1 .. -2, +-0.1
    assert beta.scale == "reverse_log"
    assert beta.low == pytest.approx(1 - 10 ** -0.9) and beta.high == pytest.approx(1 - 10 ** -2.1)
    bs = narrowed["batch_size"]  # exponents 5..7, +-0.2 -> rounded to powers of two
    assert (bs.scale, bs.low, bs.high) == ("pow2", 32, 128)
    layers = narrowed["hidden_layers"]
    assert (layers.low, layers.high) == (2, 3)
    assert narrowed["optimizer"].values == ("sgd", "adam")  # in the old order


def test_a_single_trial_gets_a_margin_of_the_old_range_and_stays_inside_it() -> None:
    narrowed = narrow_space(SPACE, [{"learning_rate": 1.0, "hidden_layers": 4}])
    lr = narrowed["learning_rate"]
    assert lr.low == pytest.approx(10 ** -0.4) and lr.high == 1.0  # clipped to the old high
    assert narrowed["hidden_layers"].values == (4,)  # 3.7 .. 4 holds one whole number
    assert narrowed["momentum"] == SPACE["momentum"]  # not in the selection: as it was


def test_an_integer_range_that_collapses_becomes_its_one_value() -> None:
    space = SearchSpace([Param("hidden_layers", low=1, high=100, scale="linear")])
    narrowed = narrow_space(space, [{"hidden_layers": 50}], margin=0.001)
    assert narrowed["hidden_layers"].values == (50,)


def test_a_narrowed_config_is_a_new_study_ready_to_run() -> None:
    config = small_config(params={"learning_rate": {"scale": "log", "low": 1e-3, "high": 1e-1}})
    narrowed = narrowed_config(config, [{"learning_rate": 0.01}, {"learning_rate": 0.02}])
    assert narrowed.study.name == "s-narrow" and narrowed.train == config.train
    lr = narrowed.space["learning_rate"]
    span = math.log10(0.02) - math.log10(0.01)
    assert lr.low == pytest.approx(10 ** (-2 - 0.1 * span))
