"""Worker-side probes and small tools for the Dask tests (module-level: workers import them)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from desktop_app.core.events import Event, TrialFinished
from desktop_app.core.runner.executor import Executor


def data_copies(dask_worker: Any) -> list[tuple[str, int]]:
    """(name, mtime_ns) of every data-file copy this worker holds."""
    folder = Path(dask_worker.local_directory) / "caviar-data"
    return sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*/*"))


def running_trials() -> int:
    """How many trials this worker process is running right now."""
    from desktop_app.core.runner import dask_worker

    return len(dask_worker._STOPS)


def collect(executor: Executor, count: int, timeout: float = 30.0) -> list[Event]:
    """Poll until ``count`` trials finished."""
    events: list[Event] = []
    deadline = time.monotonic() + timeout
    while sum(isinstance(e, TrialFinished) for e in events) < count:
        assert time.monotonic() < deadline, events
        events.extend(executor.poll(0.05))
    return events


def _refuse() -> None:
    raise RuntimeError("this trial function cannot be loaded on a worker")


class Unloadable:
    """A trial function that fails to unpickle on the worker: the task errs before it runs."""

    def __reduce__(self) -> tuple:
        return (_refuse, ())
