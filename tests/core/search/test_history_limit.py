"""What a resumed study shows Optuna: at most HISTORY_LIMIT trials, the best and the latest."""

from __future__ import annotations

from desktop_app.core.search.history import HISTORY_LIMIT, KEEP_BEST, recent_history
from desktop_app.core.study.records import Direction, TrialState


def _history(values: list[float | None], state: str = "complete") -> list[tuple]:
    return [({"n": i}, state, v, {}) for i, v in enumerate(values)]


def test_a_history_within_the_limit_is_kept_whole() -> None:
    history = _history([0.5] * 10)
    assert recent_history(history, Direction.MINIMIZE, limit=10) == history


def test_the_best_are_kept_with_the_most_recent_in_order() -> None:
    values = [float(i) for i in range(100)]  # the best (lowest) are the oldest
    kept = recent_history(_history(values), Direction.MINIMIZE, limit=KEEP_BEST + 10)
    numbers = [params["n"] for params, *_ in kept]
    assert numbers == [*range(KEEP_BEST), *range(90, 100)]


def test_maximize_keeps_the_highest_and_ignores_unfinished_values() -> None:
    values = [None, float("nan"), *[float(i) for i in range(98)]]
    history = _history(values)
    history[3] = ({"n": 3}, TrialState.PRUNED, 1e9, {})  # pruned: never among the best
    kept = recent_history(history, Direction.MAXIMIZE, limit=KEEP_BEST + 5)
    numbers = [params["n"] for params, *_ in kept]
    assert len(numbers) == KEEP_BEST + 5 and 3 not in numbers and 0 not in numbers
    assert numbers == list(range(100 - KEEP_BEST - 5, 100))  # the highest are the latest


def test_the_default_limit_is_ten_thousand() -> None:
    kept = recent_history(_history([1.0] * (HISTORY_LIMIT + 7)), Direction.MINIMIZE)
    assert len(kept) == HISTORY_LIMIT == 10_000
