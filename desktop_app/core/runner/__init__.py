"""Running trials: tasks, the trial function, executors (thread, process) and the coordinator.

Names are imported on first use (PEP 562): a worker process unpickling its entry point imports
this package, and should load only what a trial needs (numpy engine, data), not the
coordinator's config, search and Optuna imports. That keeps worker start-up short.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop_app.core.runner.coordinator import Coordinator
    from desktop_app.core.runner.executor import EXECUTOR_KINDS, Executor, make_executor
    from desktop_app.core.runner.progress import Progress, ProgressTracker
    from desktop_app.core.runner.task import TrialTask, trial_seed
    from desktop_app.core.runner.trial import run_trial

_HOME = {
    "Coordinator": "coordinator",
    "EXECUTOR_KINDS": "executor",
    "Executor": "executor",
    "make_executor": "executor",
    "Progress": "progress",
    "ProgressTracker": "progress",
    "TrialTask": "task",
    "trial_seed": "task",
    "run_trial": "trial",
}

__all__ = [
    "EXECUTOR_KINDS",
    "Coordinator",
    "Executor",
    "Progress",
    "ProgressTracker",
    "TrialTask",
    "make_executor",
    "run_trial",
    "trial_seed",
]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
