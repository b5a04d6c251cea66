"""One cached picture of every finished trial's loss curve.

Drawing 200 curves x 100 epochs costs ~15 ms per frame in Qt's raster engine (measured on the
CI-class machine), yet finished curves never change. Their per-trial PlotDataItems stay (they
are created once and own the data) but are hidden; this single item paints their paths with
``DeviceCoordinateCache``, so a live frame blits one pixmap and only the running curves are
stroked. A trial stopped after its first epoch (pruned early) has no line to draw and is
painted as a dot. The cache is rebuilt when a trial joins or leaves, when a member's data is
replaced (log axis, train/validation switch) or when the view zooms.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem

DOT_PIXELS = 4.0
"""Diameter of the dot that stands for a one-epoch curve."""


class CurveLayer(pg.GraphicsObject):
    """Paints the curves of its member PlotDataItems (which themselves stay hidden)."""

    def __init__(self) -> None:
        super().__init__()
        self._members: dict[int, pg.PlotDataItem] = {}
        self._rect = QRectF()
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def __contains__(self, number: object) -> bool:
        return number in self._members

    def __len__(self) -> int:
        return len(self._members)

    def add(self, number: int, item: pg.PlotDataItem) -> None:
        """Draw ``item``'s curve here from now on and hide the item (then :meth:`refresh`)."""
        item.hide()
        self._members[number] = item

    def remove(self, number: int) -> None:
        """Show trial ``number``'s own item again, e.g. when it re-runs (then :meth:`refresh`)."""
        item = self._members.pop(number, None)
        if item is not None:
            item.show()

    def clear(self) -> None:
        """Forget every member (their items are removed from the plot by the caller)."""
        self._members.clear()
        self.refresh()

    def refresh(self) -> None:
        """Recompute the bounds and repaint: a member joined, left or got new data."""
        rects = []
        for item in self._members.values():
            x, y = item.getData()
            if x is None or len(x) == 0:
                continue
            finite = np.isfinite(y)
            if finite.any():
                rects.append((x[0], x[-1], float(y[finite].min()), float(y[finite].max())))
        self.prepareGeometryChange()
        if rects:
            a = np.array(rects)
            left, right, low, high = a[:, 0].min(), a[:, 1].max(), a[:, 2].min(), a[:, 3].max()
            pad_x, pad_y = 0.01 * (right - left or 1.0), 0.01 * (high - low or 1.0)
            self._rect = QRectF(left - pad_x, low - pad_y, right - left + 2 * pad_x,
                                high - low + 2 * pad_y)
        else:
            self._rect = QRectF()
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(self._rect)

    def paint(self, painter: QPainter, *_: object) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for item in self._members.values():
            curve = item.curve
            if curve.xData is None or len(curve.xData) == 0:
                continue
            if len(curve.xData) == 1:  # stopped after one epoch (pruned early): a dot
                x, y = float(curve.xData[0]), float(curve.yData[0])
                if math.isfinite(x) and math.isfinite(y):
                    painter.setPen(_dot_pen(curve.opts["pen"]))
                    painter.drawPoint(QPointF(x, y))
                continue
            painter.setPen(curve.opts["pen"])
            painter.drawPath(curve.getPath())


def _dot_pen(pen: QPen) -> QPen:
    """A round cosmetic pen DOT_PIXELS wide in ``pen``'s colour, to draw a one-epoch curve."""
    dot = QPen(pen)
    dot.setStyle(Qt.PenStyle.SolidLine)
    dot.setWidthF(DOT_PIXELS)
    dot.setCapStyle(Qt.PenCapStyle.RoundCap)
    dot.setCosmetic(True)
    return dot
