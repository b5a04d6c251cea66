"""Run one trial in a worker: build the network, train it, report every epoch.

:func:`run_trial` never raises: whatever goes wrong inside a trial becomes a ``failed``
:class:`~desktop_app.core.events.TrialFinished` carrying the traceback, so one bad trial never
ends a sweep.
"""

from __future__ import annotations

import math
import time
import traceback
from collections.abc import Callable

import numpy as np

from desktop_app.core.data import load_split
from desktop_app.core.events import EpochEnded, TrialFinished
from desktop_app.core.nn import EpochRecord, InverseTimeDecay, TrainResult, build_model, train
from desktop_app.core.runner.task import TrialTask
from desktop_app.core.study import METRIC_NAMES, TrialState

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

        result = _train(task, on_epoch, should_stop)
        return _finished(task, _STATES[result.status], history, start)
    except Exception:
        return _finished(task, TrialState.FAILED, history, start, error=_traceback_tail())


def _train(
    task: TrialTask,
    on_epoch: Callable[[EpochRecord], bool],
    should_stop: Callable[[], bool],
) -> TrainResult:
    """Build the network and optimiser from the task's hyperparameters and train."""
    hp = task.hyperparameters
    split = load_split(task.data)
    X, X_val = split.X_train.astype(np.float32), split.X_val.astype(np.float32)
    net, optimizer = build_model(hp, split.n_features, split.n_classes, task.seed)
    return train(
        net, optimizer, X, split.y_train, X_val, split.y_val,
        epochs=int(hp["epochs"]),
        batch_size=int(hp["batch_size"]),
        schedule=InverseTimeDecay(float(hp["lr_decay"])),
        seed=task.seed,
        should_stop=should_stop,
        on_epoch=on_epoch,
    )


def _epoch_event(task: TrialTask, record: EpochRecord) -> EpochEnded:
    return EpochEnded(
        study=task.study,
        number=task.number,
        epoch=record.epoch,
        train_loss=float(record.train_loss),
        train_accuracy=float(record.train_accuracy),
        val_loss=float(record.val_loss),
        val_accuracy=float(record.val_accuracy),
        learning_rate=float(record.learning_rate),
        seconds=float(record.seconds),
    )


def _finished(
    task: TrialTask,
    state: TrialState,
    history: list[EpochRecord],
    start: float,
    error: str = "",
) -> TrialFinished:
    metrics = {name: float(getattr(history[-1], name)) for name in METRIC_NAMES} if history else {}
    return TrialFinished(
        study=task.study,
        number=task.number,
        state=state.value,
        value=metrics.get(task.metric, math.nan),
        epochs=len(history),
        seconds=time.perf_counter() - start,
        metrics=metrics,
        error=error,
    )


def _traceback_tail() -> str:
    """The last lines of the current exception's traceback: enough to see what broke."""
    lines = traceback.format_exc().rstrip("\n").splitlines()
    return "\n".join(lines[-TRACEBACK_LINES:])
