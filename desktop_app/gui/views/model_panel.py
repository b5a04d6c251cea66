"""The selected trial's model: its confusion matrix on the validation set and, for data with
two features, its decision boundary over the data (as TensorFlow Playground draws it).

The models come from the study file (the best ``keep_weights`` trials keep theirs) through
``weights(number)``; panda mode builds a panel without a study and hands it its live network
(:meth:`ModelPanel.show_network`). With no trial selected the best trial's model is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop_app.core.analysis import ModelView, model_view, network_from_weights
from desktop_app.core.data import Split
from desktop_app.core.errors import CaviarError
from desktop_app.core.nn import Network
from desktop_app.gui.frame import frame_timer
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.style.plot_style import style_plot
from desktop_app.gui.views.plot_hint import with_hint

CLASS_COLORS = ((76, 120, 168), (245, 133, 24), (84, 162, 75), (228, 87, 86), (178, 121, 162),
                (114, 183, 178), (238, 202, 59), (157, 117, 93), (255, 157, 166), (186, 176, 172))
SHARE_LUT = pg.colormap.get("viridis").getLookupTable()
"""Colours of the confusion matrix: the share of each true class predicted as each class."""
Weights = Callable[[int], bytes | None]
EMPTY = ("<b>What the model does.</b><br><br>Select a trial: its confusion matrix on the "
         "validation set shows here, and for data with two features its decision boundary. "
         "A study keeps the models of its best trials ([study] keep_weights, default 5).")


def class_color(k: int, alpha: int = 255) -> tuple[int, int, int, int]:
    """The colour of class ``k`` (the same in both plots)."""
    return (*CLASS_COLORS[k % len(CLASS_COLORS)], alpha)


class ModelPanel(QWidget):
    """Confusion matrix and decision boundary of one model: the selected (else the best)
    trial's of ``study_model``, or without one only what :meth:`show_network` is given."""

    def __init__(self, study_model: StudyModel | None = None, parent: QWidget | None = None,
                 empty: str = EMPTY) -> None:
        super().__init__(parent)
        self._study = study_model
        self._weights: Weights | None = None
        self._split: Callable[[], Split] | None = None
        self.view: ModelView | None = None
        """What is drawn now (None: nothing)."""
        self.shown_number: int | None = None
        self.title = QLabel()
        self.confusion = pg.PlotWidget()
        self.boundary = pg.PlotWidget()
        for plot in (self.confusion, self.boundary):
            style_plot(plot, self.palette())
            plot.setAspectLocked(True)
            plot.setMenuEnabled(False)
        self.confusion.invertY(True)
        self.confusion.setLabel("left", "true class")
        self.confusion.setLabel("bottom", "predicted class")
        self.matrix = pg.ImageItem(axisOrder="row-major")
        self.confusion.addItem(self.matrix)
        self._counts: list[pg.TextItem] = []
        self.surface = pg.ImageItem(axisOrder="row-major")
        self.points = pg.ScatterPlotItem(size=5, pen=pg.mkPen(30, 30, 30, 120))
        self.boundary.addItem(self.surface)
        self.boundary.addItem(self.points)
        self.boundary.setLabel("bottom", "feature 1 (standardised)")
        self.boundary.setLabel("left", "feature 2 (standardised)")
        plots = QHBoxLayout()
        plots.addWidget(self.confusion)
        plots.addWidget(self.boundary)
        inner = QWidget()
        inner.setLayout(plots)
        box, self.hint = with_hint(inner, empty)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(box, 1)
        self._timer = frame_timer(self, self._refresh)
        if study_model is not None:
            for signal in (study_model.reset, study_model.selection_changed,
                           study_model.trials_changed):
                signal.connect(self._schedule)
        self._draw(None, "")

    def set_source(self, weights: Weights | None, split: Callable[[], Split] | None) -> None:
        """Where kept models (``weights(number)``) and the validation data come from; None
        for a study whose trainer is the user's own (Caviar cannot run that model)."""
        self._weights, self._split = weights, split
        self.shown_number = None
        self._schedule()

    def show_network(self, net: Network, split: Split, title: str) -> None:
        """Draw a live network (panda mode) now, on ``split``'s data."""
        self._draw(model_view(net, split), title, split)

    def clear(self, text: str) -> None:
        """Draw nothing, saying ``text`` (rich text) instead."""
        self._draw(None, text)

    def _schedule(self, *_: Any) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def _refresh(self) -> None:
        if self._study is None:
            return
        number = self._study.selected()
        if number is None:
            number = self._study.best_number()
        if number == self.shown_number and self.view is not None:
            return
        self.shown_number = number
        if number is None:
            self._draw(None, "")
            return
        if self._weights is None or self._split is None:
            self._draw(None, f"Trial {number}: Caviar draws the models of its own network; "
                             "your trainer's saved arrays export with 'caviar weights'.")
            return
        data = self._weights(number)
        if data is None:
            self._draw(None, f"No model is stored for trial {number}: a study keeps the "
                             "models of its few best trials only ([study] keep_weights; 0 "
                             "keeps none, and a study made elsewhere may hold none).")
            return
        try:
            split = self._split()
            view = model_view(network_from_weights(data, f"trial {number}'s model"), split)
        except CaviarError as exc:
            self._draw(None, f"Trial {number}: {exc}")
            return
        self._draw(view, f"Trial {number}", split)

    def _draw(self, view: ModelView | None, title: str, split: Split | None = None) -> None:
        self.view = view
        self.hint.setVisible(view is None)
        self.confusion.setVisible(view is not None)  # no bare axes behind the hint
        self.boundary.setVisible(view is not None and view.boundary is not None)
        if view is None:
            if title:
                self.hint.setText(title)
            self.title.setText("")
            self.matrix.clear()
            self.surface.clear()
            self.points.setData([], [])
            return
        self.title.setText(f"{title}: validation accuracy {view.accuracy:.1%}")
        self._draw_confusion(view)
        self._draw_boundary(view, split)

    def _draw_confusion(self, view: ModelView) -> None:
        counts = view.confusion
        k = len(counts)
        share = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
        self.matrix.setImage(share, levels=(0.0, 1.0), lut=SHARE_LUT)
        self.matrix.setRect(QRectF(-0.5, -0.5, k, k))
        if len(self._counts) != k * k:  # the same classes (a live model): texts reused
            for item in self._counts:
                self.confusion.removeItem(item)
            self._counts = []
            for i in range(k):
                for j in range(k):
                    text = pg.TextItem(anchor=(0.5, 0.5))
                    text.setPos(j, i)
                    self.confusion.addItem(text)
                    self._counts.append(text)
        for text, count, part in zip(self._counts, counts.ravel(), share.ravel(), strict=True):
            text.setText(str(int(count)), color="w" if part < 0.6 else "k")
        ticks = [[(i, name) for i, name in enumerate(view.class_names)]]
        self.confusion.getAxis("bottom").setTicks(ticks)
        self.confusion.getAxis("left").setTicks(ticks)

    def _draw_boundary(self, view: ModelView, split: Split | None) -> None:
        b = view.boundary
        if b is None or split is None:
            return
        colors = np.array([class_color(k) for k in range(len(view.class_names))], dtype=float)
        rgba = colors[b.classes]
        rgba[..., 3] = 255 * (b.confidence - 0.3).clip(0.1, 0.7)  # pale near the boundary
        self.surface.setImage(rgba.astype(np.ubyte))
        dx, dy = b.xs[1] - b.xs[0], b.ys[1] - b.ys[0]
        self.surface.setRect(QRectF(b.xs[0] - dx / 2, b.ys[0] - dy / 2,
                                    dx * len(b.xs), dy * len(b.ys)))
        self.points.setData(split.X_val[:, 0], split.X_val[:, 1],
                            brush=[pg.mkBrush(*class_color(int(k))) for k in split.y_val])
