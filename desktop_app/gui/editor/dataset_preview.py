"""A small preview of the chosen dataset: a class-coloured scatter for 2-D sets, else a summary.

It loads the data with the core's ``load_dataset`` (memoised there), so a broken file shows the
core's ``DataError`` text right under the dataset picker.
"""

from __future__ import annotations

from html import escape

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop_app.core.data import DataSpec, load_dataset
from desktop_app.core.errors import CaviarError
from desktop_app.gui.style.plot_style import style_plot

CLASS_COLORS = ((31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
                (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207))
MAX_POINTS = 2000


class DatasetPreview(QWidget):
    """Shows a :class:`DataSpec`: scatter (2 features) or shape and class counts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.plot = pg.PlotWidget()
        self.plot.setFixedHeight(150)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.getPlotItem().hideAxis("left")
        self.plot.getPlotItem().hideAxis("bottom")
        self.plot.setAspectLocked(True)
        style_plot(self.plot, self.palette())
        self.plot.setToolTip("The training data: each dot is an example, its colour its class")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setToolTip("Size of the dataset and how many examples each class has")
        layout.addWidget(self.plot)
        layout.addWidget(self.summary)
        self._items: list[pg.PlotDataItem] = []
        self.problem: str | None = None

    def changeEvent(self, event: QEvent) -> None:
        """Follow the light/dark palette."""
        if event.type() == QEvent.Type.PaletteChange:
            style_plot(self.plot, self.palette())
        super().changeEvent(event)

    def show_spec(self, spec: DataSpec) -> None:
        """Load ``spec`` and draw it; a ``CaviarError`` is shown instead of a plot."""
        for item in self._items:
            self.plot.removeItem(item)
        self._items.clear()
        try:
            data = load_dataset(spec)
        except CaviarError as exc:
            self.problem = str(exc)
            self.plot.setVisible(False)
            self.summary.setText(f"<span style='color:#d64541'>{escape(self.problem)}</span>")
            return
        self.problem = None
        counts = np.bincount(data.y, minlength=len(data.class_names))
        classes = ", ".join(f"{name}: {count}" for name, count in
                            zip(data.class_names, counts, strict=False))
        m, n = data.X.shape
        self.summary.setText(f"{m} examples, {n} features, {len(data.class_names)} classes "
                             f"({classes})")
        two_d = n == 2
        self.plot.setVisible(two_d)
        if not two_d:
            return
        step = max(1, m // MAX_POINTS)
        X, y = data.X[::step], data.y[::step]
        for k in range(len(data.class_names)):
            color = CLASS_COLORS[k % len(CLASS_COLORS)]
            pts = X[y == k]
            self._items.append(self.plot.plot(pts[:, 0], pts[:, 1], pen=None, symbol="o",
                                              symbolSize=4, symbolPen=None,
                                              symbolBrush=pg.mkBrush(*color, 200)))
        self.plot.autoRange()
