"""An Optuna study shown in the window, read-only, and watched while another program grows it.

File › Open takes an Optuna RDB ``.db`` or journal file (recognised by its contents) and
*Open Optuna storage…* a storage URL; the study chosen is translated by the core
(:mod:`desktop_app.core.optuna_bridge`) and shown in every view. The first read runs on a
:class:`~desktop_app.gui.live.worker.Worker` in blocks of trials: the first block is shown at
once and each next one joins the views as it arrives (``StudyModel.add_stored``, as a big
Caviar study loads), so a big study never freezes the window. Every :data:`POLL_MS` it is
re-read off the GUI thread (only the new and the unfinished trials) and the views get the
core events in between, as from a live sweep.
Nothing is ever written into the storage; the window stops the watch when it shows
anything else (another study, a config, a new sweep) or closes.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
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
from desktop_app.gui.live.stored_blocks import StoredBlock, read_blocks
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

    ``first_shown`` is emitted when the first block of a study's trials is shown (its first
    read runs off the GUI thread), ``opened`` once every trial of that read is shown,
    ``failed(text)`` when that read fails.
    """

    first_shown = Signal()
    opened = Signal()
    failed = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._watcher: Watcher | None = None  # the study shown (from its first block on)
        self._reading: Watcher | None = None  # a study whose first read is not done yet
        self._worker: Worker | None = None
        self._timer = QTimer(self, singleShot=True, interval=POLL_MS)
        self._timer.timeout.connect(self._poll)

    @property
    def is_open(self) -> bool:
        """True while an Optuna study is shown (from its first block on) and watched."""
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
        worker = self._worker_for(first_read, lambda _: self._read_all(watcher),
                                  lambda exc: self._open_failed(watcher, str(exc)), watcher)
        worker.yielded.connect(lambda part: self._part(watcher, part, title))
        worker.start("caviar-optuna-watch")
        window.statusBar().showMessage(f"Reading {name!r} from {spec}…")
        return True

    def wait_opened(self, timeout_ms: int) -> bool:
        """Run an event loop until every trial of the study being read is shown (True) or
        the read fails or times out (False): for ``caviar gui --screenshot`` and the
        benchmark, which have no loop."""
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
        watchers = dict.fromkeys(w for w in (self._watcher, self._reading) if w is not None)
        self._watcher = self._reading = None  # what a read still delivers is dropped
        if self._worker is not None:
            self._worker.abort()
            self._worker.wait(60_000)  # a read in progress: it ends before its source closes
            self._worker = None
        for watcher in watchers:
            watcher.source.close()

    def _choose_objective(self, source: OptunaSource) -> int | None:
        names = objective_names(source.study)
        if len(names) == 1:
            return 0
        name, ok = QInputDialog.getItem(self._window, "Open Optuna study", f"{len(names)} "
                                        "objectives; show which as the metric?", names, 0, False)
        return names.index(name) if ok else None

    def _worker_for(self, work: Callable[..., object], done: Callable[[Any], None],
                    failed: Callable[[object], None], *args: Any) -> Worker:
        """The worker (not started yet) that runs ``work(*args)``."""
        worker = self._worker = Worker(work, *args)
        worker.returned.connect(done)
        worker.errored.connect(failed)
        worker.finished.connect(self._worker_finished)
        return worker

    def _worker_finished(self) -> None:
        self._worker = None
        if self._watcher is not None:
            self._timer.start()

    def _part(self, watcher: Watcher, part: tuple[Imported, StoredBlock | None],
              title: str) -> None:
        """A block of the first read: the first one shows the study, each joins the views."""
        if watcher is not self._reading:
            return
        imported, block = part
        window = self._window
        first = self._watcher is not watcher
        if first:
            self._watcher = watcher
            window.study.close()  # nothing of Caviar's is open: Resume is off, Run starts anew
            self._set_study(imported)
            window.setWindowTitle(title)
            window.commands.update(running=False, valid=window.panel.is_valid(),
                                   resumable=False, has_study=False)
        if block is not None:
            window.study_model.add_stored(block.records, block.epochs, block.own, block.names)
        if first:
            self.first_shown.emit()
        window.statusBar().showMessage(f"{imported.plan.name}: read {len(window.study_model)} "
                                       f"of {watcher.total} trials…")

    def _read_all(self, watcher: Watcher) -> None:
        """The first read is done: say what is shown; the refreshes start."""
        if watcher is not self._reading or self._watcher is not watcher:
            return
        self._reading = None
        plan = watcher.plan
        assert plan is not None
        notes = "; ".join(plan.notes)
        self._window.statusBar().showMessage(
            f"{plan.name}: {len(self._window.study_model)} trials, Optuna study shown "
            f"read-only, refreshed every {POLL_MS // 1000} s" + (f" ({notes})" if notes else ""))
        self.opened.emit()

    def _open_failed(self, watcher: Watcher, text: str) -> None:
        """The first read failed: said in one line; trials already shown stay, unwatched."""
        if watcher is self._reading:
            watcher.source.close()
            self._reading = None
            if self._watcher is watcher:
                self._watcher = None
            self._window.show_error("Cannot open the Optuna study", text)
            self.failed.emit(text)

    def _set_study(self, imported: Imported) -> None:
        plan, window = imported.plan, self._window
        window.study_model.clear()  # the panel previews its config only into an empty model
        if not plan.resume_problem:
            window.panel.set_config(parse_config(plan.config))
        window.study_model.set_study(view_space(plan), plan.metric, plan.direction)

    def _poll(self) -> None:
        if self._watcher is not None and self._worker is None:
            self._worker_for(self._watcher.poll, self._apply, self._failed).start(
                "caviar-optuna-watch")

    def _apply(self, events: list[Event]) -> None:
        if self._watcher is not None and events:
            self._window.study_model.apply_many(events)

    def _failed(self, exc: object) -> None:
        self._window.statusBar().showMessage(f"{exc}; trying again in {POLL_MS // 1000} s")


def first_read(watcher: Watcher) -> Iterator[tuple[Imported, StoredBlock | None]]:
    """The first read of ``watcher``'s study (on the worker): each block of translated trials
    with what ``StudyModel.add_stored`` takes (None for a study without trials).

    Python's cyclic collector is paused meanwhile and what was read is left out of its full
    passes afterwards (``gc.freeze``), as :mod:`~desktop_app.gui.live.study_loader` does: its
    passes over the growing heap of trials made the read of 10,000 trials 1.5x as long."""
    gc.disable()
    try:
        for imported in watcher.blocks():
            blocks = read_blocks(Snapshot(imported), STUDY_ID, watcher.total, block=sys.maxsize)
            yield imported, next(blocks, None)
    finally:
        gc.freeze()
        gc.enable()
