"""Small configs and fake trial functions shared by the runner tests.

The fakes are module-level functions so the process executor can pickle them to its workers.
"""

from __future__ import annotations

import math
import os
import signal
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from desktop_app.core.config import StudyConfig, parse_config
from desktop_app.core.events import EpochEnded, TrialFinished
from desktop_app.core.runner.task import TrialTask
from desktop_app.core.runner.trial import run_trial
from desktop_app.core.study import Storage, TrialState


def small_config(
    trials: int = 4,
    workers: int = 2,
    executor: str = "thread",
    epochs: int = 3,
    params: dict[str, Any] | None = None,
    name: str = "s",
    train: dict[str, Any] | None = None,
    **study: Any,
) -> StudyConfig:
    """A fast sweep: a tiny network on 120 spiral points, a few epochs per trial."""
    raw = {
        "study": {"name": name, "trials": trials, "workers": workers, "executor": executor,
                  "strategy": "random", "seed": 7, **study},
        "data": {"source": "spiral", "samples": 120, "classes": 3, "noise": 0.2},
        "train": {"epochs": epochs, "hidden_units": 8, "hidden_layers": 1, "batch_size": 32,
                  "batch_norm": False, **(train or {})},
        "params": params or {"learning_rate": {"scale": "log", "low": 1e-3, "high": 1e-1}},
    }
    return parse_config(raw)


def task(number: int = 0, seed: int = 3, **hparams: Any) -> TrialTask:
    """A task of :func:`small_config` with some hyperparameters changed."""
    config = small_config()
    return TrialTask(study="s", number=number, params=hparams, fixed=dict(config.train),
                     seed=seed, data=config.data, metric="val_accuracy")


def _epoch(t: TrialTask, epoch: int, value: float) -> EpochEnded:
    return EpochEnded(t.study, t.number, epoch, 1.0 / epoch, value, 1.0 / epoch, value,
                      0.01, 0.001)


def _result(t: TrialTask, state: TrialState, epochs: int, value: float) -> TrialFinished:
    return TrialFinished(t.study, t.number, state.value, value, epochs, 0.0)


def slow_trial(
    t: TrialTask,
    report: Callable[[EpochEnded], None],
    should_stop: Callable[[], bool],
    batch_seconds: float = 0.005,
) -> TrialFinished:
    """``epochs`` epochs of 20 x 5 ms 'mini-batches', value = number / 100 + epoch / 1000."""
    epochs = int(t.hyperparameters["epochs"])
    for epoch in range(1, epochs + 1):
        for _ in range(20):
            if should_stop():
                return _result(t, TrialState.INTERRUPTED, epoch - 1, math.nan)
            time.sleep(batch_seconds)
        report(_epoch(t, epoch, t.number / 100 + epoch / 1000))
        if should_stop():
            return _result(t, TrialState.INTERRUPTED, epoch, math.nan)
    return _result(t, TrialState.COMPLETE, epochs, t.number / 100 + epochs / 1000)


def instant_trial(
    t: TrialTask, report: Callable[[EpochEnded], None], should_stop: Callable[[], bool]
) -> TrialFinished:
    """:func:`slow_trial` without the waiting: all epochs are reported before anyone reacts."""
    return slow_trial(t, report, should_stop, batch_seconds=0.0)


def dying_trial(
    t: TrialTask, report: Callable[[EpochEnded], None], should_stop: Callable[[], bool]
) -> TrialFinished:
    """Trial 1 kills its worker process after one epoch; the others train for real."""
    if t.number == 1:
        report(_epoch(t, 1, 0.5))
        os._exit(3)
    return run_trial(t, report, should_stop)


KILL_ONCE_DIR = "CAVIAR_TEST_KILL_ONCE_DIR"


def killed_once_trial(
    t: TrialTask, report: Callable[[EpochEnded], None], should_stop: Callable[[], bool]
) -> TrialFinished:
    """Trial 1's first run kills its own worker with SIGKILL after one epoch (a mark file in
    the folder named by the ``CAVIAR_TEST_KILL_ONCE_DIR`` variable remembers it)."""
    mark = os.path.join(os.environ[KILL_ONCE_DIR], f"killed-{t.number}")
    if t.number == 1 and not os.path.exists(mark):
        open(mark, "w").close()
        report(_epoch(t, 1, 0.5))
        os.kill(os.getpid(), signal.SIGKILL)
    return instant_trial(t, report, should_stop)


def states(storage: Storage, study_id: int) -> dict[int, str]:
    """Trial number -> state value."""
    return {t.number: t.state.value for t in storage.get_trials(study_id)}


def failing_trial(
    t: TrialTask, report: Callable[[EpochEnded], None], should_stop: Callable[[], bool]
) -> TrialFinished:
    """Trial 1 gets an activation the network refuses (a crash inside the trial)."""
    if t.number == 1:
        t = replace(t, fixed={**t.fixed, "activation": "no_such_activation"})
    return run_trial(t, report, should_stop)


def probe_trial(
    t: TrialTask, report: Callable[[EpochEnded], None], should_stop: Callable[[], bool]
) -> TrialFinished:
    """Report the worker's BLAS thread counts and niceness in ``metrics``."""
    from threadpoolctl import threadpool_info

    blas = max(info["num_threads"] for info in threadpool_info())
    return TrialFinished(t.study, t.number, "complete", 0.0, 0, 0.0,
                         metrics={"blas_threads": blas, "nice": os.nice(0)})


_INTERRUPTED_ONCE: set[int] = set()


def flaky_trial(
    t: TrialTask, report: Callable[[EpochEnded], None], should_stop: Callable[[], bool]
) -> TrialFinished:
    """Trial 1 ends interrupted the first time although nobody asked (a worker lost, say)."""
    if t.number == 1 and 1 not in _INTERRUPTED_ONCE:
        _INTERRUPTED_ONCE.add(1)
        report(_epoch(t, 1, 0.5))
        return _result(t, TrialState.INTERRUPTED, 1, 0.5)
    return instant_trial(t, report, should_stop)
