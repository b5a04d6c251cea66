"""Run one trial in a worker: call its trainer, report every epoch, never raise.

Every trainer (Caviar's network, the user's function, the user's program) runs through
:func:`run_trial` as ``train(params, trial)``; whatever goes wrong inside becomes a ``failed``
:class:`~desktop_app.core.events.TrialFinished` carrying the reason, so one bad trial never
ends a sweep.
"""

from __future__ import annotations

import math
import time
import traceback
from collections.abc import Callable, Mapping
from typing import Any

from desktop_app.core.events import EpochEnded, TrialFinished
from desktop_app.core.runner.task import TrialTask
from desktop_app.core.study import TrialState
from desktop_app.core.trainers import TrainerFailed, TrialHandle
from desktop_app.core.trainers.prints import prints_into
from desktop_app.core.trainers.resolve import trainer_for

TRACEBACK_LINES = 20
NO_REPORT = ("the trainer ended without reporting a metric: call trial.report(epoch, "
             "name=value) after each epoch (or return a dict of final metrics)")
NO_REPORT_LINE = ("the program exited without printing a report line such as "
                  'CAVIAR {"epoch": 1, "val_loss": 0.3}')


def run_trial(
    task: TrialTask,
    report: Callable[[EpochEnded], None],
    should_stop: Callable[[], bool],
) -> TrialFinished:
    """Train the trial with its trainer; ``report`` gets every epoch as it ends.

    The trainer sees ``should_stop`` through ``trial.should_stop()`` (Caviar's network checks
    it before every mini-batch); when it said True the trial ends as ``interrupted``. The
    result's ``value`` is the task's metric at the last epoch, updated by the final metrics the
    trainer returned (NaN when there is none).
    """
    start = time.perf_counter()
    trial = TrialHandle(task.study, task.number, task.hyperparameters, task.seed, task.data,
                        report, should_stop)
    if trial.should_stop():
        return _finished(task, trial, TrialState.INTERRUPTED, start)
    try:
        with prints_into(trial.log_tail):
            final = _final_metrics(trainer_for(task.trainer)(dict(trial.params), trial))
    except TrainerFailed as exc:
        return _finished(task, trial, TrialState.FAILED, start, error=str(exc))
    except Exception as exc:
        return _finished(task, trial, TrialState.FAILED, start, error=_traceback_tail(exc))
    if trial.diverged:
        return _finished(task, trial, TrialState.DIVERGED, start, final)
    if trial.stop_asked:
        return _finished(task, trial, TrialState.INTERRUPTED, start, final)
    if trial.last is None and not final:
        reason = NO_REPORT_LINE if task.trainer.kind == "command" else NO_REPORT
        return _finished(task, trial, TrialState.FAILED, start, error=reason)
    if final and any(not math.isfinite(v) for v in final.values()):
        return _finished(task, trial, TrialState.DIVERGED, start, final)
    return _finished(task, trial, TrialState.COMPLETE, start, final)


def _final_metrics(result: Any) -> dict[str, float]:
    """What ``train`` returned: None, or a dict of metric name -> number."""
    if result is None:
        return {}
    if not isinstance(result, Mapping):
        raise TrainerFailed(f"train() must return None or a dict of final metrics such as "
                            f"{{\"val_accuracy\": 0.93}} (it returned {type(result).__name__})")
    final: dict[str, float] = {}
    for name, value in result.items():
        try:
            final[str(name)] = float(value)
        except (TypeError, ValueError):
            raise TrainerFailed(f"train() returned {name!r}: {value!r}, which is not a "
                                "number") from None
    return final


def _finished(
    task: TrialTask,
    trial: TrialHandle,
    state: TrialState,
    start: float,
    final: dict[str, float] | None = None,
    error: str = "",
) -> TrialFinished:
    """The result, its metrics and value taken from the last epoch and the final metrics (the
    one place they are computed: the coordinator and the window use what the event carries)."""
    return TrialFinished.after(
        task.study, task.number, state.value, trial.last, task.metric,
        seconds=time.perf_counter() - start, error=error, final=final,
        log=trial.log_tail.text(), weights=trial.weights if state is TrialState.COMPLETE else b"",
    )


def _traceback_tail(exc: Exception) -> str:
    """The last lines of ``exc``'s traceback from the trainer's frame on (this module's own
    frame says nothing to the user): enough to see what broke."""
    tb = exc.__traceback__.tb_next if exc.__traceback__ is not None else None
    text = "".join(traceback.format_exception(type(exc), exc, tb))
    return "\n".join(text.rstrip("\n").splitlines()[-TRACEBACK_LINES:])
