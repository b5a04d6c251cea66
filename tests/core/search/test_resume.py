"""Resuming: past trials in ``history``, re-runs of interrupted trials, sequences that go on."""

from __future__ import annotations

import math

import pytest

from desktop_app.core.search import build_space, make_strategy
from desktop_app.core.study.records import TrialState
from tests.core.search.helpers import BAD, GOOD, feed, make, objective, run

pytestmark = pytest.mark.filterwarnings("error")


def past(params_list: list[dict]) -> list[tuple]:
    """History tuples of completed trials scored by ``objective``."""
    return [(p, "complete", objective(p), {1: objective(p)}) for p in params_list]


def test_random_resume_continues_the_same_stream() -> None:
    whole = run(make("random"), 10)
    first = run(make("random"), 6)
    assert first == whole[:6]
    assert run(make("random", history=past(first)), 4) == whole[6:]


def test_random_resume_with_interrupted_trials_reruns_them_then_goes_on() -> None:
    whole = run(make("random"), 10)
    resumed = make("random", history=past(whole[:4]))
    reruns = [resumed.rerun(params) for params in whole[4:6]]  # the two interrupted trials
    assert [s.params for s in reruns] == whole[4:6]
    assert len({s.key for s in reruns}) == 2
    for suggestion in reruns:
        resumed.tell(suggestion.key, TrialState.COMPLETE, 0.0)
    assert run(resumed, 4) == whole[6:]


def test_quasi_random_resume_goes_on_instead_of_starting_over() -> None:
    whole = run(make("quasi_random"), 16)
    later = run(make("quasi_random", history=past(whole[:8])), 8)
    for params in later:
        assert params not in whole[:8]
    learning_rates = sorted(p["learning_rate"] for p in whole[:8] + later)
    assert len(set(learning_rates)) == 16


def test_quasi_random_resume_continues_its_sequence() -> None:
    whole = run(make("quasi_random"), 16)  # the first point is random, then Sobol 0, 1, ...
    assert run(make("quasi_random", history=past(whole[:8])), 4) == whole[9:13]


def test_tpe_resume_does_not_repeat_its_start_up_trials() -> None:
    first = run(make("tpe"), 5)
    later = run(make("tpe", history=past(first)), 5)
    assert not any(params in first for params in later)


def test_tpe_learns_from_history() -> None:
    space = build_space({"learning_rate": {"scale": "log", "low": 1e-4, "high": 1.0}})
    random = make_strategy(space, "random", seed=3, direction="maximize", max_epochs=1)
    history = past(run(random, 30))
    tpe = make_strategy(space, "tpe", seed=3, direction="maximize", max_epochs=1, history=history)
    distances = [abs(math.log10(p["learning_rate"]) + 2) for p in run(tpe, 10)]
    # uniform sampling over 4 decades would be 1.0 decade away on average
    assert sum(distances) / len(distances) < 0.5


def test_pruners_see_the_curves_of_past_trials() -> None:
    history = [(p, TrialState.COMPLETE, GOOD[-1], dict(enumerate(GOOD, start=1)))
               for p in run(make("random"), 4)]
    strategy = make("random", pruner="median", max_epochs=5, history=history)
    assert feed(strategy, BAD) == (1, True)


def test_a_rerun_is_pruned_like_any_trial() -> None:
    strategy = make("tpe", pruner="median", max_epochs=5)
    for _ in range(4):
        feed(strategy, GOOD)
    params = {"learning_rate": 0.5, "momentum": 0.95, "batch_size": 128, "hidden_units": 33,
              "hidden_layers": 2, "dropout": 0.1, "optimizer": "adam", "batch_norm": False}
    suggestion = strategy.rerun(params)
    assert suggestion.params == params
    assert strategy.report(suggestion.key, 1, BAD[0])


def test_grid_resume_skips_finished_and_rerun_points() -> None:
    space = build_space({"learning_rate": {"low": 1e-3, "high": 1e-1},
                         "batch_size": {"values": [32, 64]}})
    whole = run(make_strategy(space, "grid", seed=0, direction="maximize", max_epochs=2), 10)
    assert len(whole) == 6
    history = past(whole[:3])
    resumed = make_strategy(space, "grid", seed=0, direction="maximize", max_epochs=2,
                            history=history)
    assert resumed.budget_hint == 6
    resumed.tell(resumed.rerun(whole[4]).key, TrialState.COMPLETE, 0.0)
    assert run(resumed, 10) == [whole[3], whole[5]]


def test_history_of_every_state_and_odd_values_is_accepted() -> None:
    params = run(make("random"), 6)
    history = [
        (params[0], "complete", 0.9, {1: 0.5, 2: 0.9}),
        (params[1], TrialState.PRUNED, None, {"1": 0.1}),
        (params[2], "diverged", float("nan"), {1: float("nan")}),
        (params[3], "failed", None, {}),
        (params[4], "complete", float("inf"), {}),
        (params[5] | {"optimizer": "rmsprop", "batch_size": 48, "momentum": 2.0}, "complete",
         0.3, {1: 0.3}),
        ({"learning_rate": 0.1}, "pruned", None, {1: 0.2}),
    ]
    for kind in ("random", "quasi_random", "tpe"):
        strategy = make(kind, pruner="hyperband", max_epochs=3, history=history)
        assert len(run(strategy, 12)) == 12
    space = build_space({"optimizer": {"values": ["sgd", "adam", "rmsprop", "momentum"]}})
    grid = make_strategy(space, "grid", seed=1, direction="maximize", max_epochs=3,
                         pruner="median", history=history)
    assert run(grid, 12) == [{"optimizer": "momentum"}]  # the only point not yet run
