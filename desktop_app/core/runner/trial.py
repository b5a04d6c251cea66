"""Run one trial in a worker: build the network, train it, report every epoch.

:func:`run_trial` never raises: whatever goes wrong inside a trial becomes a ``failed``
:class:`~desktop_app.core.events.TrialFinished` carrying the traceback, so one bad trial never
ends a sweep.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable

from desktop_app.core.events import EpochEnded, TrialFinished
from desktop_app.core.nn import EpochRecord
from desktop_app.core.runner.fit import fit
from desktop_app.core.runner.task import TrialTask
from desktop_app.core.study import TrialState

TRACEBACK_LINES = 20
_STATES = {
    "complete": TrialState.COMPLETE,
    "early_stopped": TrialState.COMPLETE,
    "diverged": TrialState.DIVERGED,
    "stopped": TrialState.INTERRUPTED,
}


def run_trial(
    task: TrialTask,
    report: Callable[[EpochEnded], None],
    should_stop: Callable[[], bool],
) -> TrialFinished:
    """Train the trial's network; call ``report`` after every epoch.

    ``should_stop`` is checked before every mini-batch (and after every epoch); when it says
    True the trial ends as ``interrupted``. The result's ``value`` is the task's metric at the
    last epoch (NaN when no epoch ran).
    """
    start = time.perf_counter()
    history: list[EpochRecord] = []
    try:
        if should_stop():
            return _finished(task, TrialState.INTERRUPTED, history, start)

        def on_epoch(record: EpochRecord) -> bool:
            history.append(record)
            report(_epoch_event(task, record))
            return should_stop()

        result = fit(task.hyperparameters, task.data, task.seed,
                     should_stop=should_stop, on_epoch=on_epoch)
        return _finished(task, _STATES[result.status], history, start)
    except Exception:
        return _finished(task, TrialState.FAILED, history, start, error=_traceback_tail())


def _epoch_event(task: TrialTask, record: EpochRecord) -> EpochEnded:
    return EpochEnded.from_record(task.study, task.number, record)


def _finished(
    task: TrialTask,
    state: TrialState,
    history: list[EpochRecord],
    start: float,
    error: str = "",
) -> TrialFinished:
    """The result, its metrics and value taken from the last epoch (the one place they are
    computed: the coordinator and the window use what the event carries)."""
    return TrialFinished.after(
        task.study, task.number, state.value, history[-1] if history else None, task.metric,
        seconds=time.perf_counter() - start, error=error,
    )


def _traceback_tail() -> str:
    """The last lines of the current exception's traceback: enough to see what broke."""
    lines = traceback.format_exc().rstrip("\n").splitlines()
    return "\n".join(lines[-TRACEBACK_LINES:])
