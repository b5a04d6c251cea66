"""The sweep's progress in the status bar: a bar, trials done/total, running, best, ETA (or
an opened study's count and best); and the one-line messages when a study opens and when a
sweep starts or ends."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from desktop_app.core.config import StudyConfig
from desktop_app.core.events import StudyFinished
from desktop_app.core.open_study import StoredStudy
from desktop_app.core.runner.progress import Progress, format_duration
from desktop_app.gui.live.study_model import StudyModel

NOTICE_CHARS = 60
"""A notice longer than this shows cut, whole in its tooltip."""


class StatusPanel(QWidget):
    """Shows a :class:`~desktop_app.core.runner.progress.Progress`; idle text otherwise."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        self.bar = QProgressBar()
        self.bar.setFixedWidth(160)
        self.bar.setToolTip("Finished trials of the sweep's budget")
        self.running = QLabel()
        self.running.setToolTip("Trials training right now (one per worker)")
        self.best = QLabel()
        self.best.setToolTip("Best value of the study metric so far, and the trial that got it")
        self.eta = QLabel()
        self.eta.setToolTip("Estimated time until the budget is done, from the trials so far")
        self.notice = QLabel()
        self.notice.setVisible(False)
        self.notices: list[str] = []
        for widget in (self.notice, self.bar, self.running, self.best, self.eta):
            layout.addWidget(widget)
        self.set_progress(None)

    def show_notice(self, text: str) -> None:
        """Keep a notice of the sweep in view: a warning sign with its first line (the
        tooltip holds every notice of this sweep)."""
        if text in self.notices:
            return
        self.notices.append(text)
        first = text.splitlines()[0] if text.strip() else text
        short = first if len(first) <= NOTICE_CHARS else first[: NOTICE_CHARS - 1] + "\u2026"
        more = f" (+{len(self.notices) - 1} more)" if len(self.notices) > 1 else ""
        self.notice.setText(f"\u26a0 {short}{more}")
        self.notice.setToolTip("Notices of this sweep (hover to read them all):\n\n"
                               + "\n\n".join(self.notices))
        self.notice.setVisible(True)

    def clear_notices(self) -> None:
        """Forget the notices (a new sweep starts)."""
        self.notices.clear()
        self.notice.clear()
        self.notice.setVisible(False)

    def set_progress(self, progress: Any, metric: str = "") -> None:
        """Show ``progress`` (done, total, running, best_value, best_number, eta_seconds)."""
        if progress is None:
            self.bar.setRange(0, 1)
            self.bar.setValue(0)
            self.bar.setFormat("no sweep yet")
            for label in (self.running, self.best, self.eta):
                label.setText("")
            return
        self.bar.setFormat("%v / %m trials")
        self.bar.setRange(0, max(1, progress.total))
        self.bar.setValue(min(progress.done, max(1, progress.total)))
        self.running.setText(f"{progress.running} running")
        best = progress.best_value
        if best is not None and math.isfinite(best):
            name = f"{metric} " if metric else ""
            self.best.setText(f"best {name}{best:.4g} (trial {progress.best_number})")
        else:
            self.best.setText("no result yet")
        eta = progress.eta_seconds
        if progress.done >= progress.total:
            self.eta.setText("done")
        else:
            self.eta.setText(f"ETA {format_duration(eta)}" if eta is not None else "ETA …")

    def show_stored(self, stored: StoredStudy, model: StudyModel) -> None:
        """A study opened, not running: its finished trials of its budget, and the best trial
        of ``model`` (which shows it)."""
        best = model.best_number()
        value = None if best is None else model.value(best)
        self.set_progress(Progress(stored.finished, stored.budget, 0, best, value, 0.0, None),
                          model.metric)
        self.running.setText("")
        if stored.resumable:
            self.eta.setText("Resume continues it")


def finished_message(finished: StudyFinished) -> str:
    """The status-bar line for a :class:`~desktop_app.core.events.StudyFinished`."""
    text = f"{finished.finished} of {finished.budget} trials finished"
    if finished.stopped:
        text += " (stopped: Resume continues)"
    if finished.best_number is not None:
        text += f"; best: trial {finished.best_number} with {finished.best_value:.4g}"
    return text


def opened_message(stored: StoredStudy) -> str:
    """The status-bar line for a study just opened."""
    return (f"Study {stored.name!r}: {stored.trials} trials, {stored.finished} of "
            f"{stored.budget} finished" + ("; Resume continues it" if stored.resumable else ""))


def running_message(config: StudyConfig) -> str:
    """The status-bar line for a sweep just started."""
    study = config.study
    return (f"Running {config.budget()} trials of {study.name!r} on {study.workers} "
            f"{study.executor} workers")
