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

import contextlib
import os
import signal
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator

from desktop_app.core.events import EpochEnded, Event, TrialFinished
from desktop_app.core.runner.task import TrialTask

# What runs one trial: ``run(task, report, should_stop)`` calls ``report`` once per epoch,
# checks ``should_stop`` before every mini-batch and returns the trial's ``TrialFinished``.
# Executors default to :func:`desktop_app.core.runner.trial.run_trial`; tests pass fakes.
RunTrial = Callable[[TrialTask, Callable[[EpochEnded], None], Callable[[], bool]], TrialFinished]

# How much lower than ours the priority of worker processes is (process and local Dask
# workers), so the window stays smooth while they train.
NICE = 5

# Signals a whole process group gets (a terminal closing, ``timeout``, systemd stopping us):
# meant for the coordinator, which stops its workers itself (POSIX only).
GROUP_SIGNALS = frozenset(getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n))


@contextlib.contextmanager
def group_signals_blocked() -> Iterator[None]:
    """Block :data:`GROUP_SIGNALS` in this thread meanwhile (one that comes waits, it is not
    lost): the processes and threads started meanwhile inherit the block.

    Multiprocessing's resource tracker (a helper process of ours) is started first, under the
    block: starting it later would unblock SIGTERM in the thread that starts a worker.
    """
    if not (hasattr(signal, "pthread_sigmask") and hasattr(os, "setsid")):
        yield
        return
    from multiprocessing import resource_tracker

    mask = signal.pthread_sigmask(signal.SIG_BLOCK, GROUP_SIGNALS)
    try:
        resource_tracker.ensure_running()  # unblocks SIGINT and SIGTERM when it starts one
        signal.pthread_sigmask(signal.SIG_BLOCK, GROUP_SIGNALS)
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


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

