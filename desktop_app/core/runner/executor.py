"""The executor interface: where trials run.

An executor takes :class:`~desktop_app.core.runner.task.TrialTask` values and hands back the
events of :mod:`desktop_app.core.events` as its workers produce them. Nothing else crosses
between the coordinator and the workers, so an implementation may run them in threads, in
processes or on other machines (the Dask executor of a later issue): no shared memory is
assumed by this interface.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from desktop_app.core.errors import CaviarError
from desktop_app.core.events import Event
from desktop_app.core.runner.task import TrialTask

EXECUTOR_KINDS = ("thread", "process", "dask")


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


def make_executor(kind: str, workers: int, scheduler: str = "") -> Executor:
    """The executor called ``kind`` with ``workers`` workers (``scheduler``: Dask's address)."""
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise CaviarError("study.workers", f"must be a whole number >= 1 (got {workers!r})")
    if kind == "thread":
        from desktop_app.core.runner.thread_executor import ThreadExecutor

        return ThreadExecutor(workers)
    if kind == "process":
        from desktop_app.core.runner.process_executor import ProcessExecutor

        return ProcessExecutor(workers)
    if kind == "dask":
        from desktop_app.core.runner.dask_executor import DaskExecutor

        return DaskExecutor(workers, scheduler)
    raise CaviarError(
        "study.executor", f"{kind!r} is not one of: {', '.join(EXECUTOR_KINDS)}"
    )
