"""One cached picture of the finished trials' loss curves drawn as lines.

Drawing 200 curves x 100 epochs costs ~15 ms per frame in Qt's raster engine (measured on the
CI-class machine), yet finished curves never change. This single item holds each member's
arrays and path (no PlotDataItem per trial: pyqtgraph's ``addItem`` walks every item already
added, so n items cost O(n^2) -- 14 of 17 s opening 3,000 trials) and paints them with
``DeviceCoordinateCache``, so a live frame blits one pixmap and only the running curves are
stroked. A trial stopped after its first epoch (pruned early) has no line to draw and is
painted as a dot. The cache is rebuilt when a trial joins or leaves, when a member's data is
replaced (log axis, train/validation switch) or when the view zooms. y arrives as drawn (the
caller takes log10 on a log axis: this item is not a PlotDataItem and knows no log mode).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem

DOT_PIXELS = 4.0
"""Diameter of the dot that stands for a one-epoch curve."""


class CurveLayer(pg.GraphicsObject):
    """Paints its members' curves: trial number -> (x, y, pen)."""

    def __init__(self) -> None:
        super().__init__()
        self._members: dict[int, tuple[np.ndarray, np.ndarray, QPen, QPainterPath | None]] = {}
        self._rect = QRectF()
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def __contains__(self, number: object) -> bool:
        return number in self._members

    def __len__(self) -> int:
        return len(self._members)

    def numbers(self) -> list[int]:
        """Member trial numbers."""
        return list(self._members)

    def data(self, number: int) -> tuple[np.ndarray, np.ndarray]:
        """Member ``number``'s x and y as drawn (``KeyError`` if not a member)."""
        x, y, _, _ = self._members[number]
        return x, y

    def pen(self, number: int) -> QPen:
        """Member ``number``'s pen (``KeyError`` if not a member)."""
        return self._members[number][2]

    def add(self, number: int, x: np.ndarray, y: np.ndarray, pen: QPen) -> None:
        """Draw trial ``number``'s curve here (replacing its old one; then :meth:`refresh`)."""
        x, y = np.array(x, dtype=float), np.array(y, dtype=float)
        path = pg.arrayToQPath(x, y, connect="finite") if len(x) > 1 else None
        self._members[number] = (x, y, pen, path)

    def remove(self, number: int) -> None:
        """Stop drawing trial ``number``, e.g. when it re-runs (then :meth:`refresh`)."""
        self._members.pop(number, None)

    def clear(self) -> None:
        """Forget every member."""
        self._members.clear()
        self.refresh()

    def refresh(self) -> None:
        """Recompute the bounds and repaint: a member joined, left or got new data."""
        rects = []
        for x, y, _, _ in self._members.values():
            finite = np.isfinite(y)
            if len(x) and finite.any():
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
        for x, y, pen, path in self._members.values():
            if path is not None:
                painter.setPen(pen)
                painter.drawPath(path)
            elif len(x) == 1 and math.isfinite(x[0]) and math.isfinite(y[0]):
                painter.setPen(_dot_pen(pen))  # stopped after one epoch: a dot
                painter.drawPoint(QPointF(float(x[0]), float(y[0])))


def _dot_pen(pen: QPen) -> QPen:
    """A round cosmetic pen DOT_PIXELS wide in ``pen``'s colour, to draw a one-epoch curve."""
    dot = QPen(pen)
    dot.setStyle(Qt.PenStyle.SolidLine)
    dot.setWidthF(DOT_PIXELS)
    dot.setCapStyle(Qt.PenCapStyle.RoundCap)
    dot.setCosmetic(True)
    return dot
