"""History: each trial's value and the best so far against trial number, and, for comparing
searches, other studies' best-so-far curves and every study's EDF (the share of trials at or
below a value: the curve further towards "better" is the better search).

Redraws are coalesced to the frame timer; items are created once and fed with ``setData``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from desktop_app.core.analysis import StudySeries, best_so_far, edf
from desktop_app.core.study import Direction, TrialState
from desktop_app.gui.frame import frame_timer
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.style.plot_style import BEST_COLOR, SELECTED_COLOR, style_plot
from desktop_app.gui.views.plot_hint import with_hint
from desktop_app.gui.views.view_hints import empty_reason

POINT_COLOR = (76, 120, 168, 150)
OTHER_COLORS = ("#f58518", "#b279a2", "#e45756", "#72b7b2", "#9d755d", "#eeca3b")
EMPTY_HINT = ("<b>How the search progressed.</b><br><br>Each complete trial's value against "
              "its number, and the best so far as a step line. Compare studies adds other "
              "searches (say grid against TPE) here and in the EDF tab.")


class HistoryView(QWidget):
    """Best so far and each value per trial number; other studies and EDFs to compare."""

    def __init__(self, study_model: StudyModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._study = study_model
        self.others: list[StudySeries] = []
        self.history = pg.PlotWidget()
        self.distribution = pg.PlotWidget()
        for plot in (self.history, self.distribution):
            style_plot(plot, self.palette())
            plot.addLegend(offset=(-10, 10))
        self.history.setLabel("bottom", "trial number")
        self.distribution.setLabel("left", "share of complete trials at or below")
        self.values = pg.ScatterPlotItem(size=6, pen=None, brush=pg.mkBrush(*POINT_COLOR),
                                         name="each trial")
        self.best = pg.PlotDataItem(pen=pg.mkPen(BEST_COLOR, width=2.5), stepMode=None,
                                    name="best so far")
        self.selected = pg.ScatterPlotItem(size=14, pen=pg.mkPen(SELECTED_COLOR, width=2),
                                           brush=None)
        for item in (self.values, self.best, self.selected):
            self.history.addItem(item)
        self.edf_item = pg.PlotDataItem(pen=pg.mkPen(BEST_COLOR, width=2.5), name="this study")
        self.distribution.addItem(self.edf_item)
        self._other_items: list[tuple[pg.PlotDataItem, pg.PlotDataItem]] = []
        self.values.sigClicked.connect(self._clicked)
        self.log_y = QCheckBox("log value axis")
        self.log_y.setToolTip("Values on a log axis (only when every value is above 0)")
        self.log_y.toggled.connect(self._schedule)
        self.compare_button = QPushButton("Compare studies…")
        self.compare_button.setToolTip("Overlay other studies (from this or other .db files)")
        self.clear_button = QPushButton("Clear comparison")
        self.clear_button.clicked.connect(self.clear_comparison)
        tabs = QTabWidget()
        box, self.hint = with_hint(self.history, EMPTY_HINT)
        tabs.addTab(box, "Best so far")
        tabs.addTab(self.distribution, "EDF")
        self.tabs = tabs
        row = QHBoxLayout()
        for widget in (self.log_y, self.compare_button, self.clear_button):
            row.addWidget(widget)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(tabs, 1)
        self._timer = frame_timer(self, self._redraw)
        for signal in (study_model.reset, study_model.trials_added, study_model.trials_changed,
                       study_model.selection_changed):
            signal.connect(self._schedule)
        self._schedule()

    def add_comparison(self, series: StudySeries) -> None:
        """Overlay another study's best so far and EDF."""
        self.others.append(series)
        color = OTHER_COLORS[(len(self.others) - 1) % len(OTHER_COLORS)]
        pen = pg.mkPen(color, width=2)
        items = (pg.PlotDataItem(pen=pen, name=series.label),
                 pg.PlotDataItem(pen=pen, name=series.label))
        self.history.addItem(items[0])
        self.distribution.addItem(items[1])
        self._other_items.append(items)
        self._schedule()

    def clear_comparison(self) -> None:
        """Remove every other study."""
        for line, step in self._other_items:
            self.history.removeItem(line)
            self.distribution.removeItem(step)
        self._other_items.clear()
        self.others.clear()
        self._schedule()

    def _schedule(self, *_: Any) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def _series(self) -> tuple[np.ndarray, np.ndarray]:
        trials = [t for t in self._study.trials() if t.state is TrialState.COMPLETE]
        numbers = np.array([t.number for t in trials], dtype=float)
        values = np.array([self._study.value(t.number) for t in trials], dtype=float)
        values[~np.isfinite(values)] = np.nan
        return numbers, values

    def _redraw(self) -> None:
        numbers, values = self._series()
        direction = self._study.direction
        everything = [values, *(s.values for s in self.others)]
        finite = np.concatenate([v[np.isfinite(v)] for v in everything])
        log = self.log_y.isChecked() and finite.size > 0 and bool((finite > 0).all())
        self.log_y.setEnabled(finite.size == 0 or bool((finite > 0).all()))
        self.history.setLogMode(y=log)
        self.distribution.setLogMode(x=log)
        keep = np.isfinite(values)
        self.values.setData(numbers[keep], values[keep],
                            data=numbers[keep].astype(int).tolist())
        self.best.setData(*_steps(numbers, best_so_far(values, direction)))
        selected = self._study.selected()
        mine = [i for i, n in enumerate(numbers) if n == selected and keep[i]]
        self.selected.setData(numbers[mine], values[mine])
        self.edf_item.setData(*_edf_steps(values))
        for series, (line, step) in zip(self.others, self._other_items, strict=True):
            line.setData(*_steps(series.numbers.astype(float),
                                 best_so_far(series.values, series.direction)))
            step.setData(*_edf_steps(series.values))
        self.history.setLabel("left", f"{self._study.metric} ({_better(direction)})")
        self.distribution.setLabel("bottom", self._study.metric)
        empty = not keep.any() and not self.others
        self.hint.setVisible(empty)
        if empty:  # why: nothing yet, only running or failed trials, or no metric value
            reason = empty_reason(self._study, 0, EMPTY_HINT) if len(self._study) else None
            self.hint.setText(reason if reason and self._study.param_names() else EMPTY_HINT)

    def _clicked(self, _item: Any, points: list[Any]) -> None:
        if points:
            self._study.select(int(points[0].data()))


def _better(direction: Direction) -> str:
    return "higher is better" if direction == Direction.MAXIMIZE else "lower is better"


def _steps(numbers: np.ndarray, best: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The best-so-far as a step line: it holds until the trial that improves it."""
    keep = np.isfinite(best)
    x, y = numbers[keep], best[keep]
    if not len(x):
        return x, y
    return np.repeat(x, 2)[1:], np.repeat(y, 2)[:-1]


def _edf_steps(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x, y = edf(values)
    if not len(x):
        return x, y
    return np.repeat(x, 2), np.concatenate([[0.0], np.repeat(y, 2)[:-1]])
