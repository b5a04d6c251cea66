"""Rectangle selection on the map: a right-button drag, or a left drag with Shift held, draws
a rectangle; the ordinary left drag and the wheel still pan and zoom."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem

from desktop_app.gui.views.parallel_brush import BRUSH_COLOR


class RectSelectBox(pg.ViewBox):
    """A view box that reports rectangle drags as ``on_rect(rect, finished)`` in view
    coordinates, a double click on the background as ``on_clear()`` and a left click beside
every marker as ``on_pick(scene_pos)``."""

    def __init__(self) -> None:
        super().__init__(enableMenu=False)
        self.on_rect: Callable[[QRectF, bool], None] = lambda *_: None
        self.on_clear: Callable[[], None] = lambda: None
        self.on_pick: Callable[[QPointF], None] = lambda _pos: None

    def mouseDragEvent(self, ev: Any, axis: Any = None) -> None:
        """Right drag or Shift + left drag: a rectangle; else pan as usual."""
        shift = bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        button = ev.button()
        if button == Qt.MouseButton.RightButton or (
                button == Qt.MouseButton.LeftButton and shift):
            ev.accept()
            start = self.mapSceneToView(ev.buttonDownScenePos())
            now = self.mapSceneToView(ev.scenePos())
            self.on_rect(QRectF(start, now).normalized(), ev.isFinish())
            return
        super().mouseDragEvent(ev, axis)

    def mouseClickEvent(self, ev: Any) -> None:
        """A double click clears the rectangle; right clicks open no menu."""
        if ev.double() and ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self.on_clear()
            return
        if ev.button() == Qt.MouseButton.RightButton:
            ev.accept()
            return
        if ev.button() == Qt.MouseButton.LeftButton:  # not on a marker: the nearest trial
            ev.accept()
            self.on_pick(ev.scenePos())
            return
        super().mouseClickEvent(ev)


def selection_rect(plot_item: pg.PlotItem) -> QGraphicsRectItem:
    """The translucent rectangle that shows the selection (hidden until one is drawn)."""
    rect = QGraphicsRectItem()
    fill = QColor(BRUSH_COLOR)
    fill.setAlpha(50)
    rect.setBrush(QBrush(fill))
    pen = QPen(QColor(BRUSH_COLOR), 1.5)
    pen.setCosmetic(True)
    rect.setPen(pen)
    rect.setZValue(25)
    rect.setVisible(False)
    plot_item.addItem(rect, ignoreBounds=True)
    return rect
