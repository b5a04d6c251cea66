"""The executor interface: where trials run, and the names every executor shares.

An executor takes :class:`~desktop_app.core.runner.task.TrialTask` values and hands back the
events of :mod:`desktop_app.core.events` as its workers produce them. Nothing else crosses
between the coordinator and the workers, so an implementation may run them in threads, in
processes or on other machines (Dask): no shared memory is assumed by this interface.

The concrete executors (``thread_executor``, ``process_executor``, ``dask_executor`` and its
worker half ``dask_worker``) import only this module, the task and the trial, never each other;
:mod:`desktop_app.core.runner.factory` is the one place that knows them all.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable

from desktop_app.core.events import EpochEnded, Event, TrialFinished
from desktop_app.core.runner.task import TrialTask

# What runs one trial: ``run(task, report, should_stop)`` calls ``report`` once per epoch,
# checks ``should_stop`` before every mini-batch and returns the trial's ``TrialFinished``.
# Executors default to :func:`desktop_app.core.runner.trial.run_trial`; tests pass fakes.
RunTrial = Callable[[TrialTask, Callable[[EpochEnded], None], Callable[[], bool]], TrialFinished]

# How much lower than ours the priority of worker processes is (process and local Dask
# workers), so the window stays smooth while they train.
NICE = 5


class Executor(ABC):
    """A pool of ``workers`` trial runners.

    Life cycle of a submitted trial, as seen through :meth:`poll`: one ``TrialStarted``, one
    ``EpochEnded`` per epoch while it trains, then exactly one ``TrialFinished`` (also when it
    is cancelled before it started, or its worker died).
    """

    workers: int

    @abstractmethod
    def submit(self, task: TrialTask) -> None:
        """Queue a trial; it starts as soon as a worker is free."""

    @abstractmethod
    def poll(self, timeout: float) -> list[Event]:
        """Events that arrived, in arrival order; waits up to ``timeout`` s for the first one."""

    @abstractmethod
    def cancel(self, number: int) -> None:
        """Stop trial ``number`` at its next mini-batch; it finishes as ``interrupted``.

        Unknown or finished numbers are ignored.
        """

    @abstractmethod
    def shutdown(self, wait: bool = True) -> None:
        """Cancel every trial and release the workers (``wait``: join them). Idempotent."""

    @abstractmethod
    def free_slots(self) -> int:
        """How many more trials can be submitted without waiting for a worker."""

