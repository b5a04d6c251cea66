"""An Optuna study shown in the window, read-only, and watched while another program grows it.

File › Open takes an Optuna RDB ``.db`` or journal file (recognised by its contents) and
*Open Optuna storage…* a storage URL; the study chosen is translated by the core
(:mod:`desktop_app.core.optuna_bridge`) and shown in every view. Every :data:`POLL_MS` a
:class:`~desktop_app.gui.live.worker.Worker` re-reads it off the GUI thread (Optuna's storages
read only what changed) and the views get the core events in between, as from a live sweep;
the first read runs there too, so a big study never freezes the window.
Nothing is ever written into the storage; the window stops the watch when it shows
anything else (another study, a config, a new sweep) or closes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal
from PySide6.QtWidgets import QInputDialog

from desktop_app.core.config import parse_config
from desktop_app.core.errors import CaviarError
from desktop_app.core.events import Event
from desktop_app.core.optuna_bridge import (
    STUDY_ID,
    Imported,
    OptunaSource,
    Snapshot,
    Watcher,
    kind_of,
    open_source,
    study_names,
    view_space,
)
from desktop_app.core.optuna_bridge.reading import objective_names
from desktop_app.gui.live.worker import Worker

if TYPE_CHECKING:
    from desktop_app.gui.window.main_window import MainWindow

POLL_MS = 2000
"""How often a watched Optuna study is re-read."""


def is_optuna(path: str | Path) -> bool:
    """True for an Optuna RDB or journal file (by its contents, never by its name)."""
    return kind_of(Path(path)) in ("optuna-rdb", "optuna-journal")


class OptunaWatch(QObject):
    """The Optuna study the window shows (at most one), refreshed while it is shown.

    ``opened`` is emitted once a study is shown (its first read runs off the GUI thread),
    ``failed(text)`` when that read fails.
    """

    opened = Signal()
    failed = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._watcher: Watcher | None = None  # the study shown
        self._reading: Watcher | None = None  # a study being read for the first time
        self._worker: Worker | None = None
        self._timer = QTimer(self, singleShot=True, interval=POLL_MS)
        self._timer.timeout.connect(self._poll)

    @property
    def is_open(self) -> bool:
        """True while an Optuna study is shown and watched."""
        return self._watcher is not None

    def open(self, spec: str, name: str | None = None, objective: int | None = None) -> bool:
        """Start showing study ``name`` (asked for when several and None) of the Optuna
        storage ``spec``, showing ``objective`` (asked for when several and None); its trials
        are read in the background (``opened`` follows). False when it cannot be opened (one
        line in an error box) or the choice is cancelled."""
        window = self._window
        try:
            names = study_names(spec)
            if not names:
                raise CaviarError(spec, "holds no study")
            name = name or window.commands.choose_study(Path(spec), names)
            if name is None:
                return False
            source = open_source(spec, name)
        except CaviarError as exc:
            window.show_error("Cannot open the Optuna study", str(exc))
            return False
        chosen = self._choose_objective(source) if objective is None else objective
        if chosen is None:
            source.close()
            return False
        self.close()
        watcher = self._reading = Watcher(source, chosen)
        title = f"{name} — {spec} (Optuna, read-only) — Caviar"
        self._start(watcher.first, lambda imported: self._opened(watcher, imported, title),
                    lambda exc: self._open_failed(watcher, str(exc)))
        window.statusBar().showMessage(f"Reading {name!r} from {spec}…")
        return True

    def wait_opened(self, timeout_ms: int) -> bool:
        """Run an event loop until the study being read is shown (True) or fails or times
        out (False): for ``caviar gui --screenshot`` and the benchmark, which have no loop."""
        if self._reading is not None:
            loop = QEventLoop()
            self.opened.connect(loop.quit)
            self.failed.connect(loop.quit)
            QTimer.singleShot(timeout_ms, loop.quit)
            loop.exec()
            self.opened.disconnect(loop.quit)
            self.failed.disconnect(loop.quit)
        return self.is_open

    def close(self) -> None:
        """Stop watching (another study shown, the window closing)."""
        self._timer.stop()
        if self._worker is not None:
            self._worker.abort()
            self._worker.wait(60_000)  # a read in progress: it ends before its source closes
            self._worker = None
        for watcher in (self._watcher, self._reading):
            if watcher is not None:
                watcher.source.close()
        self._watcher = self._reading = None

    def _choose_objective(self, source: OptunaSource) -> int | None:
        names = objective_names(source.study)
        if len(names) == 1:
            return 0
        name, ok = QInputDialog.getItem(self._window, "Open Optuna study", f"{len(names)} "
                                        "objectives; show which as the metric?", names, 0, False)
        return names.index(name) if ok else None

    def _start(self, work: Callable[[], object], done: Callable[[Any], None],
               failed: Callable[[object], None]) -> None:
        self._worker = Worker(work)
        self._worker.returned.connect(done)
        self._worker.errored.connect(failed)
        self._worker.finished.connect(self._worker_finished)
        self._worker.start("caviar-optuna-watch")

    def _worker_finished(self) -> None:
        self._worker = None
        if self._watcher is not None:
            self._timer.start()

    def _opened(self, watcher: Watcher, imported: Imported, title: str) -> None:
        if watcher is not self._reading:
            return
        window = self._window
        self._reading, self._watcher = None, watcher
        window.study.close()  # nothing of Caviar's is open: Resume is off, Run starts anew
        self._show(imported)
        window.setWindowTitle(title)
        window.commands.update(running=False, valid=window.panel.is_valid(), resumable=False,
                               has_study=False)
        self.opened.emit()

    def _open_failed(self, watcher: Watcher, text: str) -> None:
        if watcher is self._reading:
            watcher.source.close()
            self._reading = None
            self._window.show_error("Cannot open the Optuna study", text)
            self.failed.emit(text)

    def _show(self, imported: Imported) -> None:
        plan, window = imported.plan, self._window
        window.study_model.clear()  # the panel previews its config only into an empty model
        if not plan.resume_problem:
            window.panel.set_config(parse_config(plan.config))
        window.study_model.set_study(view_space(plan), plan.metric, plan.direction)
        window.study_model.load(Snapshot(imported), STUDY_ID)
        notes = "; ".join(plan.notes)
        window.statusBar().showMessage(
            f"{plan.name}: {len(imported.trials)} trials, Optuna study shown read-only, "
            f"refreshed every {POLL_MS // 1000} s" + (f" ({notes})" if notes else ""))

    def _poll(self) -> None:
        if self._watcher is not None and self._worker is None:
            self._start(self._watcher.poll, self._apply, self._failed)

    def _apply(self, events: list[Event]) -> None:
        if self._watcher is not None and events:
            self._window.study_model.apply_many(events)

    def _failed(self, exc: object) -> None:
        self._window.statusBar().showMessage(f"{exc}; trying again in {POLL_MS // 1000} s")
