"""Run trials in a pool of threads of this process.

Cheap to start and easy to debug, but numpy's small-matrix work holds the GIL, so threads give
no speed-up for small networks: the process executor is the one that uses several cores.
"""

from __future__ import annotations

import queue
import threading

from threadpoolctl import threadpool_limits

from desktop_app.core.events import Event, TrialFinished, TrialStarted
from desktop_app.core.runner.executor import Executor, RunTrial
from desktop_app.core.runner.task import TrialTask
from desktop_app.core.runner.trial import run_trial
from desktop_app.core.study import TrialState


class _SingleThreadedBlas:
    """Process-wide "BLAS uses one thread" while at least one thread executor is alive.

    The limit belongs to the process (threadpoolctl sets the BLAS library's global thread
    count), so several executors share one reference count and the last one restores it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._limiter: threadpool_limits | None = None

    def acquire(self) -> None:
        with self._lock:
            if self._users == 0:
                self._limiter = threadpool_limits(limits=1)
            self._users += 1

    def release(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0 and self._limiter is not None:
                self._limiter.restore_original_limits()
                self._limiter = None


_BLAS = _SingleThreadedBlas()


class ThreadExecutor(Executor):
    """``workers`` threads taking trials from one queue; events come back through another.

    ``run`` is the trial function (tests inject fakes); it gets the task, a report callback
    and a should-stop check, like :func:`~desktop_app.core.runner.trial.run_trial`.
    """

    def __init__(self, workers: int, run: RunTrial = run_trial) -> None:
        self.workers = workers
        self._run = run
        # SimpleQueue: C-implemented, a few microseconds less per put/get than queue.Queue
        self._tasks: queue.SimpleQueue[TrialTask | None] = queue.SimpleQueue()
        self._events: queue.SimpleQueue[Event] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._in_flight: set[int] = set()
        self._cancelled: set[int] = set()
        self._closed = False

    def submit(self, task: TrialTask) -> None:
        if self._closed:
            raise RuntimeError("submit() after shutdown()")
        self._in_flight.add(task.number)
        self._tasks.put(task)
        if len(self._threads) < min(self.workers, len(self._in_flight)):
            if not self._threads:
                _BLAS.acquire()  # from the first worker until shutdown
            name = f"thread-{len(self._threads)}"
            thread = threading.Thread(target=self._work, args=(name,), name=f"caviar-{name}")
            thread.start()
            self._threads.append(thread)

    def poll(self, timeout: float) -> list[Event]:
        events: list[Event] = []
        try:
            events.append(self._events.get(timeout=max(timeout, 0.0)))
        except queue.Empty:
            return events
        while not self._events.empty():
            events.append(self._events.get_nowait())
        for event in events:
            if isinstance(event, TrialFinished):
                self._in_flight.discard(event.number)
                self._cancelled.discard(event.number)
        return events

    def cancel(self, number: int) -> None:
        if number in self._in_flight:
            self._cancelled.add(number)

    def free_slots(self) -> int:
        return max(0, self.workers - len(self._in_flight))

    def shutdown(self, wait: bool = True) -> None:
        if not self._closed:
            self._closed = True
            self._cancelled.update(self._in_flight)
            for _ in self._threads:
                self._tasks.put(None)
            if self._threads:
                _BLAS.release()
        if wait:
            for thread in self._threads:
                thread.join()

    def _work(self, name: str) -> None:
        """One worker thread: run tasks until the ``None`` sentinel."""
        while (task := self._tasks.get()) is not None:
            self._events.put(TrialStarted(task.study, task.number, dict(task.params), task.seed,
                                          worker=name))
            number = task.number
            try:
                result = self._run(task, self._events.put, lambda n=number: n in self._cancelled)
            except BaseException as exc:  # run_trial never raises; a fake or a bug might
                result = TrialFinished(task.study, number, TrialState.FAILED.value,
                                       float("nan"), 0, 0.0, error=f"{type(exc).__name__}: {exc}")
            self._events.put(result)
