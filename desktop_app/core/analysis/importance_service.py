"""Importance computed in a process of its own: Optuna's evaluator spends tens of
milliseconds in Python holding the GIL, which in a thread would stall the window's event loop
while a sweep runs; in another process it costs the window nothing.

The process keeps one :class:`~desktop_app.core.analysis.importance.ImportanceModel` per
study, fed only the trials that finished since the last request. Requests and results are
plain picklable values over one pipe; a result carries the ticket of its request, so the
parent ignores the answer to a request made before the study changed.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import time
from multiprocessing.connection import Connection
from typing import Any

from desktop_app.core.analysis.importance import Importance, ImportanceModel

NICE = 5
"""How much lower the process's priority is than the window's."""


def serve(conn: Connection) -> None:
    """The process: answer ``("compute", ticket, study, space, direction, trials, method)``
    requests until ``None`` or the parent goes away (EOF); a new ``study`` key starts a new
    model."""
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(NICE)
    model: ImportanceModel | None = None
    shown: Any = None
    with contextlib.suppress(EOFError, OSError, KeyboardInterrupt):
        while (request := conn.recv()) is not None:
            _, ticket, study, space, direction, trials, method = request
            try:
                if model is None or study != shown:
                    model, shown = None, None
                    model, shown = ImportanceModel(space, direction), study
                model.add(trials)
                result = model.compute(method)
            except Exception as exc:  # an Optuna failure is a note, never a dead process
                result = Importance(method, note=f"importance could not be computed: {exc}")
            conn.send((ticket, result))


class ImportanceProcess:
    """The parent's handle on the importance process, started on the first request."""

    def __init__(self) -> None:
        self._conn: Connection | None = None
        self._process: Any = None
        self._ticket = 0

    def submit(self, study: Any, space: Any, direction: str, trials: list[tuple],
               method: str) -> int:
        """Ask for the importance of ``study`` (any key; a new one starts a new model, so
        send all its trials then, only the new ones after) after adding ``trials``; the
        request's ticket."""
        if self._conn is None:
            ctx = mp.get_context("spawn")
            self._conn, child = ctx.Pipe()
            process = ctx.Process(target=serve, args=(child,), daemon=True,
                                  name="caviar-importance")
            try:
                process.start()
            except BaseException:  # nothing half-started is left for close() to join
                self._conn.close()
                self._conn = None
                raise
            finally:
                child.close()
            self._process = process
        self._ticket += 1
        self._conn.send(("compute", self._ticket, study, space, direction, trials, method))
        return self._ticket

    @property
    def pid(self) -> int | None:
        """The process id while a process runs (started on the first request)."""
        return None if self._process is None else self._process.pid

    def lost(self) -> bool:
        """True when the process was started and is gone (killed, out of memory): the next
        :meth:`submit` starts a new one, which needs every trial again."""
        if self._process is None or self._process.is_alive():
            return False
        self.close()
        return True

    def results(self, timeout: float = 0.0) -> list[tuple[int, Importance]]:
        """Results that arrived, waiting up to ``timeout`` s for the first."""
        found: list[tuple[int, Importance]] = []
        if self._conn is None:
            return found
        deadline = time.monotonic() + timeout
        with contextlib.suppress(EOFError, OSError):
            while self._conn.poll(max(0.0, deadline - time.monotonic()) if not found else 0):
                found.append(self._conn.recv())
        return found

    def close(self) -> None:
        """Stop the process (it finishes the request it is on, or is terminated)."""
        if self._conn is None:
            return
        with contextlib.suppress(OSError):
            self._conn.send(None)
        self._process.join(2.0)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join()
        self._conn.close()
        self._conn = self._process = None
