"""The sweep scatter: a metric (:mod:`scatter_y`) against one searched parameter, on its own
scale (:mod:`scatter_x`); colour by state or by a second parameter. Redraws ~30 Hz at most.

Finished trials are drawn by :class:`PointChunks`; the running, diverged-off-the-chart, best
and selected trials by a PlotDataItem each. A trial that is added or finishes is placed on
its own (:meth:`SweepScatter._place`: its x, colour and point only); every point is redone
only for a new axis, colouring or study, or when the new trials do not fit the last one (a
new category, a colour beyond the range, a trial moving on or off the chart). Such a full
rebuild costs ~1 s at 100,000 points, so one slower than 30 ms is not repeated before
:data:`REBUILD_SPACING` times its cost has passed.

Past :data:`CROWDED` points the finished markers shrink to 4 px, lose their edge and turn
translucent, so dense regions read darker, and they are painted once into a pixmap.
Trials kept elsewhere, or by a rectangle here, stay as drawn, the others fade (:mod:`scatter_kept`).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop_app.core.study import TrialState
from desktop_app.gui.frame import frame_timer
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.style.plot_style import (
    STATE_COLORS,
    legend_entry,
    legend_label,
    marker_legend_html,
    style_plot,
)
from desktop_app.gui.views.map_select import RectSelectBox
from desktop_app.gui.views.off_chart import OffChart
from desktop_app.gui.views.param_axis import ParamAxis
from desktop_app.gui.views.plot_caption import CaptionedPlot
from desktop_app.gui.views.plot_hint import with_hint
from desktop_app.gui.views.point_colours import PointColours
from desktop_app.gui.views.point_tip import point_tip
from desktop_app.gui.views.scatter_kept import HELP, KeptChunks, ScatterRect, view_points
from desktop_app.gui.views.scatter_log import ScatterLogY, log_points
from desktop_app.gui.views.scatter_marks import marker_items
from desktop_app.gui.views.scatter_x import ScatterX
from desktop_app.gui.views.scatter_y import ScatterY, ShrinkingCombo
from desktop_app.gui.views.view_fit import fit_view

STATE_KEY = "__state__"
EMPTY_HINT = (
    "<b>One point per trial will appear here.</b><br><br>x: the hyperparameter chosen above, "
    "on its own scale; y: the study metric. The pattern shows which values work: look for "
    "where the best points gather. Click a point to find its trial in the table."
)
CROWDED = 2000
"""More points than this: small translucent markers without edges."""
REBUILD_SPACING = 10.0
"""A slow full rebuild waits this many times its own cost before the next one."""


class SweepScatter(QWidget):
    """Metric vs one parameter; colour by state or by a second parameter; click to select."""

    def __init__(self, study_model: StudyModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._study = study_model
        self._colours = PointColours()
        self._rebuild_after = 0.0
        self._crowded = False
        self._numbers: dict[str, list[int]] = {"clipped": [], "running": []}
        self._points: dict[int, tuple[float, QBrush]] = {}
        self._where: dict[int, tuple[float, float]] = {}
        self._running_now: set[int] = set()
        self._off = OffChart()
        self._full = True
        self._pending: set[int] = set()
        self.y = ScatterY(study_model, lambda text: self.plot.getPlotItem().setLabel("left", text),
                          self._on_y_changed)  # the y metric: its selector and axis label
        self._build_controls()
        self._build_plot()
        self._timer = frame_timer(self, self.flush)
        study_model.reset.connect(self._on_reset)
        study_model.trials_added.connect(self._place_later)
        study_model.trials_changed.connect(self._on_changed)
        study_model.selection_changed.connect(self._schedule)
        study_model.best_changed.connect(self._schedule)
        study_model.kept_changed.connect(self._schedule)
        self._on_reset()

    # --- construction -------------------------------------------------------------------
    def _build_controls(self) -> None:
        self._x_box = QComboBox()
        self._x_box.setToolTip("The hyperparameter on the x axis, drawn on its own scale")
        # the whole name, never "learning_": in a narrow window the other two shrink first
        self._x_box.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self._x_box.currentIndexChanged.connect(self._rebuild_later)
        self._color_box = ShrinkingCombo()
        self._color_box.setToolTip("Colour points by trial state or by a second hyperparameter")
        self._color_box.currentIndexChanged.connect(self._rebuild_later)
        self._legend = legend_label()
        self._legend.setToolTip(
            "What the point colours mean. The green star is the best trial so far; the "
            "magenta ring the trial selected in the table or the loss curves"
        )
        bar = self._bar = QHBoxLayout()
        for label, widget in (("y:", self.y.box), ("x:", self._x_box),
                              ("colour:", self._color_box)):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self._legend)

    def _build_plot(self) -> None:
        axis, y_axis = ParamAxis("bottom"), ParamAxis("left")  # y: 0.1, 0.2, 0.5 when log
        self.plot = CaptionedPlot(self.caption, viewBox=(box := RectSelectBox()),
                                  axisItems={"bottom": axis, "left": y_axis})
        self.plot.setToolTip(f"Hover a point for its trial; click it to select the trial. {HELP}")
        item = self.plot.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()  # the view follows the points; see _fit_view
        style_plot(self.plot, self.palette())
        self._x = ScatterX(item, axis)
        self.log_y = ScatterLogY(item, y_axis)
        self.log_y.box.toggled.connect(self._on_y_changed)
        self._bar.insertWidget(2, self.log_y.box)
        self.rect_select = ScatterRect(box, item, self._study, lambda: view_points(
            self._where, self._x.is_log, self.log_y.on), (self._x_box.currentIndexChanged,
            self.y.box.currentIndexChanged, self.log_y.box.toggled))
        self._bar.addWidget(self.rect_select.clear_button)
        edge = self._edge = pg.mkPen(128, 128, 128, 140)
        self.finished_points = KeptChunks(item, 0, self._tip, self._on_clicked, self._study.kept)
        self.finished_points.set_style(8, edge, cached=False)
        self._clipped, self._running, self._best, self._selected = marker_items(
            item, edge, self._tip, self._on_clicked)
        box, self._hint = with_hint(self.plot, EMPTY_HINT)
        self.layout().addWidget(box, 1)

    def changeEvent(self, event: QEvent) -> None:
        """Follow light/dark palette switches."""
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "plot"):
            style_plot(self.plot, self.palette())
        super().changeEvent(event)

    # --- public -------------------------------------------------------------------------
    def set_x_param(self, name: str) -> None:
        """Put parameter ``name`` on the x axis."""
        self._x_box.setCurrentIndex(self._x_box.findData(name))

    def set_color_by(self, name: str | None) -> None:
        """Colour by parameter ``name``, or by state when None."""
        self._color_box.setCurrentIndex(self._color_box.findData(name or STATE_KEY))

    def set_rect(self, rect: QRectF | None) -> None:
        """Keep the points inside ``rect`` (view coordinates); None keeps every trial."""
        self.rect_select.set_rect(rect)

    def y_values(self) -> dict[int, float]:
        """Trial number -> y of every point drawn."""
        return {n: y for n, (_, y) in self._where.items()}

    def point_count(self) -> int:
        """Trials drawn as points (finished and running; NaN metrics are not drawn)."""
        return len(self.finished_points) + sum(len(numbers) for numbers in self._numbers.values())

    def caption(self) -> tuple[str, str]:
        """Title and legend of an exported image: the metric against the x parameter, and
        the legend the window shows."""
        return f"{self.y.key} against {self._x_box.currentText()}", self._legend.text()

    def x_values(self) -> dict[int, float]:
        """Trial number -> x as drawn by the items (log10 of it on a log axis)."""
        found = self.finished_points.drawn_x()
        for key, item in (("clipped", self._clipped), ("running", self._running)):
            x, _ = item.getData()
            if x is not None:
                found.update(zip(self._numbers[key], map(float, x), strict=True))
        return found

    def flush(self) -> None:
        """Redraw now (the 30 Hz timer calls this): every point after a new axis, colouring
        or study; else only the trials added or finished since the last frame, the running
        trials' points and the markers."""
        self._timer.stop()
        start = time.perf_counter()
        placed: list[int] = []
        if self._pending and not self._full:
            placed, self._pending = sorted(self._pending), set()
            self._full = not self._place(placed)
        full = self._full and start >= self._rebuild_after
        if full:
            self._rebuild()
            cost = time.perf_counter() - start
            self._rebuild_after = start + REBUILD_SPACING * cost if cost > 0.03 else 0.0
        else:
            self.finished_points.sync()  # the kept trials changed: fade the others
            self._update_running()
            if self._full:
                self._timer.start()  # the deferred rebuild
        # Once nothing runs, placed trials refit the whole view: a running trial's early,
        # poor values may have stretched it, and only a full fit shrinks it back.
        settled = bool(placed) and not self._numbers["running"]
        whole = full or settled
        self._fit_view(self._where if whole else [*placed, *self._numbers["running"]], whole)
        for item, number in ((self._best, self._study.best_number()),
                             (self._selected, self._study.selected())):
            where = self._where.get(number)
            if where is None:
                item.setData([], [])
            else:
                item.setData([where[0]], [where[1]], data=[number])

    def _rebuild(self) -> None:
        """Recompute x, colour and y of every trial (a combo changed, a new study...)."""
        self._full, self._pending = False, set()
        name = self._x_box.currentData()
        trials = self._study.trials() if name is not None else []
        self._hint.setVisible(len(self._study) == 0)
        raw = [t.params.get(name) for t in trials]
        if name is not None and self._x.show(self._study.space, name, raw):
            self._shown = None
        self._set_crowded(len(trials) > CROWDED)
        brushes, legend = self._brushes(trials)
        self._points = dict(zip((t.number for t in trials),
                                zip(self._x.plot_x(raw, [t.number for t in trials]),
                                    brushes, strict=True),
                                strict=True))
        self._running_now = {t.number for t in trials if t.state is TrialState.RUNNING}
        self._where = {}
        self._numbers = {"clipped": [], "running": []}
        values = {t.number: self.y.value(t.number) for t in trials}
        if self.log_y.reset({n: v for n, v in values.items() if np.isfinite(v)}):
            self._shown = None  # another y axis: fit the view to it
        self._off.reset({n: v for n, v in values.items() if np.isfinite(v)},
                        {t.number for t in trials if t.state is TrialState.DIVERGED})
        done = [t.number for t in trials
                if t.number not in self._running_now and t.number not in self._off.clipped]
        self.finished_points.set_all(*self._finite(done), self._x.is_log)
        self._set_points("clipped", self._clipped, sorted(self._off.clipped), self._off.y)
        self._update_running()
        by_state = self._color_box.currentData() in (None, STATE_KEY)
        glyph_color = STATE_COLORS[TrialState.DIVERGED] if by_state else "#8c8c8c"
        note = (" &nbsp;" + legend_entry(glyph_color, "&#9650;",
                                         "diverged, far above (value in its tooltip)")
                if self._off.clipped else "")
        self._legend.setText(legend + note + " &nbsp;" + marker_legend_html())

    def _place(self, numbers: list[int]) -> bool:
        """Draw trials added or changed since the last frame, touching only their points;
        False when that is not enough (a new category, a colour beyond the range, a trial
        moving on or off the chart, the plot turning crowded): then rebuild."""
        name = self._x_box.currentData()
        if name is None or (len(self._study) > CROWDED) != self._crowded:
            return name is None
        trials = [self._study.trial(n) for n in numbers]
        raw = [t.params.get(name) for t in trials]
        if not self._x.takes(raw):
            return False
        brushes = self._colours.more(trials)
        if brushes is None:
            return False
        self._points.update(zip(numbers, zip(self._x.plot_x(raw, numbers), brushes, strict=True),
                                strict=True))
        clip_y, clipped = self._off.y, set(self._off.clipped)
        done = []
        for trial in trials:
            number = trial.number
            if trial.state is TrialState.RUNNING:
                self._running_now.add(number)
                continue
            self._running_now.discard(number)
            value = self.y.value(number)
            if np.isfinite(value) and self._off.add(number, value,
                                                    trial.state is TrialState.DIVERGED):
                return False
            if number not in self._off.clipped:
                done.append(number)
        if not self._update_running():
            return False
        kept = self._finite(done)
        if self.log_y.see(kept[0], np.array([self._where[n][1] for n in kept[0]])):
            return False
        shown = set(kept[0])
        self.finished_points.remove(n for n in numbers if n not in shown)
        self.finished_points.append(*kept)
        if clipped != self._off.clipped or not (clip_y == self._off.y or np.isnan(clip_y)):
            self._set_points("clipped", self._clipped, sorted(self._off.clipped), self._off.y)
        return True

    def _finite(self, numbers: list[int]) -> tuple[list[int], np.ndarray, np.ndarray, list]:
        """The trials among ``numbers`` with a finite x and metric: numbers, x, y, brushes;
        remembered as where their points are."""
        xs = np.array([self._points[n][0] for n in numbers], dtype=float)
        ys = np.array([self.y.value(n) for n in numbers], dtype=float)
        keep = np.flatnonzero(np.isfinite(xs) & np.isfinite(ys))
        kept = [numbers[i] for i in keep]
        self._where.update(zip(kept, zip(xs[keep], ys[keep], strict=True), strict=True))
        return kept, xs[keep], self.log_y.view_y(ys[keep]), [self._points[n][1] for n in kept]

    def _set_crowded(self, crowded: bool) -> None:
        """Small edgeless markers; painted once into a pixmap, not on every running frame."""
        if crowded != self._crowded:
            self._crowded = crowded
            self.finished_points.set_style(4 if crowded else 8,
                                           None if crowded else self._edge, crowded)

    def _update_running(self) -> bool:
        """Move the running trials' points; False when one went to 0 or below on a log
        axis (then the next frame redraws everything on a linear one)."""
        self._set_points("running", self._running, sorted(self._running_now))
        numbers = self._numbers["running"]
        if self.log_y.see(numbers, np.array([self._where[n][1] for n in numbers])):
            self._rebuild_later()
            return False
        return True

    def _set_points(self, key: str, item: pg.PlotDataItem, numbers: list[int],
                    y: float | None = None) -> None:
        """Give ``item`` the finite points of trials ``numbers`` (x and colour from the
        last rebuild, y the current metric or else the given ``y``)."""
        for number in self._numbers[key]:
            self._where.pop(number, None)
        xs = np.array([self._points[n][0] for n in numbers], dtype=float)
        ys = np.array([self.y.value(n) if y is None else y for n in numbers], dtype=float)
        keep = np.flatnonzero(np.isfinite(xs) & np.isfinite(ys))
        self._numbers[key] = [numbers[i] for i in keep]
        item.setData(xs[keep], ys[keep], data=np.array(self._numbers[key], dtype=int),
                     symbolBrush=[self._points[numbers[i]][1] for i in keep])
        self._where.update((numbers[i], (xs[i], ys[i])) for i in keep)

    def _on_changed(self, numbers: list[int]) -> None:
        """Running trials' new epochs move only their points; a trial that finished or
        started again is placed anew."""
        for number in numbers:
            if number not in self._running_now or (
                self._study.trial(number).state is not TrialState.RUNNING
            ):
                self._pending.add(number)
        self._schedule()

    def _place_later(self, numbers: list[int]) -> None:
        self._hint.setVisible(len(self._study) == 0)
        self._pending.update(numbers)
        self._schedule()

    def _on_y_changed(self) -> None:
        self._shown = None  # another metric: fit the view to it
        self._rebuild_later()

    def _rebuild_later(self, *_: object) -> None:
        self._full = True
        self._schedule()

    # --- helpers ------------------------------------------------------------------------

    def _fit_view(self, numbers: Any, full: bool) -> None:
        """Take in these trials' points (see :func:`fit_view`)."""
        points = log_points([self._where[n] for n in numbers if n in self._where], self.log_y.on)
        self._shown = fit_view(self.plot.getPlotItem().getViewBox(), points,
                               (self._x.scale, self._x.categories), self._shown, full)

    def _brushes(self, trials: list) -> tuple[list[QBrush], str]:
        """Each trial's point colour, and the legend saying what the colours mean."""
        color_by = self._color_box.currentData()
        return self._colours.brushes(self._study.space, trials,
                                     None if color_by == STATE_KEY else color_by, self._crowded)

    def _tip(self, x: float, y: float, data: Any) -> str:
        return point_tip(self._study, int(data))

    def _on_clicked(self, _item: object, points: Any, _event: object) -> None:
        if len(points):
            self._study.select(int(points[0].data()))

    def _on_reset(self) -> None:
        names = self._study.param_names()
        for box, extra in ((self._x_box, []), (self._color_box, [("state", STATE_KEY)])):
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            for label, key in [*extra, *((n, n) for n in names)]:
                box.addItem(label, key)
            box.setCurrentIndex(max(0, box.findData(current)))
            box.blockSignals(False)
        self._x.forget()
        self._shown: list[float] | None = None
        self._full = True
        self.y.reset()
        self._schedule()

    def _schedule(self, *_: object) -> None:
        if not self._timer.isActive():
            self._timer.start()

