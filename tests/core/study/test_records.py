"""The shared "best so far" rule."""

from __future__ import annotations

from desktop_app.core.study import is_better


def test_is_better_follows_direction_and_never_picks_nan() -> None:
    assert is_better(0.9, None, "maximize") and is_better(0.1, None, "minimize")
    assert is_better(0.9, 0.8, "maximize") and not is_better(0.8, 0.9, "maximize")
    assert is_better(0.1, 0.2, "minimize") and not is_better(0.2, 0.1, "minimize")
    assert not is_better(0.5, 0.5, "maximize")  # ties keep the earlier best
    assert not is_better(float("nan"), None, "minimize")
    assert not is_better(float("inf"), 1.0, "maximize")
