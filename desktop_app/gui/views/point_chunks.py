"""The finished points of the sweep scatter (and the history's points), drawn by several items
of at most :data:`CHUNK` points each, so that a change costs what it changes, not what is
shown.

pyqtgraph spends ~2 us per point in ``setData`` (it keys every point's style in Python), so one
item of 100,000 points took ~1 s to redo whenever a trial finished. Here new points are
appended to the newest chunk (``ScatterPlotItem.addPoints`` styles only the new points), a
trial that leaves is taken from its own chunk (that chunk is redone), and only a new axis
or colouring (:meth:`PointChunks.set_all`) touches every chunk. The items are bare
``ScatterPlotItem``\\ s, which ignore the plot's log mode: x is given as log10 on a log axis.

The tooltip is the chunks' together: pyqtgraph lets each item clear the view's tooltip when
the mouse is over none of its points, so of several chunks under the mouse one without a
point there could blank the tip another had just set (10 % of hovers at 100,000 points);
here only the chunk whose points set it clears it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QBrush, QPen
from PySide6.QtWidgets import QGraphicsItem

CHUNK = 4096
"""Points per item: redoing one chunk stays under ~10 ms."""


class PointChunks:
    """Points (trial number, x, y, brush) in chunks of :data:`CHUNK`, in the order added."""

    def __init__(self, plot_item: pg.PlotItem, z: float, tip: Callable[..., str],
                 clicked: Callable[..., None]) -> None:
        self._plot = plot_item
        self._z, self._tip, self._clicked = z, tip, clicked
        self._style: dict[str, Any] = {"size": 8, "pen": None, "cached": False}
        self._log_x = False
        self._items: list[pg.ScatterPlotItem] = []
        self._chunks: list[dict[int, tuple[float, float, QBrush]]] = []
        self._chunk_of: dict[int, int] = {}
        self._tip_from: pg.ScatterPlotItem | None = None  # the chunk whose points it names

    def __len__(self) -> int:
        return len(self._chunk_of)

    def __contains__(self, number: object) -> bool:
        return number in self._chunk_of

    def set_style(self, size: float, pen: QPen | None, cached: bool) -> None:
        """Marker size and edge of every point; ``cached``: each chunk paints into a pixmap
        once (crowded plots), not on every frame."""
        self._style = {"size": size, "pen": pen, "cached": cached}
        for item in self._items:
            self._apply_style(item)

    def set_all(self, numbers: list[int], xs: np.ndarray, ys: np.ndarray,
                brushes: list[QBrush] | QBrush, log_x: bool) -> None:
        """Replace every point; x is drawn as log10(x) when ``log_x``; ``brushes``: one per
        point, or one for them all (pyqtgraph then styles no point on its own)."""
        self._chunks, self._chunk_of, self._log_x = [], {}, log_x
        for item in self._items:
            item.clear()
        self.append(numbers, xs, ys, brushes)

    def append(self, numbers: list[int], xs: np.ndarray, ys: np.ndarray,
               brushes: list[QBrush] | QBrush) -> None:
        """Add points (a number already shown moves to the end); ``brushes`` as in
        :meth:`set_all`."""
        one = brushes if isinstance(brushes, QBrush) else None
        self.remove(n for n in numbers if n in self._chunk_of)
        start = 0
        while start < len(numbers):
            if not self._chunks or len(self._chunks[-1]) >= CHUNK:
                self._chunks.append({})
            index, chunk = len(self._chunks) - 1, self._chunks[-1]
            stop = min(len(numbers), start + CHUNK - len(chunk))
            part = slice(start, stop)
            some = [one] * (stop - start) if one is not None else brushes[part]
            for number, x, y, brush in zip(numbers[part], xs[part], ys[part], some,
                                           strict=True):
                chunk[number] = (float(x), float(y), brush)
                self._chunk_of[number] = index
            self._item(index).addPoints(x=self._x(xs[part]), y=ys[part],
                                        data=np.asarray(numbers[part], dtype=int),
                                        brush=one if one is not None else some)
            start = stop

    def remove(self, numbers: Iterable[int]) -> None:
        """Take these trials' points away (unknown numbers are ignored); redoes their chunks."""
        touched = set()
        for number in numbers:
            index = self._chunk_of.pop(number, None)
            if index is not None:
                del self._chunks[index][number]
                touched.add(index)
        for index in touched:
            chunk = self._chunks[index]
            xy = np.array([(x, y) for x, y, _ in chunk.values()], dtype=float).reshape(-1, 2)
            self._items[index].setData(x=self._x(xy[:, 0]), y=xy[:, 1],
                                       data=np.fromiter(chunk, int, len(chunk)),
                                       brush=[b for _, _, b in chunk.values()])

    def drawn_x(self) -> dict[int, float]:
        """Trial number -> x as drawn (log10 of it on a log axis)."""
        found: dict[int, float] = {}
        for item in self._items:
            x, _ = item.getData()
            found.update(zip(map(int, item.data["data"]), map(float, x), strict=True))
        return found

    def items(self) -> list[pg.ScatterPlotItem]:
        """The scatter items the points are drawn in."""
        return list(self._items)

    def _x(self, xs: np.ndarray) -> np.ndarray:
        return np.log10(xs) if self._log_x else xs

    def _item(self, index: int) -> pg.ScatterPlotItem:
        while len(self._items) <= index:
            item = pg.ScatterPlotItem(symbol="o", hoverable=True, tip=None)
            item.setZValue(self._z)
            self._plot.addItem(item)
            item.sigClicked.connect(self._clicked)
            item.sigHovered.connect(self._hovered)
            self._apply_style(item)
            self._items.append(item)
        return self._items[index]

    def _hovered(self, item: pg.ScatterPlotItem, points: Any, _event: object) -> None:
        """Name the points under the mouse (at most 3), or clear the tip this chunk set."""
        view = item.getViewBox()
        if view is None:
            return
        if len(points):
            tips = [self._tip(x=p.pos().x(), y=p.pos().y(), data=p.data()) for p in points[:3]]
            if len(points) > 3:
                tips.append(f"({len(points) - 3} others...)")
            view.setToolTip("\n\n".join(tips))
            self._tip_from = item
        elif self._tip_from is item:
            view.setToolTip("")
            self._tip_from = None

    def _apply_style(self, item: pg.ScatterPlotItem) -> None:
        item.setSize(self._style["size"])
        item.setPen(self._style["pen"])
        mode = QGraphicsItem.CacheMode
        item.setCacheMode(mode.DeviceCoordinateCache if self._style["cached"]
                          else mode.NoCache)
