"""Parallel coordinates: one vertical axis per searched parameter, each on its own scale, then
the study metric; one polyline per finished trial, coloured from worse to better.

Lines are drawn by one item per colour bin (NaN-broken arrays, ``connect="finite"``), plus one
item for the trials outside the kept ranges (faded), the best and the selected trial. Dragging
along an axis keeps a range on it (:meth:`ParallelView.set_brush`); ranges on several axes
keep the trials inside all of them, announced by ``brushed``. Redraws ~30 Hz at most, and
not while hidden (:mod:`~.rows_redraw`).

Past :data:`~.parallel_sample.MAX_LINES` kept trials only the best ones and an even sample of
the rest are drawn (the view says so); brushing and :meth:`ParallelView.kept_numbers` still
count every trial (numpy masks over all of them), so a frame costs the same at 100,000.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Signal
from PySide6.QtGui import QColor, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from desktop_app.core.study import Direction
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.style.plot_style import BEST_COLOR, SELECTED_COLOR, legend_entry, style_plot
from desktop_app.gui.views import parallel_sample as sample
from desktop_app.gui.views.metric_colours import BINS, MetricColours, is_dark
from desktop_app.gui.views.parallel_axes import one_value_note, ticks
from desktop_app.gui.views.parallel_brush import REACH, BrushBox, BrushMarks
from desktop_app.gui.views.parallel_data import TrialRows
from desktop_app.gui.views.parallel_lines import (
    LineFeed,
    kept_mask,
    nearest_line,
    normalise,
    polylines,
    range_from01,
    range_to01,
)
from desktop_app.gui.views.plot_hint import with_hint
from desktop_app.gui.views.rows_redraw import RowsRedraw
from desktop_app.gui.views.view_hints import empty_reason

INTRO = ("<b>One line per finished trial will appear here.</b><br><br>Each vertical axis is a "
         "hyperparameter on its own scale, the last one the study metric; a line joins a "
         "trial's values and is coloured by how good it was. Drag along an axis to keep only "
         "the trials in that range.")
PICK_PIXELS = 6
"""A click this close (in pixels) to a line selects its trial."""
HELP = "Drag up or down an axis to keep only the trials in that range; click a line to select it."


class ParallelView(QWidget):
    """Parallel coordinates of a study's finished trials, with brushing on every axis."""

    brushed = Signal(object)
    """The kept trial numbers (a sorted list) when they change."""

    def __init__(self, study_model: StudyModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._study = study_model
        self._rows = TrialRows(study_model)
        self._colours = MetricColours()
        self._brush: dict[str, tuple[float, float]] = {}  # internal coordinates (metric: value)
        self._numbers = np.zeros(0, dtype=int)
        self._internal = np.zeros((0, 1))
        self._pos = np.zeros((0, 1))
        self._bins = np.zeros(0, dtype=int)
        self._kept = np.zeros(0, dtype=bool)
        self._drawn = np.zeros(0, dtype=int)  # rows drawn now (all, or the sample)
        self._caption = self._one_value = ""
        self._extents: list[tuple[float, float]] = []
        self._last_kept: np.ndarray | None = None
        self._axes_key: object = None
        self._texts: list[pg.TextItem] = []
        self._feed = LineFeed()
        self._redraw = RowsRedraw(self, self._rows, self.flush, lambda: bool(self._brush))
        self._build()
        study_model.reset.connect(self._on_reset)
        study_model.trials_added.connect(self._redraw.add)
        study_model.trials_changed.connect(self._redraw.add)
        study_model.selection_changed.connect(self._redraw.schedule_marks)
        study_model.best_changed.connect(self._redraw.schedule_marks)
        self._redraw.schedule()

    # --- construction -------------------------------------------------------------------
    def _build(self) -> None:
        self._legend = QLabel()
        self._kept_label = QLabel(HELP)
        self._clear = QPushButton("Clear ranges")
        self._clear.setToolTip("Keep every trial again (or double-click an axis, or its \u2715)")
        self._clear.clicked.connect(lambda: self.clear_brush())
        self._clear.setVisible(False)
        for label in (self._legend, self._kept_label):
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        bar = QHBoxLayout()
        bar.addWidget(self._legend, 3)
        bar.addWidget(self._kept_label, 2)
        bar.addWidget(self._clear)
        self._box = BrushBox()
        self._box.on_drag, self._box.on_click = self._on_drag, self._on_click
        self.plot = pg.PlotWidget(viewBox=self._box)
        self.plot.setToolTip(HELP)
        item = self.plot.getPlotItem()
        item.hideButtons()
        item.hideAxis("left")
        item.hideAxis("bottom")
        style_plot(self.plot, self.palette())
        self._faded = self._line_item(0)
        self._bin_items = [self._line_item(1 + b) for b in range(BINS)]
        self._axes = self._line_item(20)
        self._best = self._line_item(30)
        self._best.setPen(pg.mkPen(BEST_COLOR, width=2.5))
        self._selected = self._line_item(31)
        self._selected.setPen(pg.mkPen(SELECTED_COLOR, width=3.5))
        self._marks = BrushMarks(item)
        box, self._hint = with_hint(self.plot, INTRO)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(box, 1)
        self._restyle()

    def _line_item(self, z: float) -> pg.PlotDataItem:
        line = pg.PlotDataItem(connect="finite")  # NaN breaks: a fast connect array
        line.setZValue(z)
        self.plot.getPlotItem().addItem(line)
        return line

    def _restyle(self) -> None:
        """Colours that follow the palette (light or dark)."""
        style_plot(self.plot, self.palette())
        self._colours.set_dark(is_dark(self.palette()))
        text = self.palette().color(QPalette.ColorRole.Text)
        self._axes.setPen(pg.mkPen(text, width=1))
        faded = QColor(128, 128, 128, 45)
        self._faded.setPen(pg.mkPen(faded, width=1))
        self._axes_key = None

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A new height may fit more or fewer tick labels."""
        super().resizeEvent(event)
        self._redraw.schedule()

    def showEvent(self, event: QShowEvent) -> None:
        """Catch up when shown (hidden, the view does not redraw)."""
        super().showEvent(event)
        self._redraw.shown()

    def changeEvent(self, event: QEvent) -> None:
        """Follow light/dark palette switches."""
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "plot"):
            self._restyle()
            self._redraw.schedule()
        super().changeEvent(event)

    # --- public -------------------------------------------------------------------------
    def axis_names(self) -> list[str]:
        """The axes left to right: the searched parameters, then the metric."""
        return [spec.name for spec in self._rows.specs] + [self._study.metric]

    def line_items(self) -> list[pg.PlotDataItem]:
        """The items of the kept lines, one per colour bin, worst first."""
        return list(self._bin_items)

    def faded_item(self) -> pg.PlotDataItem:
        """The item of the lines outside the kept ranges."""
        return self._faded

    def selected_item(self) -> pg.PlotDataItem:
        """The selected trial's thick magenta line."""
        return self._selected

    def tick_labels(self, name: str) -> list[tuple[float, str]]:
        """(height on [0, 1], text) of axis ``name``'s tick labels, ascending."""
        x = float(self.axis_names().index(name))
        return sorted((t.pos().y(), t.toPlainText()) for t in self._texts
                      if t.pos().x() == x + 0.03)

    def kept_numbers(self) -> list[int]:
        """Sorted numbers of the drawn trials inside every kept range (all without one)."""
        return np.sort(self._numbers[self._kept]).tolist()

    def sample_caption(self) -> str:
        """What the view says when it draws a sample of the lines (empty when it draws all)."""
        return self._caption

    def brush_ranges(self) -> dict[str, tuple[float, float]]:
        """Axis name -> its kept range on [0, 1] of the axis."""
        return {name: self._to01(name, low, high) for name, (low, high) in self._brush.items()}

    def set_brush(self, name: str, low01: float, high01: float) -> None:
        """Keep the trials between ``low01`` and ``high01`` (on [0, 1]) of axis ``name``."""
        names = self.axis_names()
        if name not in names:
            raise KeyError(f"no axis {name!r}; the axes are {', '.join(names)}")
        low01, high01 = sorted((float(low01), float(high01)))
        self._brush[name] = self._from01(name, low01, high01)
        self._draw_lines()
        self._announce()

    def clear_brush(self, name: str | None = None) -> None:
        """Forget the kept range of axis ``name`` (of every axis when None)."""
        if name is None:
            self._brush.clear()
        else:
            self._brush.pop(name, None)
        self._draw_lines()
        self._announce()

    def flush(self) -> None:
        """Redraw now (the 30 Hz timer calls this while the view is shown)."""
        if self._redraw.take() is None:
            self._draw_marks()  # only the selection or the best trial changed
            return
        self._layout()
        self._draw_lines()
        self._draw_marks()
        reason = empty_reason(self._study, len(self._numbers), INTRO)
        self._hint.setVisible(reason is not None)
        self._hint.setText(reason or "")
        self._announce()

    # --- drawing ------------------------------------------------------------------------
    def _layout(self) -> None:
        """Positions on [0, 1] of every drawn trial on every axis; the axes when they moved."""
        self._numbers, self._internal = self._rows.arrays()
        metric = self._internal[:, -1]
        self._colours.fit(metric, self._study.direction)
        specs = self._rows.specs
        self._extents = [spec.extent(self._internal[:, j]) for j, spec in enumerate(specs)]
        pos = np.empty_like(self._internal)
        for j, extent in enumerate(self._extents):
            pos[:, j] = normalise(self._internal[:, j], *extent)
        pos[:, -1] = self._colours.position(metric)
        self._pos, self._bins = pos, self._colours.bins(metric)
        self._one_value = one_value_note(specs, self._internal)
        most = int(np.clip(self.plot.height() // 45, 2, 8))
        key = (tuple(specs), tuple(self._extents), self._colours.log, self._colours.low,
               self._colours.high, most, self._study.metric, self._study.direction)
        if key != self._axes_key:
            self._axes_key = key
            self._draw_axes(most)

    def _draw_axes(self, most: int) -> None:
        """Axis lines, ticks, labels and titles; the view range; the colour legend."""
        item = self.plot.getPlotItem()
        for text in self._texts:
            item.removeItem(text)
        self._texts = []
        palette = self.palette()
        color = palette.color(QPalette.ColorRole.Text)
        fill = QColor(palette.color(QPalette.ColorRole.Base))
        fill.setAlpha(190)
        xs: list[float] = []
        ys: list[float] = []
        specs = self._rows.specs
        axes = [(s.name, s.scale, s.categories, *e) for s, e in zip(specs, self._extents,
                                                                     strict=True)]
        axes.append((self._study.metric, "log" if self._colours.log else "linear", (),
                     self._colours.low, self._colours.high))
        for x, (name, scale, cats, low, high) in enumerate(axes):
            xs += [x, x]
            ys += [0.0, 1.0]
            for r, label in ticks(scale, low, high, cats, most):
                y = float(normalise(np.array([r]), low, high)[0])
                xs += [x - 0.015, x + 0.015]
                ys += [y, y]
                self._add_text(label, (x + 0.03, y), (0.0, 0.5), color, fill)
            title = f"<b>{name}</b>"
            if x == len(specs):
                better = "lower" if self._study.direction is Direction.MINIMIZE else "higher"
                title += f"<br>{better} is better"
            self._add_text(title, (x, 1.03), (0.5, 1.0), color, None, html=True)
        self._axes.setData(np.array(xs), np.array(ys), connect="pairs")
        self.plot.getPlotItem().getViewBox().setRange(
            xRange=(-0.3, len(specs) + 0.55), yRange=(-0.04, 1.16), padding=0)
        self._legend.setText(self._colours.legend_html(self._study.metric) + " &nbsp;"
                             + legend_entry(BEST_COLOR, "\u2501\u2501", "best") + " &nbsp;"
                             + legend_entry(SELECTED_COLOR, "\u2501\u2501", "selected"))

    def _add_text(self, text: str, at: tuple[float, float], anchor: tuple[float, float],
                  color: QColor, fill: QColor | None, html: bool = False) -> None:
        if html:
            item = pg.TextItem(html=f'<div style="color:{color.name()}; text-align:center">'
                                    f"{text}</div>", anchor=anchor)
        else:
            item = pg.TextItem(text, color=color, anchor=anchor,
                               fill=pg.mkBrush(fill) if fill is not None else None)
        item.setPos(*at)
        item.setZValue(40)
        self.plot.getPlotItem().addItem(item, ignoreBounds=True)
        self._texts.append(item)

    def _draw_lines(self) -> None:
        """The kept lines by colour bin, the others faded; the brush rectangles."""
        columns = {name: j for j, name in enumerate(self.axis_names())}
        ranges = {columns[name]: r for name, r in self._brush.items() if name in columns}
        self._kept = kept_mask(self._internal, ranges)
        count = len(self._numbers)
        kept_rows = np.flatnonzero(self._kept)
        shown, best = sample.drawn_rows(kept_rows, self._colours.goodness(self._internal[:, -1]),
                                        sample.MAX_LINES, sample.BEST_LINES)
        faded = np.flatnonzero(~self._kept)
        if count > sample.MAX_LINES:
            faded = sample.even_sample(faded, sample.MAX_FADED)
        self._drawn = np.concatenate([shown, faded])
        self._caption = sample.sample_caption(len(shown), len(kept_rows), best)
        alpha = 230 if len(shown) <= 200 else 170 if len(shown) <= 2000 else 90
        bins = self._bins[shown]
        for b, line in enumerate(self._bin_items):
            color = QColor(self._colours.colors[b])
            color.setAlpha(alpha)
            self._feed(line, *polylines(self._pos, shown[bins == b]), color)
        self._feed(self._faded, *polylines(self._pos, faded))
        brushes = {columns[n]: self._to01(n, *r) for n, r in self._brush.items() if n in columns}
        self._marks.show({x: (max(0.0, lo), min(1.0, hi)) for x, (lo, hi) in brushes.items()})
        self._clear.setVisible(bool(self._brush))
        words = [f"keeping {len(kept_rows):,} of {count:,} trials"] if self._brush else []
        words += [w for w in (self._caption, self._one_value) if w]
        self._kept_label.setText("; ".join(words) or HELP)

    def _draw_marks(self) -> None:
        for line, number in ((self._best, self._study.best_number()),
                             (self._selected, self._study.selected())):
            rows = np.flatnonzero(self._numbers == number) if number is not None else []
            line.setData(*polylines(self._pos, np.asarray(rows, dtype=int)), connect="finite")

    # --- brushing -----------------------------------------------------------------------
    def _axis_extent(self, name: str) -> tuple[float, float] | None:
        """The internal range of parameter axis ``name``; None for the metric."""
        j = self.axis_names().index(name)
        return self._extents[j] if j < len(self._extents) else None

    def _from01(self, name: str, low01: float, high01: float) -> tuple[float, float]:
        return range_from01(self._axis_extent(name), self._colours, low01, high01)

    def _to01(self, name: str, low: float, high: float) -> tuple[float, float]:
        return range_to01(self._axis_extent(name), self._colours, low, high)

    def _announce(self) -> None:
        kept = np.sort(self._numbers[self._kept])
        if self._last_kept is None or not np.array_equal(kept, self._last_kept):
            self._last_kept = kept
            self.brushed.emit(kept.tolist())

    def _on_drag(self, x0: float, y0: float, y1: float, finished: bool) -> None:
        names = self.axis_names()
        x = round(x0)
        if abs(x0 - x) > REACH or not 0 <= x < len(names) or not len(self._numbers):
            return
        low, high = sorted((float(np.clip(y0, 0, 1)), float(np.clip(y1, 0, 1))))
        if high - low < 0.004:
            if finished:
                self.clear_brush(names[x])
            return
        self.set_brush(names[x], low, high)

    def _on_click(self, scene_pos: QPointF, double: bool) -> None:
        closer = self._marks.closer_at(scene_pos)
        names = self.axis_names()
        if closer is not None:
            self.clear_brush(names[closer])
            return
        view = self.plot.getPlotItem().getViewBox()
        point = view.mapSceneToView(scene_pos)
        if double:
            x = round(point.x())
            if abs(point.x() - x) <= REACH and 0 <= x < len(names):
                self.clear_brush(names[x])
            return
        tolerance = PICK_PIXELS * view.viewPixelSize()[1]
        drawn = self._drawn  # what the user sees: not a line left out of the sample
        row = nearest_line(self._pos[drawn], point.x(), point.y(), tolerance,
                           self._kept[drawn])
        if row >= 0:
            self._study.select(int(self._numbers[drawn[row]]))

    # --- live ---------------------------------------------------------------------------
    def _on_reset(self) -> None:
        self._brush = {}
        self._redraw.reset()
