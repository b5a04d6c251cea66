"""Importance: how much each searched hyperparameter explains of the metric, as bars, beside
the importance group the course gives it, so the user sees whether the sweep agrees with the
rule of thumb (group 1: the learning rate ... group 4: Adam's betas and epsilon).

Optuna's evaluators do the work (:mod:`desktop_app.core.analysis.importance`) in a process
of their own (:mod:`~desktop_app.core.analysis.importance_service`: in a thread, Optuna's
Python would hold the GIL for tens of milliseconds and stall the window during a sweep):
PED-ANOVA live, at most every :data:`REFRESH_MS` while trials finish and the view is shown;
fANOVA when asked for (it is slower, and needs scikit-learn). Only the trials that finished
since the last request are sent; one request is in flight at a time.
"""

from __future__ import annotations

import time
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontMetrics, QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.core.analysis import Importance
from desktop_app.core.analysis.importance_service import ImportanceProcess
from desktop_app.core.study import TrialState
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.style.plot_style import style_plot
from desktop_app.gui.views.plot_hint import with_hint
from desktop_app.gui.views.view_hints import empty_reason

REFRESH_MS = 3000
"""Live recomputation happens at most this often."""
POLL_MS = 50
"""How often the answer of the importance process is looked for while one is awaited."""
BAR_COLOR = "#4c78a8"
EMPTY_HINT = ("<b>Which hyperparameters mattered?</b><br><br>Once trials complete, a bar per "
              "searched hyperparameter shows how much of the metric it explains (Optuna's "
              "PED-ANOVA), next to the group the course ranks it in: 1 matters most.")
METHODS = {"PED-ANOVA (live)": "ped_anova", "fANOVA (needs scikit-learn)": "fanova"}


def _label(name: str, group: int) -> str:
    return f"{name}  (group {group})" if group else f"{name}  (yours)"


class ImportanceView(QWidget):
    """Bars of importance with the course's groups, and a note when it should not be trusted."""

    def __init__(self, study_model: StudyModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._study = study_model
        self._service = ImportanceProcess()
        self._study_key = 0  # a new study: a new model in the process
        self._waiting: int | None = None  # the ticket of the request in flight
        self._dirty = False
        self._pending: set[int] | None = None  # trials changed since the last hand-over
        self.result: Importance | None = None
        """The importance drawn now (None before the first)."""
        self.method = QComboBox()
        self.method.addItems(list(METHODS))
        self.method.setToolTip("PED-ANOVA is recomputed live; fANOVA (a random forest) "
                               "when you press Compute")
        self.compute_button = QPushButton("Compute")
        self.compute_button.clicked.connect(self.refresh)
        self.method.currentIndexChanged.connect(self.refresh)
        self.plot = pg.PlotWidget()
        style_plot(self.plot, self.palette())
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.plot.setLabel("bottom", "share of the metric's variation explained")
        self._bars = pg.BarGraphItem(x0=[], y=[], height=0.6, width=[], brush=BAR_COLOR)
        self.plot.addItem(self._bars)
        box, self.hint = with_hint(self.plot, EMPTY_HINT)
        self.note = QLabel()
        self.note.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("Method:"))
        top.addWidget(self.method)
        top.addWidget(self.compute_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(box, 1)
        layout.addWidget(self.note)
        self._timer = QTimer(self, interval=REFRESH_MS)
        self._timer.timeout.connect(self._live)
        self._timer.start()
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self._collect)
        self.destroyed.connect(self._service.close)  # never outlive the view
        study_model.reset.connect(self._on_reset)
        study_model.trials_added.connect(self._mark)
        study_model.trials_changed.connect(self._mark)
        self._on_reset()

    def _on_reset(self) -> None:
        self._study_key += 1
        self._waiting = None  # an answer about the last study is ignored
        self._pending = None  # every trial
        self._draw(None)
        self._dirty = True
        self._live()

    def _mark(self, numbers: list[int], *_: Any) -> None:
        if self._pending is not None:
            self._pending.update(numbers)
        self._dirty = True

    def showEvent(self, event: QShowEvent) -> None:
        """Catch up when shown (hidden, the view does not recompute)."""
        super().showEvent(event)
        self._live()

    def _live(self) -> None:
        if (self._dirty and self.isVisible()
                and METHODS[self.method.currentText()] == "ped_anova"):
            self.refresh()

    def refresh(self) -> None:
        """Recompute now with the chosen method (unless a computation is running)."""
        if self._service.lost():  # a new process knows no trial: send them all
            self._waiting, self._pending = None, None
        if self._study.space is None or self._waiting is not None:
            return
        self._dirty = False
        study, pending, self._pending = self._study, self._pending, set()
        chosen = (study.trials() if pending is None
                  else [study.trial(n) for n in sorted(pending) if n in study])
        trials = [(t.number, dict(t.params), t.state.value, study.value(t.number))
                  for t in chosen if t.state is TrialState.COMPLETE]
        self._waiting = self._service.submit(self._study_key, study.space, study.direction,
                                             trials, METHODS[self.method.currentText()])
        self._poll.start()

    def _collect(self, timeout: float = 0.0) -> None:
        """Draw the answer to the request in flight, if it came."""
        for ticket, result in self._service.results(timeout):
            if ticket == self._waiting:
                self._waiting = None
                self._draw(result)
        if self._waiting is not None and self._service.lost():
            self._waiting, self._pending, self._dirty = None, None, True
            self._live()  # ask a new process (shown), or when shown again
        if self._waiting is None:
            self._poll.stop()

    def bar_labels(self) -> list[str]:
        """The bars' labels, most important first (name and course group)."""
        result = self.result
        if result is None:
            return []
        return [_label(name, result.groups.get(name, 0)) for name, _ in result.values]

    def wait(self, msecs: int = 10_000) -> bool:
        """Wait for the answer in flight and draw it (tests, screenshots); True when none is
        left."""
        deadline = time.monotonic() + msecs / 1000
        while self._waiting is not None and time.monotonic() < deadline:
            self._collect(min(0.1, max(0.0, deadline - time.monotonic())))
        return self._waiting is None

    def shutdown(self) -> None:
        """Stop the importance process (closing the window)."""
        self._poll.stop()
        self._waiting = None
        self._service.close()

    def _draw(self, result: Importance | None) -> None:
        self.result = result
        values = result.values if result is not None else ()
        widths = [v for _, v in values][::-1]
        self._bars.setOpts(x0=[0.0] * len(widths), y=list(range(len(widths))), width=widths,
                           height=0.6)
        labels = self.bar_labels()
        axis = self.plot.getAxis("left")
        axis.setTicks([list(enumerate(labels[::-1]))])
        metrics = QFontMetrics(axis.style.get("tickFont") or self.font())
        axis.setWidth(max([40, *(metrics.horizontalAdvance(t) + 16 for t in labels)]))
        self.plot.setXRange(0, max([1.0, *widths]) if widths else 1.0, padding=0.02)
        self.plot.setYRange(-0.6, max(len(widths), 1) - 0.4, padding=0)
        self.hint.setVisible(not values)
        note = result.note if result is not None else ""
        if result is not None and not values:
            reason = empty_reason(self._study, result.trials, EMPTY_HINT)
            words = [reason or "<b>No importance yet.</b>"] + [note] * bool(note)
            self.hint.setText("<br><br>".join(words))
        self.note.setText(note if values else "")
