"""Runs a sweep off the GUI thread and hands its events to the GUI thread as Qt signals.

A :class:`_SweepWorker` lives in its own :class:`QThread` and iterates the core
``Coordinator.run()`` generator; every event it yields crosses to the GUI thread through a
queued connection into :class:`RunController`, which lives in the GUI thread and re-emits it.
Tests and widgets connect to the controller only: waiting on a signal of an object that lives
in a worker thread trips Qt's timer-thread check (measured), a GUI-thread relay does not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desktop_app.core.config import StudyConfig
from desktop_app.core.events import StudyFinished
from desktop_app.core.runner.progress import Progress
from desktop_app.core.study import Storage

STOP_TIMEOUT_MS = 2000

CoordinatorFactory = Callable[[Storage, StudyConfig], Any]
"""Builds an object with ``run() -> Iterator[Event]``, ``progress() -> Progress`` (called in the
worker thread) and a thread-safe ``stop()``; the real one is the core ``Coordinator``."""


def _default_factory(storage: Storage, config: StudyConfig) -> Any:
    from desktop_app.core.runner import Coordinator

    return Coordinator(storage, config)


class _SweepWorker(QObject):
    """Drives ``coordinator.run()`` inside the worker thread; never touches widgets."""

    event = Signal(object, object)
    failed = Signal(str)
    done = Signal()

    def __init__(self, coordinator: Any) -> None:
        super().__init__()
        self.coordinator = coordinator

    @Slot()
    def run(self) -> None:
        """Forward every event with a progress snapshot taken here, in the thread that owns
        the coordinator's state; a crash becomes ``failed`` (the thread always ends)."""
        try:
            for event in self.coordinator.run():
                self.event.emit(event, self.coordinator.progress())
        except Exception as exc:
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        finally:
            self.done.emit()
            QThread.currentThread().quit()


class RunController(QObject):
    """Starts, stops and resumes sweeps; lives in the GUI thread.

    Signals: ``event(object)`` for every core event, ``progress(object)`` with a fresh
    :class:`~desktop_app.core.runner.progress.Progress` after each event, ``finished(object)``
    with the final :class:`StudyFinished` (or None if the run ended without one),
    ``failed(str)`` when the sweep could not start or crashed, ``running_changed(bool)``.
    """

    event = Signal(object)
    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    running_changed = Signal(bool)

    def __init__(
        self, parent: QObject | None = None, coordinator_factory: CoordinatorFactory | None = None
    ) -> None:
        super().__init__(parent)
        self._factory = coordinator_factory or _default_factory
        self._thread: QThread | None = None
        self._worker: _SweepWorker | None = None
        self._coordinator: Any = None
        self._progress: Progress | None = None
        self._last: StudyFinished | None = None

    # --- commands ----------------------------------------------------------------------
    def is_running(self) -> bool:
        """True from ``start`` until the worker thread has ended."""
        return self._thread is not None

    def start(self, config: StudyConfig, storage: Storage) -> bool:
        """Run ``config`` into ``storage`` (a study of the same name is resumed by the core).

        Returns False (and emits ``failed``) if a sweep is running or the core refuses it.
        """
        if self.is_running():
            self.failed.emit("a sweep is already running: stop it first")
            return False
        try:
            coordinator = self._factory(storage, config)
        except Exception as exc:
            self.failed.emit(str(exc))
            return False
        self._coordinator = coordinator
        self._progress = coordinator.progress()
        self._last = None
        self._launch(coordinator)
        return True

    def resume(self, config: StudyConfig, storage: Storage) -> bool:
        """Continue the stored study that ``config`` names: interrupted trials re-run first."""
        return self.start(config, storage)

    def stop(self) -> None:
        """Ask the sweep to stop; returns at once. Running trials end as interrupted."""
        if self._coordinator is not None:
            self._coordinator.stop()

    def stop_and_wait(self, timeout_ms: int = STOP_TIMEOUT_MS) -> bool:
        """Stop and block until the worker thread ends; True if it ended within the timeout.

        Used when the window closes: queued events are delivered afterwards, so the study
        model still sees the final ``StudyFinished``.
        """
        thread = self._thread
        if thread is None:
            return True
        self.stop()
        ended = thread.wait(timeout_ms)
        if ended:
            from PySide6.QtCore import QCoreApplication

            QCoreApplication.sendPostedEvents(self)
            self._cleanup()
        return ended

    def current_progress(self) -> Progress | None:
        """The latest progress figures, or None before the first sweep."""
        return self._progress

    # --- plumbing ----------------------------------------------------------------------
    def _launch(self, coordinator: Any) -> None:
        thread = QThread()
        thread.setObjectName("caviar-sweep")
        worker = _SweepWorker(coordinator)
        worker.moveToThread(thread)
        worker.event.connect(self._on_event)
        worker.failed.connect(self._on_failed)
        worker.done.connect(self._on_done)
        thread.started.connect(worker.run)
        self._thread, self._worker = thread, worker
        thread.start()
        self.running_changed.emit(True)

    @Slot(object, object)
    def _on_event(self, event: object, progress: Progress) -> None:
        self._progress = progress
        if isinstance(event, StudyFinished):
            self._last = event
        self.event.emit(event)
        self.progress.emit(progress)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.failed.emit(message)

    @Slot()
    def _on_done(self) -> None:
        if self._thread is not None:
            self._thread.wait(STOP_TIMEOUT_MS)
        self._cleanup()

    def _cleanup(self) -> None:
        if self._thread is None:
            return
        # The thread has ended: dropping the last references deletes both objects.
        self._thread = self._worker = self._coordinator = None
        self.running_changed.emit(False)
        self.finished.emit(self._last)
