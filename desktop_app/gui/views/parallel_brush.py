"""Mouse and marks of the parallel view's brushes: a view box that turns a vertical drag into a
range on the axis under it (and a click into a pick), and the translucent rectangles that
show the kept ranges, each with a small ✕ that clears it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem

HALF_WIDTH = 0.07
"""Half the width of a brush rectangle, in axis spacings."""
REACH = 0.35
"""A drag starting this close to an axis (in axis spacings) brushes it."""
BRUSH_COLOR = "#f58518"


class BrushBox(pg.ViewBox):
    """A fixed view (no pan or zoom): a left drag calls ``on_drag(x0, y0, y1, finished)`` in
    view coordinates, a left click ``on_click(scene_pos, double)``."""

    def __init__(self) -> None:
        super().__init__(enableMenu=False)
        self.setMouseEnabled(False, False)
        self.on_drag: Callable[[float, float, float, bool], None] = lambda *_: None
        self.on_click: Callable[[QPointF, bool], None] = lambda *_: None

    def mouseDragEvent(self, ev: Any, axis: Any = None) -> None:
        """Brush with the left button; ignore the others."""
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
        start = self.mapSceneToView(ev.buttonDownScenePos())
        now = self.mapSceneToView(ev.scenePos())
        self.on_drag(start.x(), start.y(), now.y(), ev.isFinish())

    def mouseClickEvent(self, ev: Any) -> None:
        """Pick a line (or a ✕) with the left button."""
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
        self.on_click(ev.scenePos(), ev.double())

    def wheelEvent(self, ev: Any, axis: Any = None) -> None:
        """No zoom: the axes always fill the view."""
        ev.ignore()


class BrushMarks:
    """The rectangles of the kept ranges on a plot, one per brushed axis."""

    def __init__(self, plot_item: pg.PlotItem) -> None:
        self._plot = plot_item
        self._marks: dict[int, tuple[QGraphicsRectItem, pg.TextItem]] = {}
        fill = QColor(BRUSH_COLOR)
        fill.setAlpha(60)
        self._brush = QBrush(fill)
        self._pen = QPen(QColor(BRUSH_COLOR), 1.5)
        self._pen.setCosmetic(True)

    def show(self, ranges: dict[int, tuple[float, float]]) -> None:
        """Draw a rectangle over axis ``x`` from ``low`` to ``high`` (both on [0, 1]) for
        every ``x -> (low, high)``; take away the others."""
        for x in [x for x in self._marks if x not in ranges]:
            rect, close = self._marks.pop(x)
            self._plot.removeItem(rect)
            self._plot.removeItem(close)
        for x, (low, high) in ranges.items():
            if x not in self._marks:
                rect = QGraphicsRectItem()
                rect.setBrush(self._brush)
                rect.setPen(self._pen)
                rect.setZValue(25)
                close = pg.TextItem(html=f'<b style="color:{BRUSH_COLOR}; font-size:11pt">'
                                         "\u2715</b>", anchor=(0.5, 1.0))
                close.setZValue(45)
                close.setToolTip("Clear this range")
                self._plot.addItem(rect, ignoreBounds=True)
                self._plot.addItem(close, ignoreBounds=True)
                self._marks[x] = (rect, close)
            rect, close = self._marks[x]
            rect.setRect(QRectF(x - HALF_WIDTH, low, 2 * HALF_WIDTH, high - low))
            close.setPos(x, high)

    def closer_at(self, scene_pos: QPointF) -> int | None:
        """The axis whose ✕ is at ``scene_pos``, or None."""
        for x, (_, close) in self._marks.items():
            if close.sceneBoundingRect().adjusted(-3, -3, 3, 3).contains(scene_pos):
                return x
        return None

    def rects(self) -> dict[int, QRectF]:
        """Axis -> its rectangle, in view coordinates (for tests and screenshots)."""
        return {x: rect.rect() for x, (rect, _) in self._marks.items()}
