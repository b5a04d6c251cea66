"""Strategies: seeding, values on the user's scale, grid enumeration, pruning, states."""

from __future__ import annotations

import pytest

from desktop_app.core.errors import ConfigError, SpaceError
from desktop_app.core.search import STRATEGIES, build_space, make_strategy
from desktop_app.core.study.records import TrialState
from tests.core.search.helpers import BAD, GOOD, SPACE, feed, make, run

pytestmark = pytest.mark.filterwarnings("error")  # Optuna must print nothing to users


@pytest.mark.parametrize("kind", STRATEGIES)
def test_same_seed_same_trials(kind: str) -> None:
    n = 14 if kind == "tpe" else 20  # TPE: past its 10 random start-up trials
    first, again = run(make(kind), n), run(make(kind), n)
    assert first == again and len(first) == n
    if kind != "grid":
        assert run(make(kind, seed=8), n) != first


@pytest.mark.parametrize("kind", STRATEGIES)
def test_values_are_python_scalars_on_the_user_scale_inside_the_range(kind: str) -> None:
    for params in run(make(kind), 30):
        assert list(params) == list(SPACE.names)
        for name, value in params.items():
            param = SPACE[name]
            if param.is_ranged:
                assert param.low <= value <= param.high
                assert type(value) is (int if param.is_integer else float)
            else:
                assert value in param.values and type(value) in (str, bool)
        assert params["batch_size"] in (16, 32, 64, 128, 256, 512)


def test_samplers_cover_each_scale_as_the_scale_says() -> None:
    asked = run(make("random"), 400)
    below = sum(p["momentum"] < 0.99 for p in asked) / len(asked)
    small = sum(p["learning_rate"] < 1e-2 for p in asked) / len(asked)
    assert abs(below - 0.5) < 0.1 and abs(small - 0.5) < 0.1
    sobol = run(make("quasi_random"), 64)
    assert abs(sum(p["momentum"] < 0.99 for p in sobol) / 64 - 0.5) < 0.07


def test_grid_enumerates_the_product_then_stops() -> None:
    space = build_space({"learning_rate": {"low": 1e-4, "high": 1.0, "points": 5},
                         "optimizer": {"values": ["sgd", "adam"]}})
    strategy = make_strategy(space, "grid", seed=0, direction="minimize", max_epochs=3)
    assert strategy.budget_hint == 10
    asked = run(strategy, 20)
    assert len(asked) == 10 and strategy.ask() is None
    assert [p["learning_rate"] for p in asked[::2]] == pytest.approx([1e-4, 1e-3, 1e-2, 0.1, 1])
    assert [p["optimizer"] for p in asked[:2]] == ["sgd", "adam"]


def test_grid_over_the_limit_is_refused() -> None:
    space = build_space({"learning_rate": {"low": 1e-4, "high": 1.0, "points": 1000},
                         "dropout": {"low": 0.0, "high": 0.5, "points": 101}})
    with pytest.raises(SpaceError, match="a grid of 101,000 trials"):
        make_strategy(space, "grid", seed=0, direction="minimize", max_epochs=3)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"kind": "bayes"}, "study.strategy"), ({"pruner": "early"}, "study.pruner"),
     ({"direction": "up"}, "study.direction"), ({"max_epochs": 0}, "train.epochs")],
)
def test_bad_choices_are_config_errors(kwargs: dict, field: str) -> None:
    args = {"kind": "random", "seed": 0, "direction": "maximize", "max_epochs": 5} | kwargs
    with pytest.raises(ConfigError) as err:
        make_strategy(SPACE, args.pop("kind"), **args)
    assert err.value.field == field


@pytest.mark.parametrize("kind", ["grid", "random", "tpe"])
def test_median_prunes_a_clearly_bad_curve_after_the_start_up_trials(kind: str) -> None:
    strategy = make(kind, pruner="median", max_epochs=5)
    for _ in range(4):
        assert feed(strategy, GOOD) == (5, False)
    assert feed(strategy, BAD) == (1, True)
    assert feed(strategy, GOOD) == (5, False)


def test_median_does_not_prune_before_four_trials_and_none_never_prunes() -> None:
    median = make("random", pruner="median", max_epochs=5)
    for _ in range(3):
        feed(median, GOOD)
    assert feed(median, BAD) == (5, False)
    never = make("random", pruner="none", max_epochs=5)
    for _ in range(6):
        feed(never, GOOD)
    assert feed(never, BAD) == (5, False)


@pytest.mark.parametrize("pruner", ["asha", "hyperband"])
def test_successive_halving_pruners_stop_bad_trials(pruner: str) -> None:
    strategy = make("random", pruner=pruner, max_epochs=9)
    curve = [0.5 + 0.05 * e for e in range(9)]
    for _ in range(12):
        feed(strategy, curve)
    results = [feed(strategy, [0.01] * 9) for _ in range(4)]
    assert any(pruned and epochs < 9 for epochs, pruned in results)


@pytest.mark.parametrize("pruner", ["none", "median", "asha", "hyperband"])
def test_nan_and_repeated_reports_do_not_crash(pruner: str) -> None:
    strategy = make("random", pruner=pruner, max_epochs=4, direction="minimize")
    for _ in range(5):
        feed(strategy, [1.0, 0.8, 0.6, 0.5])
    suggestion = strategy.ask()
    strategy.report(suggestion.key, 1, 0.9)
    strategy.report(suggestion.key, 1, 0.1)  # second report of the same epoch is ignored
    pruned = strategy.report(suggestion.key, 2, float("nan"))
    assert pruned in (True, False)
    if pruner == "median":
        assert pruned  # a NaN curve is the worst there is
    strategy.tell(suggestion.key, TrialState.DIVERGED, float("nan"))


def test_tell_states() -> None:
    strategy = make("random", pruner="median", max_epochs=3)
    keys = [strategy.ask().key for _ in range(5)]
    strategy.tell(keys[0], "complete", 0.5)
    strategy.tell(keys[1], TrialState.COMPLETE, float("nan"))  # recorded as failed
    strategy.tell(keys[2], TrialState.FAILED)
    strategy.tell(keys[3], TrialState.INTERRUPTED)
    with pytest.raises(KeyError):
        strategy.report(keys[3], 1, 0.5)  # an interrupted trial is gone until its re-run
    with pytest.raises(ValueError, match="still running"):
        strategy.tell(keys[4], TrialState.RUNNING)
    strategy.tell(keys[4], TrialState.PRUNED)


@pytest.mark.parametrize("kind", STRATEGIES)
def test_an_empty_space_runs_the_fixed_configuration(kind: str) -> None:
    strategy = make_strategy(build_space({}), kind, seed=0, direction="maximize", max_epochs=2)
    asked = run(strategy, 3)
    assert asked == ([{}] if kind == "grid" else [{}, {}, {}])
