"""Running trials: tasks, the trial function, executors (thread, process) and the coordinator."""

from desktop_app.core.runner.coordinator import Coordinator
from desktop_app.core.runner.executor import EXECUTOR_KINDS, Executor, make_executor
from desktop_app.core.runner.progress import Progress, ProgressTracker
from desktop_app.core.runner.task import TrialTask, trial_seed
from desktop_app.core.runner.trial import run_trial

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
