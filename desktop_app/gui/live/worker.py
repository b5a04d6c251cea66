"""One generic worker: run a function off the GUI thread, hand what it yields to the GUI thread.

Both the sweep (:mod:`~desktop_app.gui.live.run_controller`) and panda mode
(:mod:`~desktop_app.gui.live.panda`) run through :class:`Worker`. It has the shape of superqt's
``GeneratorWorker`` (``superqt/utils/_qthreading.py``): ``Worker(func, *args, **kwargs)``,
``start()``, the signals ``yielded``, ``returned``, ``errored`` (the exception) and
``finished``, ``abort()`` (superqt's ``quit``) and ``pause()`` / ``resume()`` between two
yields. It is our own small class, not superqt, because we need three things superqt's does
not give: a QThread we own, so :meth:`Worker.wait` joins it and the tests' thread-leak guard
sees it (superqt uses the global QThreadPool); a GUI-thread relay, since waiting on a signal of
an object that lives in a worker thread trips Qt's timer-thread check (measured) while a relay
living in the GUI thread does not; and :meth:`Worker.emit` for core code that reports through
a callback (panda's ``on_epoch``) rather than by yielding. That is a hundred lines, not a
dependency.

Every value crosses by a queued connection into this object, which lives in the GUI thread
and re-emits it there, in order: all ``yielded``, then ``returned`` or ``errored``, then
``finished`` once the thread has ended.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Generator
from functools import partial
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal, Slot

PAUSE_POLL_S = 0.05


class _Thread(QThread):
    """The owned thread: runs ``work`` and posts its values (this object stays in the GUI
    thread; only ``run`` executes in the new one)."""

    item = Signal(object)
    returned = Signal(object)
    errored = Signal(object)

    def __init__(self, work: Callable[[], None]) -> None:
        super().__init__()
        self._work = work

    def run(self) -> None:
        self._work()


class Worker(QObject):
    """Runs ``func(*args, **kwargs)`` in its own QThread; create and use it in the GUI thread.

    If the call returns a generator, every value it yields is emitted as ``yielded`` and its
    return value as ``returned``; else the call's result is ``returned``. An exception becomes
    ``errored(exc)``. ``finished`` always comes last, once the thread has ended. A started
    worker keeps itself alive until its ``finished`` was handled, so a handler may drop the
    last reference to it.
    """

    _alive: ClassVar[set[Worker]] = set()

    yielded = Signal(object)
    returned = Signal(object)
    errored = Signal(object)
    finished = Signal()

    def __init__(self, func: Callable[..., Any], /, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self._call = partial(func, *args, **kwargs)
        self._abort = threading.Event()
        self._running = threading.Event()
        self._running.set()
        self._started = self._done = False
        self._thread = _Thread(self._work)
        queued = Qt.ConnectionType.QueuedConnection
        self._thread.item.connect(self._on_item, queued)
        self._thread.returned.connect(self._on_returned, queued)
        self._thread.errored.connect(self._on_errored, queued)
        self._thread.finished.connect(self._on_thread_finished, queued)

    # --- commands (GUI thread) --------------------------------------------------------------
    def start(self, thread_name: str = "caviar-worker") -> None:
        """Start the thread (once)."""
        if self._started:
            raise RuntimeError("this worker was started already")
        self._started = True
        Worker._alive.add(self)
        self._thread.setObjectName(thread_name)
        self._thread.start()

    def abort(self) -> None:
        """Ask a generator to end before its next value (it is closed, so its ``finally``
        blocks run); ``returned`` is then not emitted. A plain function is not interrupted."""
        self._abort.set()

    @property
    def abort_requested(self) -> bool:
        """True once :meth:`abort` was called."""
        return self._abort.is_set()

    def pause(self) -> None:
        """Hold a generator before its next value."""
        self._running.clear()

    def resume(self) -> None:
        """Continue after :meth:`pause`."""
        self._running.set()

    @property
    def is_paused(self) -> bool:
        """True while paused."""
        return not self._running.is_set()

    def is_running(self) -> bool:
        """True from :meth:`start` until ``finished`` was emitted."""
        return self._started and not self._done

    def wait(self, msecs: int) -> bool:
        """Block until the thread ends (True) or ``msecs`` pass (False). When it ended, the
        values still queued are delivered now, so every signal, ``finished`` included, has
        been emitted when this returns True."""
        ended = self._thread.wait(msecs)
        if ended:
            QCoreApplication.sendPostedEvents(self)
        return ended

    # --- the worker thread ------------------------------------------------------------------
    def emit(self, value: object) -> None:
        """Hand ``value`` to the GUI thread as if it had been yielded (for work written as a
        callback loop). Callable from any thread."""
        self._thread.item.emit(value)

    def _work(self) -> None:
        try:
            result = self._call()
            if inspect.isgenerator(result):
                result = self._drain(result)
            if not self._abort.is_set():
                self._thread.returned.emit(result)
        except Exception as exc:
            self._thread.errored.emit(exc)

    def _drain(self, generator: Generator[Any, None, Any]) -> Any:
        """superqt's loop: check abort and pause, take the next value, send it; repeat."""
        try:
            while True:
                while not self._running.wait(PAUSE_POLL_S) and not self._abort.is_set():
                    pass
                if self._abort.is_set():
                    return None
                try:
                    value = next(generator)
                except StopIteration as stop:
                    return stop.value
                self._thread.item.emit(value)
        finally:
            generator.close()

    # --- the relay (GUI thread) -------------------------------------------------------------
    @Slot(object)
    def _on_item(self, value: object) -> None:
        self.yielded.emit(value)

    @Slot(object)
    def _on_returned(self, value: object) -> None:
        self.returned.emit(value)

    @Slot(object)
    def _on_errored(self, exc: object) -> None:
        self.errored.emit(exc)

    @Slot()
    def _on_thread_finished(self) -> None:
        if self._done:
            return
        self._thread.wait()
        self._done = True
        self.finished.emit()
        # Let go of ourselves later, outside this object's own event delivery.
        QTimer.singleShot(0, partial(Worker._alive.discard, self))
