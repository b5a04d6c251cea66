"""Running trials: tasks, the trial function, the executors and the coordinator.

Inside the package, from the top down: the coordinator drives a study through an executor
that :mod:`~desktop_app.core.runner.factory` builds from the config; the executors (thread,
process, Dask) share only the interface of :mod:`~desktop_app.core.runner.executor`, the task
and the trial function, and never import each other.

Names are imported on first use (PEP 562): a worker process unpickling its entry point imports
this package, and should load only what a trial needs (numpy engine, data), not the
coordinator's config, search and Optuna imports. That keeps worker start-up short.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop_app.core.runner.coordinator import Coordinator
    from desktop_app.core.runner.dask_executor import DaskExecutor
    from desktop_app.core.runner.executor import Executor, RunTrial
    from desktop_app.core.runner.factory import EXECUTOR_KINDS, make_executor
    from desktop_app.core.runner.process_executor import ProcessExecutor
    from desktop_app.core.runner.progress import Progress, ProgressTracker
    from desktop_app.core.runner.task import TrialTask, trial_seed
    from desktop_app.core.runner.thread_executor import ThreadExecutor
    from desktop_app.core.runner.trial import run_trial

_HOME = {
    "Coordinator": "coordinator",
    "DaskExecutor": "dask_executor",
    "EXECUTOR_KINDS": "factory",
    "Executor": "executor",
    "ProcessExecutor": "process_executor",
    "Progress": "progress",
    "ProgressTracker": "progress",
    "RunTrial": "executor",
    "ThreadExecutor": "thread_executor",
    "TrialTask": "task",
    "make_executor": "factory",
    "run_trial": "trial",
    "trial_seed": "task",
}

__all__ = [
    "EXECUTOR_KINDS",
    "Coordinator",
    "DaskExecutor",
    "Executor",
    "ProcessExecutor",
    "Progress",
    "ProgressTracker",
    "RunTrial",
    "ThreadExecutor",
    "TrialTask",
    "make_executor",
    "run_trial",
    "trial_seed",
]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
