"""The map: one searched parameter against another, each on its own scale, every finished
trial a point coloured by the study metric (worse to better); the best trial ringed green,
the selected one magenta. A right drag (or Shift + drag) keeps the points in a rectangle,
announced by ``brushed``. An optional surface behind shows the mean metric per grid cell.

Points are drawn by one ``ScatterPlotItem`` per colour bin, plus one for the points outside
the rectangle (faded); past :data:`~.map_density.DENSE_POINTS` as an image at the view's
resolution with the best trials as markers over it (the view says so). Hover and clicks find
the nearest trial among all of them; the rectangle keeps from all of them. Redraws ~30 Hz at
most, and not while hidden (:mod:`~.rows_redraw`).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF, Signal
from PySide6.QtGui import QColor, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.style.plot_style import BEST_COLOR, SELECTED_COLOR, legend_entry, style_plot
from desktop_app.gui.views import map_density as dense
from desktop_app.gui.views.map_axes import MapAxis, to_view
from desktop_app.gui.views.map_select import RectSelectBox, selection_rect
from desktop_app.gui.views.map_surface import surface, surface_cells
from desktop_app.gui.views.metric_colours import BINS, MetricColours, is_dark
from desktop_app.gui.views.parallel_axes import one_value_note
from desktop_app.gui.views.parallel_data import TrialRows
from desktop_app.gui.views.param_axis import ParamAxis
from desktop_app.gui.views.plot_hint import with_hint
from desktop_app.gui.views.point_tip import point_tip
from desktop_app.gui.views.rows_redraw import RowsRedraw
from desktop_app.gui.views.view_hints import empty_reason

INTRO = ("<b>One point per finished trial will appear here.</b><br><br>Choose two "
         "hyperparameters above: each axis shows one on its own scale, and the colour how good "
         "the trial was. Look for the region where the best points gather. Drag with the right "
         "button (or Shift held) to keep the points in a rectangle.")
HELP = "Right-drag or Shift-drag to keep the points in a rectangle; click a point to select it."
PICK_PIXELS = 8
"""Hover or a click this close (in pixels) to a point finds its trial."""


class MapView(QWidget):
    """Two parameters against each other, points coloured by the metric."""

    brushed = Signal(object)
    """The kept trial numbers (a sorted list) when they change."""

    def __init__(self, study_model: StudyModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._study = study_model
        self._rows = TrialRows(study_model)
        self._colours = MetricColours()
        self._rect: QRectF | None = None
        self._numbers = np.zeros(0, dtype=int)
        self._xs = self._ys = self._values = np.zeros(0)
        self._kept = np.zeros(0, dtype=bool)
        self._last_kept: np.ndarray | None = None
        self._caption = self._one_value = ""
        self._range_key: object = None
        self._redraw = RowsRedraw(self, self._rows, self.flush, lambda: self._rect is not None)
        self._build()
        study_model.reset.connect(self._on_reset)
        study_model.trials_added.connect(self._redraw.add)
        study_model.trials_changed.connect(self._redraw.add)
        study_model.selection_changed.connect(self._redraw.schedule_marks)
        study_model.best_changed.connect(self._redraw.schedule_marks)
        self._redraw.schedule()

    # --- construction -------------------------------------------------------------------
    def _build(self) -> None:
        self.x_box, self.y_box = QComboBox(), QComboBox()
        for box, side in ((self.x_box, "x"), (self.y_box, "y")):
            box.setToolTip(f"The hyperparameter on the {side} axis, drawn on its own scale")
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            box.currentIndexChanged.connect(self._on_axes_chosen)
        self.surface_box = QCheckBox("surface")
        self.surface_box.setToolTip("Colour the background by the mean metric of the trials "
                                    "in each cell of a coarse grid")
        self.surface_box.toggled.connect(self._redraw.schedule)
        self._kept_label = QLabel(HELP)
        self._clear = QPushButton("Clear rectangle")
        self._clear.clicked.connect(self.clear_rect)
        self._clear.setVisible(False)
        self._legend = QLabel()
        for label in (self._legend, self._kept_label):
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        bar = QHBoxLayout()
        for text, widget in (("x:", self.x_box), ("y:", self.y_box)):
            bar.addWidget(QLabel(text))
            bar.addWidget(widget)
        bar.addWidget(self.surface_box)
        bar.addWidget(self._kept_label, 1)
        bar.addWidget(self._clear)
        self._box = RectSelectBox()
        self._box.on_rect, self._box.on_clear = self._on_rect, self.clear_rect
        self._box.on_pick = self._on_pick
        bottom, left = ParamAxis("bottom"), ParamAxis("left")
        self.plot = pg.PlotWidget(viewBox=self._box, axisItems={"bottom": bottom, "left": left})
        self.plot.setToolTip(HELP)
        item = self.plot.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        self._x, self._y = MapAxis(item, bottom, "bottom"), MapAxis(item, left, "left")
        self._image = pg.ImageItem()
        self._image.setZValue(-10)
        item.addItem(self._image, ignoreBounds=True)
        self._dense = dense.PointImage(item)
        self._box.sigRangeChanged.connect(self._on_range)
        self._box.sigResized.connect(self._on_range)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse)
        self._faded = self._points(0, 6)
        self._bin_items = [self._points(1 + b, 8) for b in range(BINS)]
        self._best = self._points(30, 16, pg.mkPen(BEST_COLOR, width=2.5))
        self._selected = self._points(31, 21, pg.mkPen(SELECTED_COLOR, width=2.5))
        for ring in (self._best, self._selected):
            ring.setBrush(None)
        self._rect_item = selection_rect(item)
        box, self._hint = with_hint(self.plot, INTRO)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self._legend)
        layout.addWidget(box, 1)
        self._restyle()

    def _points(self, z: float, size: float, pen: object = None) -> pg.ScatterPlotItem:
        points = pg.ScatterPlotItem(symbol="o", size=size, pen=pen)
        points.setZValue(z)
        points.sigClicked.connect(self._on_clicked)
        self.plot.getPlotItem().addItem(points)
        return points

    def _restyle(self) -> None:
        style_plot(self.plot, self.palette())
        self._colours.set_dark(is_dark(self.palette()))
        for b, points in enumerate(self._bin_items):
            points.setBrush(pg.mkBrush(self._colours.colors[b]))
        self._faded.setBrush(pg.mkBrush(QColor(128, 128, 128, 70)))

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
    def set_axes(self, x: str, y: str) -> None:
        """Put parameter ``x`` on the x axis and ``y`` on the y axis."""
        self.x_box.setCurrentIndex(self.x_box.findData(x))
        self.y_box.setCurrentIndex(self.y_box.findData(y))

    def point_items(self) -> list[pg.ScatterPlotItem]:
        """The items of the kept points, one per colour bin, worst first."""
        return list(self._bin_items)

    def faded_item(self) -> pg.ScatterPlotItem:
        """The points outside the rectangle."""
        return self._faded

    def ring_items(self) -> tuple[pg.ScatterPlotItem, pg.ScatterPlotItem]:
        """The best trial's green ring and the selected trial's magenta one."""
        return self._best, self._selected

    def surface_item(self) -> pg.ImageItem:
        """The surface image (empty while the checkbox is off)."""
        return self._image

    def view_points(self) -> dict[int, tuple[float, float]]:
        """Trial number -> (x, y) in view coordinates (log10 on a log axis)."""
        return {int(n): (float(x), float(y))
                for n, x, y in zip(self._numbers, self._xs, self._ys, strict=True)}

    def kept_numbers(self) -> list[int]:
        """Sorted numbers of the drawn points inside the rectangle (all without one)."""
        return np.sort(self._numbers[self._kept]).tolist()

    def sample_caption(self) -> str:
        """What the view says while it draws its points as an image (else empty)."""
        return self._caption

    def point_image(self) -> pg.ImageItem:
        """The image of the points (empty unless there are many)."""
        return self._dense.item

    def set_rect(self, rect: QRectF | None) -> None:
        """Keep the points inside ``rect`` (view coordinates); None keeps every point."""
        self._rect = None if rect is None else QRectF(rect).normalized()
        self._draw_points()
        self._announce()

    def clear_rect(self) -> None:
        """Keep every point again."""
        self.set_rect(None)

    def has_rect(self) -> bool:
        """Whether a rectangle keeps some points now."""
        return self._rect is not None

    def flush(self) -> None:
        """Redraw now (the 30 Hz timer calls this while the view is shown)."""
        rebuilt = self._redraw.take()
        if rebuilt is None:
            self._draw_rings()  # only the selection or the best trial changed
            if self._dense.shown:  # the view moved: the image follows at its resolution
                self._draw_image()
            return
        if rebuilt:
            self._fill_boxes()
        self._place()
        self._draw_points()
        self._draw_surface()
        self._announce()

    # --- drawing ------------------------------------------------------------------------
    def _fill_boxes(self) -> None:
        names = [spec.name for spec in self._rows.specs]
        for box, default in ((self.x_box, 0), (self.y_box, 1)):
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            for name in names:
                box.addItem(name, name)
            index = box.findData(current)
            box.setCurrentIndex(index if index >= 0 else min(default, len(names) - 1))
            box.blockSignals(False)

    def _place(self) -> None:
        """View coordinates of every drawn trial on the chosen axes; the axes and range."""
        numbers, internal = self._rows.arrays()
        self._colours.fit(internal[:, -1], self._study.direction)
        names = [spec.name for spec in self._rows.specs]
        chosen = (self.x_box.currentData(), self.y_box.currentData())
        if len(names) >= 2 and chosen[0] in names and chosen[1] in names:
            columns = [names.index(name) for name in chosen]
            coords = []
            for axis, j in zip((self._x, self._y), columns, strict=True):
                if axis.show(self._rows.specs[j]):
                    self._rect = None
                coords.append(to_view(self._rows.specs[j], internal[:, j], numbers))
            ok = np.isfinite(coords[0]) & np.isfinite(coords[1])
            self._one_value = one_value_note([self._rows.specs[j] for j in columns],
                                             internal[ok][:, columns])
        else:
            coords, ok = [np.zeros(len(numbers))] * 2, np.zeros(len(numbers), dtype=bool)
        self._numbers = numbers[ok]
        self._xs, self._ys = coords[0][ok], coords[1][ok]
        self._values = internal[ok, -1]
        reason = empty_reason(self._study, len(numbers), INTRO)
        if reason is None and len(names) < 2:
            reason = ("<b>The map shows one hyperparameter against another,</b> but this study "
                      f"searches only {names[0]}. The parallel view and the scatter show it "
                      "against the metric.")
        self._hint.setVisible(reason is not None)
        self._hint.setText(reason or "")
        if self._x.spec is not None and self._y.spec is not None:
            spans = (self._x.span(self._xs), self._y.span(self._ys))
            key = (self._x.spec, self._y.spec, spans)
            if key != self._range_key:
                self._range_key = key
                self._box.setRange(xRange=spans[0], yRange=spans[1], padding=0)
        marks = (legend_entry(BEST_COLOR, "&#9711;", "best") + " &nbsp;"
                 + legend_entry(SELECTED_COLOR, "&#9711;", "selected"))
        self._legend.setText(self._colours.legend_html(self._study.metric) + " &nbsp;" + marks)

    def _draw_points(self) -> None:
        """Kept points by colour bin, the others faded; the rings and the rectangle."""
        rect = self._rect
        if rect is None:
            self._kept = np.ones(len(self._numbers), dtype=bool)
        else:
            self._kept = ((self._xs >= rect.left()) & (self._xs <= rect.right())
                          & (self._ys >= rect.top()) & (self._ys <= rect.bottom()))
        count = len(self._numbers)
        bins = self._colours.bins(self._values)
        kept, faded = np.flatnonzero(self._kept), np.flatnonzero(~self._kept)
        self._caption = ""
        if count > dense.DENSE_POINTS:  # the image, with the best trials as markers on top
            kept = dense.best_rows(kept, self._colours.goodness(self._values))
            faded = faded[:0]
            self._caption = dense.dense_caption(count, len(kept))
            self._draw_image(bins)
        else:
            self._dense.clear()
        size = 8 if count <= 2000 else 5
        # over the image, the best trials' markers are edged, else they vanish in their cells
        edge = pg.mkPen(self.palette().color(QPalette.ColorRole.Base)) if self._caption else None
        for b, points in enumerate(self._bin_items):
            rows = kept[bins[kept] == b]
            points.setData(x=self._xs[rows], y=self._ys[rows], data=self._numbers[rows],
                           size=7 if edge else size, pen=edge)
        self._faded.setData(x=self._xs[faded], y=self._ys[faded], data=self._numbers[faded])
        self._draw_rings()
        self._rect_item.setVisible(rect is not None)
        if rect is not None:
            self._rect_item.setRect(rect)
        words = [f"keeping {int(self._kept.sum()):,} of {count:,} trials"] if rect else []
        words += [w for w in (self._caption, self._one_value) if w]
        self._kept_label.setText("; ".join(words) or HELP)
        self._clear.setVisible(rect is not None)

    def _draw_image(self, bins: np.ndarray | None = None) -> None:
        bins = self._colours.bins(self._values) if bins is None else bins
        self._dense.draw(self._xs, self._ys, bins, self._kept, self._box, self._colours)

    def _draw_rings(self) -> None:
        for ring, number in ((self._best, self._study.best_number()),
                             (self._selected, self._study.selected())):
            rows = np.flatnonzero(self._numbers == number) if number is not None else []
            ring.setData(x=self._xs[rows], y=self._ys[rows], data=self._numbers[rows])

    def _draw_surface(self) -> None:
        if not self.surface_box.isChecked() or self._x.spec is None or len(self._numbers) < 2:
            self._image.clear()
            return
        cells = [surface_cells(axis.spec, axis.span(coords))
                 for axis, coords in ((self._x, self._xs), (self._y, self._ys))]
        image, where = surface(self._xs, self._ys, self._values, cells[0], cells[1],
                               self._colours)
        self._image.setImage(image, autoLevels=False, levels=(0, 255))
        self._image.setRect(where)

    # --- interaction --------------------------------------------------------------------
    def _on_rect(self, rect: QRectF, finished: bool) -> None:
        self.set_rect(rect)

    def _nearest(self, scene_pos: object) -> int:
        """The trial number nearest ``scene_pos`` within PICK_PIXELS, or -1."""
        if not self._box.sceneBoundingRect().contains(scene_pos):
            return -1
        point = self._box.mapSceneToView(scene_pos)
        row = dense.nearest_point(self._xs, self._ys, point.x(), point.y(),
                            self._box.viewPixelSize(), PICK_PIXELS)
        return int(self._numbers[row]) if row >= 0 else -1

    def _on_mouse(self, scene_pos: object) -> None:
        number = self._nearest(scene_pos)
        self._box.setToolTip(point_tip(self._study, number) if number >= 0 else "")

    def _on_pick(self, scene_pos: object) -> None:
        number = self._nearest(scene_pos)
        if number >= 0:
            self._study.select(number)

    def _on_range(self, *_: object) -> None:
        if self._dense.shown:
            self._redraw.schedule_marks()

    def _on_clicked(self, _item: object, points: object, _event: object = None) -> None:
        if len(points):
            self._study.select(int(points[0].data()))

    def _announce(self) -> None:
        kept = np.sort(self._numbers[self._kept])
        if self._last_kept is None or not np.array_equal(kept, self._last_kept):
            self._last_kept = kept
            self.brushed.emit(kept.tolist())

    # --- live ---------------------------------------------------------------------------
    def _on_axes_chosen(self, *_: object) -> None:
        self._rect = None
        self._redraw.schedule()

    def _on_reset(self) -> None:
        self._rect = None
        self._x.spec = self._y.spec = None
        self._redraw.reset()
