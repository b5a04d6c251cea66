"""Runs a sweep off the GUI thread and hands its events to the GUI thread as Qt signals.

A generic :class:`~desktop_app.gui.live.worker.Worker` iterates the core ``Coordinator.run()``
generator in its own QThread, pairing every event with a progress snapshot taken there; the
pairs reach the GUI thread through the worker's relay, and :class:`RunController` (GUI thread)
re-emits them. Tests and widgets connect to the controller only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from desktop_app.core.config import StudyConfig
from desktop_app.core.errors import CaviarError
from desktop_app.core.events import Notice, StudyFinished
from desktop_app.core.runner.progress import Progress
from desktop_app.core.study import Storage
from desktop_app.gui.live.worker import Worker

STOP_TIMEOUT_MS = 2000

CoordinatorFactory = Callable[[Storage, StudyConfig], Any]
"""Builds an object with ``run() -> Iterator[Event]``, ``progress() -> Progress`` (called in the
worker thread) and a thread-safe ``stop()``; the real one is the core ``Coordinator``."""


def _default_factory(storage: Storage, config: StudyConfig) -> Any:
    from desktop_app.core.runner import Coordinator

    return Coordinator(storage, config)


def _sweep(coordinator: Any) -> Iterator[tuple[object, Progress]]:
    """Every event of the sweep with a progress snapshot taken in the worker thread, the one
    that owns the coordinator's state."""
    for event in coordinator.run():
        yield event, coordinator.progress()


class RunController(QObject):
    """Starts, stops and resumes sweeps; lives in the GUI thread.

    Signals: ``event(object)`` for every core event, ``progress(object)`` with a fresh
    :class:`~desktop_app.core.runner.progress.Progress` after each event, ``finished(object)``
    with the final :class:`StudyFinished` (or None if the run ended without one),
    ``failed(str)`` when the sweep could not start or crashed, ``running_changed(bool)``,
    ``notice(str)`` with the text of every :class:`~desktop_app.core.events.Notice` (also
    sent as an ``event``).
    """

    event = Signal(object)
    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    running_changed = Signal(bool)
    notice = Signal(str)

    def __init__(
        self, parent: QObject | None = None, coordinator_factory: CoordinatorFactory | None = None
    ) -> None:
        super().__init__(parent)
        self._factory = coordinator_factory or _default_factory
        self._worker: Worker | None = None
        self._coordinator: Any = None
        self._progress: Progress | None = None
        self._last: StudyFinished | None = None

    # --- commands ----------------------------------------------------------------------
    def is_running(self) -> bool:
        """True from ``start`` until the worker thread has ended."""
        return self._worker is not None

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
        worker = self._worker
        if worker is None:
            return True
        self.stop()
        ended = worker.wait(timeout_ms)  # delivers the queued events, ``finished`` included
        if ended:
            self._cleanup()
        return ended

    def current_progress(self) -> Progress | None:
        """The latest progress figures, or None before the first sweep."""
        return self._progress

    # --- plumbing ----------------------------------------------------------------------
    def _launch(self, coordinator: Any) -> None:
        worker = Worker(_sweep, coordinator)
        worker.yielded.connect(self._on_event)
        worker.errored.connect(self._on_failed)
        worker.finished.connect(self._cleanup)
        self._worker = worker
        worker.start("caviar-sweep")
        self.running_changed.emit(True)

    @Slot(object)
    def _on_event(self, item: tuple[object, Progress]) -> None:
        event, progress = item
        self._progress = progress
        if isinstance(event, StudyFinished):
            self._last = event
        elif isinstance(event, Notice):
            self.notice.emit(event.text)
        self.event.emit(event)
        self.progress.emit(progress)

    @Slot(object)
    def _on_failed(self, exc: BaseException) -> None:
        # A CaviarError (a full disk, a busy study, ...) is a line for people already; anything
        # else is a bug, and its type helps whoever reports it.
        text = str(exc) if isinstance(exc, CaviarError) else f"{type(exc).__name__}: {exc}"
        self.failed.emit(text)

    @Slot()
    def _cleanup(self) -> None:
        if self._worker is None:
            return
        # The thread has ended: dropping the last references deletes the worker and thread.
        self._worker = self._coordinator = None
        self.running_changed.emit(False)
        self.finished.emit(self._last)
