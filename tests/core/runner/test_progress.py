"""ProgressTracker: counts, best by direction, ETA with a fake clock."""

import math

import pytest

from desktop_app.core.events import EpochEnded, StudyFinished, TrialFinished, TrialStarted
from desktop_app.core.runner.progress import Progress, ProgressTracker


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def started(n: int) -> TrialStarted:
    return TrialStarted("s", n, {}, 0)


def epoch(n: int, e: int) -> EpochEnded:
    return EpochEnded("s", n, e, 1.0, 0.5, 1.0, 0.5, 0.01, 0.1)


def finished(n: int, state: str, value: float) -> TrialFinished:
    return TrialFinished("s", n, state, value, 4, 1.0)


def test_counts_running_and_finished_trials_and_keeps_the_best_complete_one() -> None:
    tracker = ProgressTracker(budget=5, direction="maximize", clock=Clock())
    tracker.update(started(0))
    tracker.update(started(1))
    assert tracker.progress().running == 2
    tracker.update(finished(0, "complete", 0.7))
    tracker.update(finished(1, "pruned", 0.9))  # partial value: never best
    tracker.update(started(2))
    tracker.update(finished(2, "interrupted", 0.95))  # not finished: not counted
    tracker.update(started(3))
    tracker.update(finished(3, "diverged", math.nan))
    p = tracker.progress()
    assert (p.done, p.total, p.running, p.best_number, p.best_value) == (3, 5, 0, 0, 0.7)
    assert p.fraction == pytest.approx(0.6)


@pytest.mark.parametrize(("direction", "best"), [("maximize", (1, 0.9)), ("minimize", (0, 0.2))])
def test_best_follows_the_direction(direction: str, best: tuple) -> None:
    tracker = ProgressTracker(budget=3, direction=direction)
    tracker.update(finished(0, "complete", 0.2))
    tracker.update(finished(1, "complete", 0.9))
    p = tracker.progress()
    assert (p.best_number, p.best_value) == best


@pytest.mark.parametrize("direction", ["maximize", "minimize"])
def test_a_tie_goes_to_the_lowest_trial_number_not_the_first_to_finish(direction: str) -> None:
    tracker = ProgressTracker(budget=4, direction=direction)
    tracker.update(finished(3, "complete", 0.5))
    tracker.update(finished(1, "complete", 0.5))
    p = tracker.progress()
    assert (p.best_number, p.best_value) == (1, 0.5)
    tracker.update(finished(2, "complete", 0.5))
    p = tracker.progress()
    assert (p.best_number, p.best_value) == (1, 0.5)


def test_a_tie_with_the_resumed_best_goes_to_the_lowest_trial_number() -> None:
    tracker = ProgressTracker(budget=6, direction="minimize", done=3, best_number=4,
                              best_value=0.5)
    tracker.update(finished(2, "complete", 0.5))  # an interrupted trial re-run on resume
    p = tracker.progress()
    assert (p.best_number, p.best_value) == (2, 0.5)


def test_an_unknown_direction_is_refused() -> None:
    with pytest.raises(ValueError):
        ProgressTracker(budget=1, direction="sideways")


def test_eta_from_finished_trials_of_this_session() -> None:
    clock = Clock()
    tracker = ProgressTracker(budget=6, direction="maximize", done=2, best_number=1,
                              best_value=0.5, clock=clock)
    assert tracker.progress().eta_seconds is None  # nothing to estimate from yet
    clock.now += 10.0
    tracker.update(started(2))
    tracker.update(finished(2, "complete", 0.4))
    p = tracker.progress()
    # one trial in 10 s this session, 3 left: 30 s; the resumed best is kept
    assert p.eta_seconds == pytest.approx(30.0)
    assert (p.done, p.best_number, p.best_value, p.elapsed) == (3, 1, 0.5, 10.0)


def test_eta_counts_epochs_of_running_trials_when_epochs_are_known() -> None:
    clock = Clock()
    tracker = ProgressTracker(budget=2, direction="maximize", epochs=4, clock=clock)
    tracker.update(started(0))
    tracker.update(started(1))
    clock.now += 5.0
    tracker.update(epoch(0, 1))
    tracker.update(epoch(1, 1))
    p = tracker.progress()
    # half a trial of work (2 x 1/4) in 5 s; 2 - 0.5 trials of work left: 15 s
    assert p.eta_seconds == pytest.approx(15.0)


def test_study_finished_settles_the_counts() -> None:
    tracker = ProgressTracker(budget=4, direction="maximize")
    tracker.update(started(0))
    tracker.update(StudyFinished("s", 4, 4, 2, 0.8, stopped=False))
    p = tracker.progress()
    assert p == Progress(done=4, total=4, running=0, best_number=2, best_value=0.8,
                         elapsed=p.elapsed, eta_seconds=0.0)


def test_format_duration() -> None:
    from desktop_app.core.runner.progress import format_duration

    assert [format_duration(s) for s in (-1, 42.4, 187, 3900)] == ["0s", "42s", "3m07s", "1h05m"]
