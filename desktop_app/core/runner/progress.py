"""Progress of a sweep (trials done, running, best so far, ETA) computed from its events.

The command line's progress bar and the window's status bar both read a :class:`Progress`
from a :class:`ProgressTracker` fed with the events the coordinator yields.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from desktop_app.core.events import EpochEnded, Event, StudyFinished, TrialFinished, TrialStarted
from desktop_app.core.study import Direction, TrialState, best_trial


@dataclass(frozen=True)
class Progress:
    """A snapshot: ``done`` of ``total`` trials finished, ``running`` now, best so far.

    ``eta_seconds`` is None until there is enough progress to estimate it.
    """

    done: int
    total: int
    running: int
    best_number: int | None
    best_value: float | None
    elapsed: float
    eta_seconds: float | None

    @property
    def fraction(self) -> float:
        """Share of the budget done, in [0, 1]."""
        return min(1.0, self.done / self.total) if self.total > 0 else 1.0


class ProgressTracker:
    """Keeps a :class:`Progress` up to date from events.

    ``done``/``best_number``/``best_value`` start a resumed study where it was. With
    ``epochs`` (per trial) the ETA also counts the epochs of running trials, so it is
    available before the first trial of the session finishes. The best trial is picked by
    :func:`~desktop_app.core.study.best_trial` in ``direction``: of equal values the lowest
    trial number wins, whatever order the trials finish in.
    """

    def __init__(
        self,
        budget: int,
        direction: Direction | str,
        *,
        epochs: int | None = None,
        done: int = 0,
        best_number: int | None = None,
        best_value: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.budget = budget
        self.direction = Direction(direction)
        self.epochs = epochs
        self.done = done
        self.best_number = best_number
        self.best_value = best_value
        self._clock = clock
        self._start = clock()
        self._session_done = 0
        self._running: dict[int, int] = {}  # trial number -> epochs done

    def update(self, event: Event) -> None:
        """Account for one event (:meth:`progress` is the snapshot: building it on every event
        cost more than the rest of the accounting)."""
        if isinstance(event, TrialStarted):
            self._running[event.number] = 0
        elif isinstance(event, EpochEnded) and event.number in self._running:
            self._running[event.number] = event.epoch
        elif isinstance(event, TrialFinished):
            self._running.pop(event.number, None)
            if TrialState(event.state).is_finished:
                self.done += 1
                self._session_done += 1
            self._offer_best(event)
        elif isinstance(event, StudyFinished):
            self._running.clear()
            self.done = event.finished
            self.best_number, self.best_value = event.best_number, event.best_value

    def progress(self) -> Progress:
        """The current snapshot."""
        elapsed = self._clock() - self._start
        return Progress(
            done=self.done,
            total=self.budget,
            running=len(self._running),
            best_number=self.best_number,
            best_value=self.best_value,
            elapsed=elapsed,
            eta_seconds=self._eta(elapsed),
        )

    def _offer_best(self, event: TrialFinished) -> None:
        trials = [(event.number, event.state, event.value)]
        if self.best_number is not None and self.best_value is not None:
            trials.append((self.best_number, TrialState.COMPLETE, self.best_value))
        best = best_trial(trials, self.direction)
        if best is not None:
            self.best_number, self.best_value = best

    def _eta(self, elapsed: float) -> float | None:
        """Remaining work divided by this session's rate of work, in trials."""
        partial = 0.0
        if self.epochs:
            partial = sum(min(1.0, e / self.epochs) for e in self._running.values())
        work = self._session_done + partial
        remaining = max(0, self.budget - self.done)
        if remaining == 0:
            return 0.0
        if work <= 0 or elapsed <= 0:
            return None
        return max(0.0, remaining - partial) * elapsed / work


def format_duration(seconds: float) -> str:
    """Compact human duration for ETAs: 42s, 3m07s, 1h05m."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"
