"""History: each trial's value and the best so far against trial number, and, for comparing
searches, other studies' best-so-far curves and every study's EDF (the share of trials at or
below a value: the curve further towards "better" is the better search).

Redraws are coalesced to the frame timer and wait while the view is hidden
(:class:`~.shown_redraw.ShownRedraw`). A frame costs the trials that changed: the values are
kept trial by trial (:class:`~.history_values.CompleteValues`), the points are drawn in chunks
that new trials are appended to (:class:`~.point_chunks.PointChunks`), the best-so-far line
has a vertex only where the best changed and the EDF at most :data:`EDF_POINTS` steps.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from desktop_app.core.analysis import StudySeries, best_so_far, edf
from desktop_app.core.study import Direction
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.style.plot_style import BEST_COLOR, SELECTED_COLOR, style_plot
from desktop_app.gui.views.history_values import CompleteValues
from desktop_app.gui.views.plot_hint import with_hint
from desktop_app.gui.views.point_chunks import PointChunks
from desktop_app.gui.views.point_tip import point_tip
from desktop_app.gui.views.shown_redraw import ShownRedraw
from desktop_app.gui.views.view_fit import fit_box
from desktop_app.gui.views.view_hints import empty_reason

POINT_COLOR = (76, 120, 168, 150)
CROWDED = 2000
"""Past this many points they are smaller, fainter (the more the fainter: see
:func:`point_alpha`) and each chunk is painted once into a pixmap (as in the sweep scatter)."""
EDF_POINTS = 2000
"""The EDF is drawn through at most this many of the sorted values (a step is 1/2000 high)."""
OTHER_COLORS = ("#f58518", "#b279a2", "#e45756", "#72b7b2", "#9d755d", "#eeca3b")
EMPTY_HINT = ("<b>How the search progressed.</b><br><br>Each complete trial's value against "
              "its number, and the best so far as a step line. Compare studies adds other "
              "searches (say grid against TPE) here and in the EDF tab.")


class HistoryView(QWidget):
    """Best so far and each value per trial number; other studies and EDFs to compare."""

    def __init__(self, study_model: StudyModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._study = study_model
        self._frame = ShownRedraw(self, self.flush)
        self.others: list[StudySeries] = []
        self.history = pg.PlotWidget()
        self.distribution = pg.PlotWidget()
        for plot in (self.history, self.distribution):
            style_plot(plot, self.palette())
            plot.addLegend(offset=(-10, 10))
        self.history.setLabel("bottom", "trial number")
        self.distribution.setLabel("left", "share of complete trials at or below")
        self._values = CompleteValues(study_model)
        self._points = PointChunks(self.history.getPlotItem(), 1, self._tip, self._clicked)
        self._brush = pg.mkBrush(*POINT_COLOR)
        self._crowded = self._log = False
        self._styled = 0  # how many points there were when their style was chosen
        self._stale, self._others_dirty = True, True
        self._labels: tuple[str, str] | None = None
        self._shown: list[float] | None = None  # the history's view box, grown as needed
        self._pending: set[int] = set()
        legend = self.history.getPlotItem().legend
        legend.addItem(pg.ScatterPlotItem(size=6, pen=None, brush=self._brush), "each trial")
        self.best = pg.PlotDataItem(pen=pg.mkPen(BEST_COLOR, width=2.5), stepMode=None,
                                    name="best so far")
        self.selected = pg.ScatterPlotItem(size=14, pen=pg.mkPen(SELECTED_COLOR, width=2),
                                           brush=None)
        self.best.setZValue(2)
        self.selected.setZValue(3)
        for item in (self.best, self.selected):
            self.history.addItem(item)
        self.edf_item = pg.PlotDataItem(pen=pg.mkPen(BEST_COLOR, width=2.5), name="this study")
        self.distribution.addItem(self.edf_item)
        self._other_items: list[tuple[pg.PlotDataItem, pg.PlotDataItem]] = []
        self.log_y = QCheckBox("log value axis")
        self.log_y.setToolTip("Values on a log axis (only when every value is above 0)")
        self.log_y.toggled.connect(self._frame.request)
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
        study_model.reset.connect(self._on_reset)
        study_model.trials_added.connect(self._on_trials)
        study_model.trials_changed.connect(self._on_trials)
        study_model.selection_changed.connect(self._frame.request)
        self._frame.request()

    def showEvent(self, event: QShowEvent) -> None:
        """Catch up when shown (hidden, the view does not redraw)."""
        super().showEvent(event)
        self._frame.shown()

    def value_items(self) -> list[pg.ScatterPlotItem]:
        """The items drawing the complete trials' values (data: the trial numbers)."""
        return self._points.items()

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
        self._others_dirty = True
        self._frame.request()

    def clear_comparison(self) -> None:
        """Remove every other study."""
        for line, step in self._other_items:
            self.history.removeItem(line)
            self.distribution.removeItem(step)
        self._other_items.clear()
        self.others.clear()
        self._others_dirty = True
        self._frame.request()

    def _on_reset(self) -> None:
        self._stale, self._shown = True, None
        self._frame.request()

    def _on_trials(self, numbers: list[int]) -> None:
        self._pending.update(numbers)
        self._frame.request()

    def flush(self) -> None:
        """Redraw now (the frame timer calls this while the view is shown)."""
        self._frame.done()
        full = self._stale
        if full:
            self._stale, self._pending = False, set()
            self._values.rebuild()
            changed: list[int] = []
            gone: list[int] = []
        else:
            pending, self._pending = sorted(self._pending), set()
            changed, gone = self._values.update(pending)
        numbers, values = self._values.arrays()
        direction = self._study.direction
        everything = [values, *(s.values for s in self.others)]
        finite = np.concatenate([v[np.isfinite(v)] for v in everything])
        log = self.log_y.isChecked() and finite.size > 0 and bool((finite > 0).all())
        self.log_y.setEnabled(finite.size == 0 or bool((finite > 0).all()))
        keep = np.isfinite(values)
        count = int(keep.sum())
        crowded = count > CROWDED
        if full or log != self._log or crowded != self._crowded or count > 2 * self._styled:
            self._log, self._crowded, self._styled = log, crowded, max(count, CROWDED // 2)
            self.history.setLogMode(y=log)  # the lines' log; the points are given log10
            self.distribution.setLogMode(x=log)
            size = 4 if crowded else 6
            box = self.history.getPlotItem().getViewBox()
            alpha = point_alpha(count, size, box.width() * box.height())
            self._brush = pg.mkBrush(*POINT_COLOR[:3], alpha)
            self._points.set_style(size, None, cached=crowded)
            shown = numbers[keep]
            self._points.set_all(shown.astype(int).tolist(), shown, self._y(values[keep]),
                                 self._brush, False)
            self._others_dirty = full = True
        else:
            self._points.remove(gone)
            ys = np.array([self._values.value(n) for n in changed], dtype=float)
            self._points.append(changed, np.array(changed, dtype=float), self._y(ys),
                                self._brush)
        if full or changed or gone:
            self.best.setData(*_steps(numbers, best_so_far(values, direction)))
            self.edf_item.setData(*_edf_steps(values))
        selected = self._study.selected()
        value = self._values.value(selected) if selected is not None else None
        mine = [] if value is None or not np.isfinite(value) else [selected]
        self.selected.setData(np.array(mine, dtype=float),
                              self._y(np.array([value] * len(mine), dtype=float)))
        if self._others_dirty:
            self._others_dirty, full = False, True
            for series, (line, step) in zip(self.others, self._other_items, strict=True):
                line.setData(*_steps(series.numbers.astype(float),
                                     best_so_far(series.values, series.direction)))
                step.setData(*_edf_steps(series.values))
        self._fit(numbers[keep], values[keep], full)
        labels = (f"{self._study.metric} ({_better(direction)})", self._study.metric)
        if labels != self._labels:  # setting a label lays the axis out anew
            self._labels = labels
            self.history.setLabel("left", labels[0])
            self.distribution.setLabel("bottom", labels[1])
        empty = not keep.any() and not self.others
        self.hint.setVisible(empty)
        if empty:  # why: nothing yet, only running or failed trials, or no metric value
            reason = empty_reason(self._study, 0, EMPTY_HINT) if len(self._study) else None
            self.hint.setText(reason if reason and self._study.param_names() else EMPTY_HINT)

    def _fit(self, numbers: np.ndarray, values: np.ndarray, full: bool) -> None:
        """Take in every point and the other studies' lines, moving the view only when one
        leaves it (pyqtgraph's autorange moved it with every new trial number, repainting
        every point: ~20 ms a frame at 100,000)."""
        xs = [numbers] + [s.numbers.astype(float) for s in self.others]
        ys = [self._y(values)] + [self._y(best_so_far(s.values, s.direction))
                                  for s in self.others]
        x = np.concatenate(xs)
        y = np.concatenate(ys)
        y = y[np.isfinite(y)]
        if len(x) and len(y):
            box = [float(x.min()), float(x.max()), float(y.min()), float(y.max())]
            self._shown = fit_box(self.history.getPlotItem().getViewBox(), box, self._shown,
                                  full)

    def _y(self, values: np.ndarray) -> np.ndarray:
        """Values as the points are drawn: log10 on a log axis (bare scatter items do not
        follow the plot's log mode)."""
        return np.log10(values) if self._log else values

    def _tip(self, x: float, y: float, data: Any) -> str:
        return point_tip(self._study, int(data))

    def _clicked(self, _item: Any, points: Any, _event: object = None) -> None:
        if len(points):
            self._study.select(int(points[0].data()))


def point_alpha(count: int, size: float, area: float) -> int:
    """The opacity (0-255) of ``count`` points ``size`` pixels wide spread over ``area``
    square pixels, so that they pile up to about half opaque on average: denser regions
    show darker, where one opacity for all made a uniform blob of 100,000 points."""
    layers = count * size * size / max(area, 1e4)
    if layers <= 0:
        return POINT_COLOR[3]
    return int(np.clip(255 * (1 - 0.5 ** (1 / layers)), 20, POINT_COLOR[3]))


def _better(direction: Direction) -> str:
    return "higher is better" if direction == Direction.MAXIMIZE else "lower is better"


def _steps(numbers: np.ndarray, best: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The best-so-far as a step line: it holds until the trial that improves it (a vertex
    where it improves and at the last trial, not one per trial)."""
    keep = np.isfinite(best)
    x, y = numbers[keep], best[keep]
    if not len(x):
        return x, y
    turns = np.flatnonzero(np.diff(y, prepend=np.nan, append=np.nan) != 0)  # first, changes
    turns = np.union1d(turns[turns < len(x)], [len(x) - 1])
    x, y = x[turns], y[turns]
    return np.repeat(x, 2)[1:], np.repeat(y, 2)[:-1]


def _edf_steps(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The EDF as a step line through at most :data:`EDF_POINTS` of the sorted values (the
    first and the last among them)."""
    x, y = edf(values)
    if len(x) > EDF_POINTS:
        picked = np.unique(np.linspace(0, len(x) - 1, EDF_POINTS).round().astype(int))
        x, y = x[picked], y[picked]
    if not len(x):
        return x, y
    return np.repeat(x, 2), np.concatenate([[0.0], np.repeat(y, 2)[:-1]])
