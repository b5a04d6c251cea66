"""The half of the Dask executor that runs on the Dask workers.

:func:`run_remote` is the Dask task of one trial attempt. It reports the trial's events as
plain dictionaries with ``Worker.log_event`` on the executor's topic (the scheduler forwards
them to the coordinator's client while the trial runs), and stops at the next mini-batch once
Dask cancels its key: :class:`StopOnCancel` turns that cancellation, seen by the worker as a
task transition, into the trial's stop flag, so no mini-batch ever waits on the network.
:class:`DataFile` brings a user's data file to every worker once (and to workers that join
later), where the trial reads its local copy.

Everything here must import on a worker: ``distributed`` and Caviar are installed there.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import traceback
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin, get_worker
from threadpoolctl import threadpool_limits

from desktop_app.core.events import TrialFinished, TrialStarted
from desktop_app.core.runner.executor import RunTrial
from desktop_app.core.runner.task import TrialTask
from desktop_app.core.study import TrialState

STOP_PLUGIN = "caviar-stop-on-cancel-1"
_GONE = frozenset({"cancelled", "released", "forgotten"})
_STOPS: dict[str, threading.Event] = {}  # task key -> stop flag of the trial running it
_FILES: dict[str, str] = {}  # data key -> path of this worker's copy of the file


class StopOnCancel(WorkerPlugin):
    """Set the stop flag of a running trial whose task Dask cancels (or the worker releases).

    One instance per cluster, shared by every Caviar executor (the name is fixed and
    ``idempotent``), so a long-lived scheduler never piles up copies of it.
    """

    idempotent = True

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        if finish in _GONE and (flag := _STOPS.get(key)) is not None:
            flag.set()


class DataFile(WorkerPlugin):
    """A user's data file: its bytes travel once to every worker, which keeps a local copy.

    The copy keeps the file's name, so the worker reads exactly what the coordinator's machine
    would read. ``teardown`` (when the executor unregisters it) deletes the copy.
    """

    def __init__(self, key: str, name: str, content: bytes) -> None:
        self.key = key
        self.name = name
        self.content = content

    def setup(self, worker: Any) -> None:
        folder = Path(worker.local_directory) / "caviar-data" / self.key
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / self.name
        path.write_bytes(self.content)
        _FILES[self.key] = str(path)

    def teardown(self, worker: Any) -> None:
        path = _FILES.pop(self.key, None)
        if path is not None:
            shutil.rmtree(Path(path).parent, ignore_errors=True)


def run_remote(task: TrialTask, topic: str, run: RunTrial, data_key: str, nice: int) -> str:
    """Run one trial attempt on this worker, reporting its events on ``topic``.

    ``data_key`` names the :class:`DataFile` holding the task's data file ("" for a built-in
    set); ``nice`` is the priority the trial's thread drops to (0: unchanged). Returns the
    trial's final state; the result itself travels as the last event.
    """
    worker = get_worker()
    key = worker.get_current_task()
    stop = _STOPS[key] = threading.Event()

    def send(kind: str, event: Any) -> None:
        worker.log_event(topic, {"kind": kind, "key": key, "address": worker.address,
                                 "event": asdict(event)})

    try:
        name = "dask-" + worker.address.split("://")[-1]
        send("started", TrialStarted(task.study, task.number, dict(task.params), task.seed, name))
        try:
            if data_key:
                task = replace(task, data=replace(task.data, source=_FILES[data_key]))
            _lower_priority(nice)
            with threadpool_limits(limits=1):
                result = run(task, lambda event: send("epoch", event), stop.is_set)
        except Exception:  # run_trial never raises; a missing data copy or a fake might
            result = TrialFinished(task.study, task.number, TrialState.FAILED.value,
                                   float("nan"), 0, 0.0, error=traceback.format_exc(limit=-5))
        send("finished", result)
        return result.state
    finally:
        _STOPS.pop(key, None)


def _lower_priority(nice: int) -> None:
    """Drop this thread to niceness ``nice`` (Linux: per thread; 0 or no support: nothing)."""
    if nice and hasattr(os, "getpriority"):
        with contextlib.suppress(OSError):
            if os.getpriority(os.PRIO_PROCESS, 0) < nice:
                os.setpriority(os.PRIO_PROCESS, 0, nice)
