"""The sweep scatter: the study metric against one searched parameter, on its own scale.

Points are PlotDataItems (``pen=None, symbol=...``): a bare ScatterPlotItem ignores the
plot's log mode, a PlotDataItem honours it. x is drawn on a log axis for log and pow2
parameters, as ``1 - value`` on a log axis for reverse-log ones (ticks read 0.9, 0.99, ...),
and as a jittered strip for categorical ones. Redraws are coalesced to ~30 Hz.

Big studies: past :data:`CROWDED` points the finished trials' markers shrink to 4 px, lose
their edge and turn translucent, so dense regions read darker instead of one solid blob,
and they are painted once into a pixmap (``DeviceCoordinateCache``), not on every frame of a
running point. A full rebuild costs ~7 us per point (pyqtgraph keys every point's style;
about 1 s at 100,000), so one slower than 30 ms is not repeated before
:data:`REBUILD_SPACING` times its cost has passed (running points still move every frame):
loading or a live sweep over a big study keeps the GUI thread mostly free.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QComboBox, QGraphicsItem, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop_app.core.search import SCALES
from desktop_app.core.study import Direction, TrialState
from desktop_app.gui.frame import frame_timer
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.style.plot_style import (
    BEST_COLOR,
    SELECTED_COLOR,
    STATE_COLORS,
    legend_entry,
    legend_label,
    marker_legend_html,
    state_brush,
    state_color,
    style_plot,
)
from desktop_app.gui.views.off_chart import off_chart
from desktop_app.gui.views.param_axis import (
    LOG_AXIS_SCALES,
    ParamAxis,
    axis_scale,
    categories_of,
    searched_range,
    to_plot_x,
)
from desktop_app.gui.views.plot_caption import CaptionedPlot
from desktop_app.gui.views.plot_hint import with_hint
from desktop_app.gui.views.point_colours import PointColours
from desktop_app.gui.views.point_tip import point_tip
from desktop_app.gui.views.view_fit import inside, padded, too_loose

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
PAD_PIXELS = 14.0
"""Room at the view's edges for half a marker (the best star is 18 px) and a gap."""


class SweepScatter(QWidget):
    """Metric vs one parameter; colour by state or by a second parameter; click to select."""

    def __init__(self, study_model: StudyModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._study = study_model
        self._colours = PointColours()
        self._rebuild_after = 0.0
        self._crowded = False
        self._numbers: dict[str, list[int]] = {"done": [], "clipped": [], "running": []}
        self._points: dict[int, tuple[float, QBrush]] = {}
        self._where: dict[int, tuple[float, float]] = {}
        self._running_now: set[int] = set()
        self._full = True
        self._build_controls()
        self._build_plot()
        self._timer = frame_timer(self, self.flush)
        study_model.reset.connect(self._on_reset)
        study_model.trials_added.connect(self._rebuild_later)
        study_model.trials_changed.connect(self._on_changed)
        study_model.selection_changed.connect(self._schedule)
        study_model.best_changed.connect(self._schedule)
        self._on_reset()

    # --- construction -------------------------------------------------------------------
    def _build_controls(self) -> None:
        self._x_box = QComboBox()
        self._x_box.setToolTip("The hyperparameter on the x axis, drawn on its own scale")
        self._x_box.currentIndexChanged.connect(self._rebuild_later)
        self._color_box = QComboBox()
        self._color_box.setToolTip("Colour points by trial state or by a second hyperparameter")
        self._color_box.currentIndexChanged.connect(self._rebuild_later)
        self._legend = legend_label()
        self._legend.setToolTip(
            "What the point colours mean. The green star is the best trial so far; the "
            "magenta ring the trial selected in the table or the loss curves"
        )
        bar = QHBoxLayout()
        for label, widget in (("x axis:", self._x_box), ("colour by:", self._color_box)):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self._legend)

    def _build_plot(self) -> None:
        self._axis = ParamAxis("bottom")
        self.plot = CaptionedPlot(self.caption, axisItems={"bottom": self._axis})
        self.plot.setToolTip("Hover a point for its trial; click it to select the trial")
        item = self.plot.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()  # the view follows the points; see _fit_view
        style_plot(self.plot, self.palette())
        edge = self._edge = pg.mkPen(128, 128, 128, 140)
        self._done = pg.PlotDataItem(pen=None, symbol="o", symbolSize=8, symbolPen=edge)
        running_pen = pg.mkPen(state_color(TrialState.RUNNING), width=2)
        self._running = pg.PlotDataItem(pen=None, symbol="o", symbolSize=10,
                                        symbolPen=running_pen)
        self._clipped = pg.PlotDataItem(
            pen=None, symbol="t1", symbolSize=11, symbolPen=edge,
            symbolBrush=state_brush(TrialState.DIVERGED),
        )
        self._best = pg.PlotDataItem(pen=None, symbol="star", symbolSize=18,
                                     symbolBrush=BEST_COLOR, symbolPen=pg.mkPen("#1b4d16"))
        self._selected = pg.PlotDataItem(pen=None, symbol="o", symbolSize=20, symbolBrush=None,
                                         symbolPen=pg.mkPen(SELECTED_COLOR, width=2.5))
        for z, points in enumerate((self._done, self._clipped, self._running, self._best,
                                    self._selected)):
            points.setZValue(z)
            # pyqtgraph re-sends all 2,000 brushes on every y-range change unless this is off
            points.setDynamicRangeLimit(None)
            item.addItem(points)
            points.sigPointsClicked.connect(self._on_clicked)
        for points in (self._done, self._clipped, self._running, self._best):
            points.scatter.setData(hoverable=True, tip=self._tip)
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

    def point_count(self) -> int:
        """Trials drawn as points (finished and running; NaN metrics are not drawn)."""
        return sum(len(numbers) for numbers in self._numbers.values())

    def caption(self) -> tuple[str, str]:
        """Title and legend of an exported image: the metric against the x parameter, and
        the legend the window shows."""
        return f"{self._study.metric} against {self._x_box.currentText()}", self._legend.text()

    def x_values(self) -> dict[int, float]:
        """Trial number -> x as drawn by the items (log10 of it on a log axis)."""
        found: dict[int, float] = {}
        for key, item in (("done", self._done), ("clipped", self._clipped),
                          ("running", self._running)):
            x, _ = item.getData()
            if x is not None:
                found.update(zip(self._numbers[key], map(float, x), strict=True))
        return found

    def rebuild_now(self) -> None:
        """Redraw every point now, even right after a slow rebuild (a study finished loading)."""
        self._rebuild_after = 0.0
        self._full = True
        self.flush()

    def flush(self) -> None:
        """Redraw now (the 30 Hz timer calls this): every point after a structural change,
        else only the running trials' points and the markers."""
        self._timer.stop()
        start = time.perf_counter()
        full = self._full and start >= self._rebuild_after
        if full:
            self._rebuild()
            cost = time.perf_counter() - start
            self._rebuild_after = start + REBUILD_SPACING * cost if cost > 0.03 else 0.0
        else:
            self._update_running()
            if self._full:
                self._timer.start()  # the deferred rebuild
        self._fit_view(self._where if full else self._numbers["running"], full)
        for item, number in ((self._best, self._study.best_number()),
                             (self._selected, self._study.selected())):
            where = self._where.get(number)
            if where is None:
                item.setData([], [])
            else:
                item.setData([where[0]], [where[1]], data=[number])

    def _rebuild(self) -> None:
        """Recompute x, colour and y of every trial (a trial finished, a combo changed...)."""
        self._full = False
        name = self._x_box.currentData()
        trials = self._study.trials() if name is not None else []
        self._hint.setVisible(len(self._study) == 0)
        raw = [t.params.get(name) for t in trials]
        scale = axis_scale(self._study.space, name, raw) if name is not None else "linear"
        cats = categories_of(self._study.space, name, raw) if scale == "category" else ()
        if name is not None:
            self._set_axis(name, scale, cats)
        xs = np.array([to_plot_x(scale, v, cats, t.number) for v, t in zip(raw, trials,
                                                                            strict=True)])
        if scale in LOG_AXIS_SCALES and xs.size:
            with np.errstate(invalid="ignore"):
                xs[~(xs > 0)] = np.nan
        self._set_crowded(len(trials) > CROWDED)
        brushes, legend = self._brushes(trials)
        self._points = {t.number: (float(x), b) for t, x, b in zip(trials, xs, brushes,
                                                                   strict=True)}
        self._running_now = {t.number for t in trials if t.state is TrialState.RUNNING}
        done = [t.number for t in trials if t.number not in self._running_now]
        # forget the last split first: a trial that just finished must not be dropped from
        # _where (and lose its best/selected marker) as a former running point
        self._where = {}
        self._numbers = {"done": [], "clipped": [], "running": []}
        values = {t.number: self._study.value(t.number) for t in trials}
        diverged = {t.number for t in trials if t.state is TrialState.DIVERGED}
        clipped, clip_y = off_chart({n: v for n, v in values.items() if np.isfinite(v)},
                                    diverged)
        self._set_points("done", self._done, [n for n in done if n not in clipped])
        self._set_points("clipped", self._clipped, sorted(clipped), clip_y)
        self._update_running()
        by_state = self._color_box.currentData() in (None, STATE_KEY)
        glyph_color = STATE_COLORS[TrialState.DIVERGED] if by_state else "#8c8c8c"
        note = (" &nbsp;" + legend_entry(glyph_color, "&#9650;",
                                         "diverged, far above (value in its tooltip)")
                if clipped else "")
        self._legend.setText(legend + note + " &nbsp;" + marker_legend_html())

    def _set_crowded(self, crowded: bool) -> None:
        """Small edgeless markers; painted once into a pixmap, not on every running frame."""
        if crowded != self._crowded:
            self._crowded = crowded
            self._done.setSymbolSize(4 if crowded else 8)
            self._done.setSymbolPen(None if crowded else self._edge)
            mode = QGraphicsItem.CacheMode
            self._done.scatter.setCacheMode(mode.DeviceCoordinateCache if crowded else mode.NoCache)

    def _update_running(self) -> None:
        self._set_points("running", self._running, sorted(self._running_now))

    def _set_points(self, key: str, item: pg.PlotDataItem, numbers: list[int],
                    y: float | None = None) -> None:
        """Give ``item`` the finite points of trials ``numbers`` (x and colour from the
        last rebuild, y the current metric or else the given ``y``)."""
        for number in self._numbers[key]:
            self._where.pop(number, None)
        xs = np.array([self._points[n][0] for n in numbers], dtype=float)
        ys = np.array([self._study.value(n) if y is None else y for n in numbers], dtype=float)
        keep = np.flatnonzero(np.isfinite(xs) & np.isfinite(ys))
        self._numbers[key] = [numbers[i] for i in keep]
        item.setData(xs[keep], ys[keep], data=np.array(self._numbers[key], dtype=int),
                     symbolBrush=[self._points[numbers[i]][1] for i in keep])
        self._where.update((numbers[i], (xs[i], ys[i])) for i in keep)

    def _on_changed(self, numbers: list[int]) -> None:
        """Running trials' new epochs move only their points; anything else rebuilds."""
        for number in numbers:
            if number not in self._running_now or (
                self._study.trial(number).state is not TrialState.RUNNING
            ):
                self._full = True
                break
        self._schedule()

    def _rebuild_later(self, *_: object) -> None:
        self._full = True
        self._schedule()

    # --- helpers ------------------------------------------------------------------------
    def _fit_view(self, numbers: Any, full: bool) -> None:
        """Grow the view to take in these trials' points, padded; shrink it only on a full
        rebuild when it is far too loose. pyqtgraph's autorange would follow every running
        point and redraw both axes (~5 ms) each time."""
        points = [self._where[n] for n in numbers if n in self._where]
        if not points:
            return
        xy = np.array(points, dtype=float)
        scale = self._axis_state[1]
        x = np.log10(xy[:, 0]) if scale in LOG_AXIS_SCALES else xy[:, 0]
        box = [x.min(), x.max(), xy[:, 1].min(), xy[:, 1].max()]
        if scale == "category":
            box[:2] = [min(box[0], -0.5), max(box[1], len(self._axis_state[2]) - 0.5)]
        shown = self._shown
        if shown is not None and not full:
            box = [min(box[0], shown[0]), max(box[1], shown[1]),
                   min(box[2], shown[2]), max(box[3], shown[3])]
        if shown is not None and inside(box, shown) and not (full and too_loose(box, shown)):
            return
        self._shown = padded(box, self._pad_fraction())
        self.plot.getPlotItem().getViewBox().setRange(
            xRange=self._shown[:2], yRange=self._shown[2:], padding=0
        )

    def _pad_fraction(self) -> float:
        """Padding per side as a fraction of the points' span: 6 % plus room for half the
        largest marker (the best star), in the view's own pixels."""
        view = self.plot.getPlotItem().getViewBox()
        pixels = max(min(view.width(), view.height()), 100.0)
        return 0.06 + PAD_PIXELS / pixels

    def _set_axis(self, name: str, scale: str, cats: tuple[Any, ...]) -> None:
        if self._axis_state == (name, scale, cats):
            return
        self._axis_state = (name, scale, cats)
        self._shown = None
        plot_item = self.plot.getPlotItem()
        scaling = SCALES.get(scale)  # None for the "category" axis
        plot_item.setLogMode(x=scale in LOG_AXIS_SCALES)
        plot_item.getViewBox().invertX(scaling is not None and scaling.plot_reversed)
        self._axis.set_scale(scale, tuple(str(c) for c in cats))
        plot_item.setLabel("bottom", name + (scaling.axis_note if scaling else ""))
        ends = searched_range(self._study.space, name, scale)
        if ends is not None:  # before any point: an empty plot already reads right
            plot_item.getViewBox().setXRange(*ends, padding=0.06)

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
        self._axis_state: tuple[Any, ...] = ()
        self._shown: list[float] | None = None
        self._full = True
        better = "lower" if self._study.direction is Direction.MINIMIZE else "higher"
        self.plot.getPlotItem().setLabel("left", f"{self._study.metric} ({better} is better)")
        self._schedule()

    def _schedule(self, *_: object) -> None:
        if not self._timer.isActive():
            self._timer.start()

