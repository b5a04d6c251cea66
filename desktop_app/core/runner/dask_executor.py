"""Run trials on a Dask cluster: the study stays here (coordinator, storage), trials travel.

Given a scheduler address the executor connects to that cluster; without one it starts a
``LocalCluster`` bound to 127.0.0.1 with one single-threaded worker process per worker slot.
Each submitted trial is one Dask task (:func:`~desktop_app.core.runner.dask_worker.run_remote`)
under a key of its own, ``caviar-<executor id>-<trial number>-<attempt>``.

- Events: the worker logs every event of the trial on this executor's topic; the client's
  subscription handler (on Dask's network thread) puts them in a queue that :meth:`poll` reads,
  so epochs arrive while the trial runs, in the order the worker sent them.
- Stop and prune: :meth:`cancel` cancels the task's key; a worker plugin sees the cancellation
  and sets the trial's flag, which the trial checks before every mini-batch (measured: the
  trial ends a few milliseconds later).
- A worker that goes away (the scheduler's ``remove-worker`` event) ends each trial it was
  running as ``interrupted``, with the reason in ``error``, and cancels Dask's own re-run of it:
  the coordinator re-runs a lost trial under the same number (once, as for process workers),
  so the re-run is a new ``TrialStarted`` whose epochs count from 1 again and nothing is
  stored twice. A worker that dies before its trial's start reached us is found by Dask
  instead: the task fails with ``KilledWorker`` (at once on a local cluster, which allows no
  failures; after the scheduler's own retries on someone else's), which ends the trial
  ``interrupted`` too.
- A scheduler that goes away makes :meth:`poll` (once the events that already arrived are
  handed out) and :meth:`submit` raise a :class:`CaviarError` on ``study.scheduler``; every
  finished trial is stored by then, the coordinator marks the running ones interrupted, and the
  study resumes once the cluster is back.
- Data: a built-in dataset travels as its spec (workers rebuild it); a user's file travels once
  per worker as a worker plugin, and the trial reads the worker's copy of it.
"""

from __future__ import annotations

import contextlib
import math
import os
import queue
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.core.data import DataSpec
from desktop_app.core.errors import CaviarError
from desktop_app.core.events import EpochEnded, Event, TrialFinished, TrialStarted
from desktop_app.core.runner.executor import NICE, Executor, RunTrial, group_signals_blocked
from desktop_app.core.runner.task import TrialTask
from desktop_app.core.runner.trial import run_trial
from desktop_app.core.study import TrialState

CONNECT_SECONDS = 10.0
CLOSE_SECONDS = 5.0
LOOPBACK = "127.0.0.1"
_EVENTS = {"started": TrialStarted, "epoch": EpochEnded, "finished": TrialFinished}


@dataclass
class _Attempt:
    """One submitted trial attempt (a Dask future) that has not finished yet."""

    task: TrialTask
    future: Any
    address: str = ""  # the worker running it, once its TrialStarted arrived


class DaskExecutor(Executor):
    """Up to ``workers`` trials at a time on the Dask cluster at ``scheduler``.

    ``scheduler`` is an address such as ``tcp://host:8786``; "" starts a local cluster of
    ``workers`` single-threaded worker processes on 127.0.0.1, which run at a lower priority
    like the process executor's. ``run`` is the trial function (a module-level function the
    workers can import; tests pass fakes).
    """

    def __init__(self, workers: int, scheduler: str = "", run: RunTrial = run_trial) -> None:
        distributed = _import_distributed()
        from desktop_app.core.runner import dask_worker

        self.workers = workers
        self._run = run
        self._remote = dask_worker
        self._topic = f"caviar-{uuid.uuid4().hex}"
        self._inbox: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()
        self._attempts: dict[str, _Attempt] = {}
        self._keys: dict[int, str] = {}  # trial number -> key of its unfinished attempt
        self._files: dict[DataSpec, str] = {}  # data spec -> key of its DataFile plugin
        self._ready: list[Event] = []
        self._submitted = 0
        self._closed = False
        self._cluster: Any = None
        self._topics: list[str] = []  # subscribed, to unsubscribe at shutdown
        if scheduler:
            self._client = _connect(distributed, scheduler)
            self._nice = 0  # someone else's machines: leave their priority alone
        else:
            self._cluster = _local_cluster(distributed, workers)
            self._client = distributed.Client(self._cluster, set_as_default=False)
            self._nice = _lower_nice()
        self.address = self._client.scheduler.address
        try:
            if scheduler:
                _check_caviar(self._client)
            self._subscribe(self._topic, lambda event: self._inbox.put(event[1]))
            self._subscribe("all", self._on_cluster_event)
            self._client.register_plugin(dask_worker.StopOnCancel(), name=dask_worker.STOP_PLUGIN)
        except BaseException:
            self.shutdown()
            raise

    def submit(self, task: TrialTask) -> None:
        if self._closed:
            raise RuntimeError("submit() after shutdown()")
        if self._lost():
            raise self._lost_error()
        key = f"{self._topic}-{task.number}-{self._submitted}"
        self._submitted += 1
        future = self._client.submit(
            self._remote.run_remote, task, self._topic, self._run, self._data_key(task.data),
            self._nice, key=key, retries=0,
        )
        future.add_done_callback(self._on_done)
        self._attempts[key] = _Attempt(task, future)
        self._keys[task.number] = key

    def poll(self, timeout: float) -> list[Event]:
        events, self._ready = self._ready, []
        if not events:
            with contextlib.suppress(queue.Empty):
                events.extend(self._handle(self._inbox.get(timeout=max(timeout, 0.0))))
        events.extend(self._drain())
        if not events and self._lost():
            raise self._lost_error()
        return events

    def cancel(self, number: int) -> None:
        if self._lost():
            return  # poll() is about to end the sweep: nothing to reach
        self._ready.extend(self._drain())  # news first: the trial may have started or ended
        attempt = self._attempts.get(self._keys.get(number, ""))
        if attempt is None:
            return
        attempt.future.cancel()
        if not attempt.address:  # not started as far as we know: report it here, once
            self._settle(attempt)
            self._ready.append(_finished(attempt.task, TrialState.INTERRUPTED))

    def free_slots(self) -> int:
        return max(0, self.workers - len(self._attempts))

    def shutdown(self, wait: bool = True) -> None:
        """Cancel every trial and disconnect; a local cluster is stopped (Dask always waits
        for that, so ``wait`` changes nothing). Idempotent."""
        if self._closed:
            return
        self._closed = True
        futures = [attempt.future for attempt in self._attempts.values()]
        self._attempts.clear()
        self._keys.clear()
        client = self._client
        if client.status == "running":
            with contextlib.suppress(OSError, TimeoutError):
                if futures:
                    client.cancel(futures)
                if self._cluster is None:  # a local cluster takes its plugins with it
                    for key in self._files.values():
                        client.unregister_worker_plugin(key)
                for topic in self._topics:
                    client.unsubscribe_topic(topic)
        client.close(timeout=CLOSE_SECONDS)
        if self._cluster is not None:
            self._cluster.close(timeout=CLOSE_SECONDS)

    # --- messages from the cluster ------------------------------------------------------------
    def _subscribe(self, topic: str, handler: Any) -> None:
        self._client.subscribe_topic(topic, handler)
        self._topics.append(topic)

    def _on_cluster_event(self, event: tuple[float, Any]) -> None:
        """Scheduler news (network thread): only a worker leaving matters here."""
        msg = event[1]
        if isinstance(msg, dict) and msg.get("action") == "remove-worker":
            self._inbox.put({"kind": "left", "address": msg.get("worker", "")})

    def _on_done(self, future: Any) -> None:
        """A task ended (callback thread): an error means the trial never sent its result."""
        if future.status == "error":
            self._inbox.put({"kind": "erred", "key": future.key})

    def _drain(self) -> list[Event]:
        events: list[Event] = []
        with contextlib.suppress(queue.Empty):
            while True:
                events.extend(self._handle(self._inbox.get_nowait()))
        return events

    def _handle(self, msg: dict[str, Any]) -> list[Event]:
        """The events one message means (none for news of an attempt already settled)."""
        kind = msg.get("kind")
        if kind == "left":
            return self._worker_left(msg["address"])
        attempt = self._attempts.get(msg.get("key", ""))
        if attempt is None:
            return []
        if kind == "erred":
            self._settle(attempt)
            return [_erred(attempt)]
        event = _EVENTS[kind](**msg["event"])
        if kind == "started":
            attempt.address = msg["address"]
        elif kind == "finished":
            self._settle(attempt)
        return [event]

    def _worker_left(self, address: str) -> list[Event]:
        """End the trials the departed worker ran; Dask would re-run them, the coordinator does."""
        lost = [attempt for attempt in self._attempts.values() if attempt.address == address]
        for attempt in lost:
            self._settle(attempt)
        if lost:
            self._client.cancel([attempt.future for attempt in lost])
        return [
            _finished(attempt.task, TrialState.INTERRUPTED,
                      f"the Dask worker {address} went away while running trial "
                      f"{attempt.task.number}")
            for attempt in lost
        ]

    def _settle(self, attempt: _Attempt) -> None:
        """Forget an attempt: it has had its TrialFinished; later news of it is dropped."""
        del self._attempts[attempt.future.key]
        if self._keys.get(attempt.task.number) == attempt.future.key:
            del self._keys[attempt.task.number]

    # --- helpers ---------------------------------------------------------------------------
    def _data_key(self, spec: DataSpec) -> str:
        """The plugin holding ``spec``'s file on every worker ("" for a built-in dataset).

        The file is read and sent when the first trial needs it (one copy per worker, for
        the whole sweep); a file that cannot be read here is left for the workers to look
        for, so the trials fail with the same data error as on local workers.
        """
        if not spec.is_file:
            return ""
        key = self._files.get(spec)
        if key is None:
            path = Path(spec.source).expanduser()
            try:
                content = path.read_bytes()
            except OSError:
                return ""
            key = f"{self._topic}-data-{len(self._files)}"
            self._client.register_plugin(self._remote.DataFile(key, path.name, content), name=key)
            self._files[spec] = key
        return key

    def _lost(self) -> bool:
        return not self._closed and self._client.status != "running"

    def _lost_error(self) -> CaviarError:
        return CaviarError(
            "study.scheduler",
            f"lost the connection to the Dask scheduler at {self.address}, so the sweep ends "
            "here: every finished trial is stored, the trials that were running "
            f"({len(self._attempts)}) stay interrupted; start the scheduler and workers again, "
            "then resume the study",
        )


def _import_distributed() -> Any:
    """The ``distributed`` module, or the error that says how to install it."""
    try:
        import distributed
    except ImportError:
        raise CaviarError(
            "study.executor",
            "the 'dask' executor needs Dask's distributed package: pip install caviar[dask]",
        ) from None
    return distributed


def _connect(distributed: Any, address: str) -> Any:
    """A client of the scheduler at ``address``; a CaviarError when there is none."""
    try:  # a malformed address fails here, before Dask builds a client it cannot close
        distributed.comm.get_address_host_port(address)
    except ValueError as exc:
        raise CaviarError(
            "study.scheduler", f"{address!r} is not a scheduler address ({exc}); "
            "write it as tcp://host:8786",
        ) from None
    try:
        return distributed.Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise CaviarError(
            "study.scheduler",
            f"no Dask scheduler answers at {address!r} ({exc}); start one with 'dask scheduler' "
            "(and workers with 'dask worker <address>'), or fix the address",
        ) from None


def _check_caviar(client: Any) -> None:
    """The scheduler and every worker must run this machine's Caviar version: the scheduler
    unpickles the trial tasks, the workers run them."""
    versions = client.get_versions(packages=["caviar"])
    mine = versions["client"]["packages"]["caviar"]
    machines = {"the scheduler": versions["scheduler"]}
    machines.update((f"worker {address}", info) for address, info in versions["workers"].items())
    wrong = [f"{name} has {info['packages'].get('caviar') or 'none'}"
             for name, info in machines.items() if info["packages"].get("caviar") != mine]
    if wrong:
        raise CaviarError(
            "study.scheduler",
            f"the Dask cluster at {client.scheduler.address} must run Caviar {mine} like this "
            f"machine, but {'; '.join(wrong)}: install it there (pip install caviar[dask]=={mine})"
            " and restart the scheduler and workers",
        )


def _local_cluster(distributed: Any, workers: int) -> Any:
    """``workers`` single-threaded worker processes and a scheduler, all on 127.0.0.1.

    They are started with the group signals blocked (they inherit that), so a signal to our
    whole process group reaches only the coordinator, which stops them itself.
    """
    try:
        import dask

        # Caviar re-runs a trial whose worker died (once), not Dask: its task fails at once
        with group_signals_blocked(), dask.config.set(
                {"distributed.scheduler.allowed-failures": 0}):
            return distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, host=LOOPBACK,
                dashboard_address=f"{LOOPBACK}:0", memory_limit=0,
            )
    except (OSError, RuntimeError, TimeoutError) as exc:
        raise CaviarError(
            "study.executor", f"could not start a local Dask cluster ({exc}); "
            "check the log above, or use the 'process' executor",
        ) from None


def _lower_nice() -> int:
    """The niceness local workers' trials run at: ours plus ``NICE`` (0: not supported)."""
    return min(19, os.nice(0) + NICE) if hasattr(os, "nice") else 0


def _erred(attempt: _Attempt) -> TrialFinished:
    """How an attempt whose task failed ends: ``interrupted`` when workers died under it
    (``KilledWorker``: one died before its start was heard of here), else ``failed``."""
    try:
        exc = attempt.future.exception(timeout=CLOSE_SECONDS)
    except Exception as lost:  # the scheduler forgot it, or went away meanwhile
        text = f"its error could not be fetched ({type(lost).__name__}: {lost})"
        return _finished(attempt.task, TrialState.FAILED, "the Dask task of this trial failed: "
                         + text)
    text = f"{type(exc).__name__}: {exc}"
    if type(exc).__name__ == "KilledWorker":
        return _finished(attempt.task, TrialState.INTERRUPTED,
                         f"the Dask worker running trial {attempt.task.number} went away ({text})")
    return _finished(attempt.task, TrialState.FAILED, "the Dask task of this trial failed: " + text)


def _finished(task: TrialTask, state: TrialState, error: str = "") -> TrialFinished:
    """The result of an attempt that could not report its own: no epoch, no value."""
    return TrialFinished(task.study, task.number, state.value, math.nan, 0, 0.0, error=error)
