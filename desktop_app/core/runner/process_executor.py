"""Run trials in a pool of worker processes: the real parallelism on several cores.

Each worker is a "spawn" process (the same on Linux, macOS, Windows and in a frozen app) with
its own pipe: tasks go down it, events come back up it, so a worker killed half-way through a
message can corrupt nothing but its own pipe. A worker's trial is cancelled through a shared
integer holding the number to stop, which the trial checks before every mini-batch. A worker
that dies ends its trial as ``interrupted`` with the reason in ``error`` (the coordinator
decides whether it runs again) and is replaced when the next trial needs it.

Workers limit BLAS to one thread (two trainings that each let OpenBLAS use 2 threads run many
times slower than one at a time), lower their priority so the window stays smooth, and leave
signals to the coordinator: they ignore Ctrl-C and run in a session of their own (POSIX), so
a signal to the whole process group (a terminal closing, ``timeout``, systemd) reaches only
the coordinator, which stops them: their trials end ``interrupted``, never killed half-way.
A worker whose coordinator died stops at its next mini-batch and exits.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing as mp
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterator
from multiprocessing.connection import Connection, wait
from typing import Any

from desktop_app.core.events import Event, TrialFinished, TrialStarted
from desktop_app.core.runner.executor import (
    GROUP_SIGNALS,
    NICE,
    Executor,
    RunTrial,
    group_signals_blocked,
)
from desktop_app.core.runner.task import TrialTask
from desktop_app.core.runner.trial import run_trial
from desktop_app.core.study import TrialState

JOIN_SECONDS = 5.0
_NO_TRIAL = -1


def _worker_main(conn: Connection, cancel: Any, name: str, run: RunTrial, nice: int) -> None:
    """A worker process: run the tasks that arrive on ``conn`` until ``None`` or EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _leave_process_group()
    parent = os.getppid()
    if nice and hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(nice)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1), contextlib.suppress(EOFError, OSError):
        while (task := conn.recv()) is not None:
            number = task.number
            conn.send(TrialStarted(task.study, number, dict(task.params), task.seed, name))
            conn.send(run(task, conn.send, functools.partial(_stopped, cancel, number, parent)))


def _stopped(cancel: Any, number: int, parent: int) -> bool:
    """Should trial ``number`` stop: cancelled, or our coordinator (``parent``) is gone?"""
    return cancel.value == number or os.getppid() != parent


def _leave_process_group() -> None:
    """Move to a session of our own (POSIX), dropping any group signal that arrived before.

    The parent started us with those signals blocked (:func:`_signals_held`): ignoring a
    blocked pending signal discards it, then a direct ``kill`` works as usual again.
    """
    if not hasattr(os, "setsid"):
        return
    os.setsid()
    for sig in GROUP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, GROUP_SIGNALS)
    for sig in GROUP_SIGNALS:
        signal.signal(sig, signal.SIG_DFL)


class _Worker:
    """The parent's handle on one worker process."""

    def __init__(self, ctx: Any, name: str, run: RunTrial, nice: int) -> None:
        self.name = name
        self.conn, child_conn = ctx.Pipe(duplex=True)
        self.cancel = ctx.RawValue("q", _NO_TRIAL)
        self.task: TrialTask | None = None
        self.process = ctx.Process(
            target=_worker_main, args=(child_conn, self.cancel, name, run, nice),
            name=f"caviar-{name}", daemon=True,
        )
        with _signals_held():
            self.process.start()
        child_conn.close()

    def assign(self, task: TrialTask) -> None:
        self.cancel.value = _NO_TRIAL
        self.task = task
        self.conn.send(task)

    def drain(self) -> list[Event]:
        """Every event already in the pipe (also after the process died)."""
        events: list[Event] = []
        with contextlib.suppress(EOFError, OSError):
            while self.conn.poll():
                events.append(self.conn.recv())
        return events


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Start children with Ctrl-C ignored (main thread only: the handler is process-wide) and
    group signals blocked (this thread only: one that comes meanwhile waits, it is not lost)
    from their first instruction, until they have left our process group."""
    with contextlib.ExitStack() as stack:
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
            stack.callback(signal.signal, signal.SIGINT, previous)
        stack.enter_context(group_signals_blocked())
        yield


class ProcessExecutor(Executor):
    """Up to ``workers`` worker processes, started when the first trials need them.

    ``run`` is the trial function (a module-level function, since it is pickled to the
    workers); ``nice`` is how much workers lower their priority (0: not at all).
    """

    def __init__(self, workers: int, run: RunTrial = run_trial, nice: int = NICE) -> None:
        self.workers = workers
        self._run = run
        self._nice = nice
        self._ctx = mp.get_context("spawn")
        self._pool: list[_Worker] = []
        self._pending: deque[TrialTask] = deque()
        self._ready: list[Event] = []
        self._started = 0
        self._closed = False

    def submit(self, task: TrialTask) -> None:
        if self._closed:
            raise RuntimeError("submit() after shutdown()")
        self._pending.append(task)
        self._dispatch()

    def poll(self, timeout: float) -> list[Event]:
        self._dispatch()
        events, self._ready = self._ready, []
        if not events and self._pool:
            handles = [w.conn for w in self._pool] + [w.process.sentinel for w in self._pool]
            wait(handles, max(timeout, 0.0))
        elif not events:
            time.sleep(max(timeout, 0.0))
        for worker in list(self._pool):
            for event in worker.drain():
                if isinstance(event, TrialFinished) and worker.task is not None:
                    worker.task = None
                events.append(event)
            if not worker.process.is_alive():
                events.extend(self._bury(worker))
        self._dispatch()
        return events

    def cancel(self, number: int) -> None:
        for task in self._pending:
            if task.number == number:
                self._pending.remove(task)
                self._ready.append(_interrupted(task))
                return
        for worker in self._pool:
            if worker.task is not None and worker.task.number == number:
                worker.cancel.value = number

    def free_slots(self) -> int:
        busy = sum(worker.task is not None for worker in self._pool)
        return max(0, self.workers - busy - len(self._pending))

    def shutdown(self, wait: bool = True) -> None:
        if not self._closed:
            self._closed = True
            self._pending.clear()
            for worker in self._pool:
                if worker.task is not None:
                    worker.cancel.value = worker.task.number
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
        if wait:
            self._join()

    def _join(self) -> None:
        """Wait for every worker to exit (draining its pipe so it never blocks on a send)."""
        deadline = time.monotonic() + JOIN_SECONDS
        for worker in self._pool:
            while worker.process.is_alive() and time.monotonic() < deadline:
                worker.drain()
                worker.process.join(0.05)
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join()
            worker.conn.close()
            worker.process.close()
        self._pool.clear()

    def _dispatch(self) -> None:
        """Hand pending trials to idle workers, starting workers up to the pool size."""
        while self._pending and not self._closed:
            idle = next((w for w in self._pool if w.task is None), None)
            if idle is None and len(self._pool) < self.workers:
                idle = _Worker(self._ctx, f"process-{self._started}", self._run, self._nice)
                self._started += 1
                self._pool.append(idle)
            if idle is None:
                return
            idle.assign(self._pending.popleft())

    def _bury(self, worker: _Worker) -> list[Event]:
        """A worker process died: its trial is interrupted with the reason, and the worker
        dropped (the pool replaces it on demand)."""
        self._pool.remove(worker)
        code = worker.process.exitcode
        worker.conn.close()
        worker.process.close()
        task = worker.task
        if task is None:
            return []
        error = (f"the worker process {worker.name} died (exit code {code}) while running "
                 f"trial {task.number}")
        return [_interrupted(task, error)]


def _interrupted(task: TrialTask, error: str = "") -> TrialFinished:
    """The result of a trial cancelled before any worker started it, or whose worker died."""
    return TrialFinished(task.study, task.number, TrialState.INTERRUPTED.value, float("nan"),
                         0, 0.0, error=error)
