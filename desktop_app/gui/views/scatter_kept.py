"""The sweep scatter and the study's kept trials (``StudyModel.kept``): kept finished points
are drawn as they are and the others faded (:class:`KeptChunks`), and a rectangle on the
scatter keeps the points inside it (:class:`ScatterRect`): a right drag or Shift + left drag
draws it, a double click on the background or the "Clear" button shows every trial again.

A kept change moves the points between the two :class:`PointChunks` from the points they
already hold (no x, colour or metric is recomputed): at most one redraw of every finished
point, in the scatter's next frame.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, SignalInstance
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QPushButton

from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.views.map_select import RectSelectBox, selection_rect
from desktop_app.gui.views.point_chunks import PointChunks

FADED = QColor(150, 150, 150, 45)
"""The points outside the kept set: light grey, mostly transparent."""
HELP = "Right-drag or Shift-drag to keep the points in a rectangle"

Point = tuple[float, float, QBrush]


class KeptChunks:
    """The finished points, as :class:`PointChunks` does, split in two: the kept ones
    (``normal``, as they are) and the others (``faded``, below them). Every point is kept
    while ``kept()`` is None."""

    def __init__(self, plot_item: pg.PlotItem, z: float, tip: Callable[..., str],
                 clicked: Callable[..., None], kept: Callable[[], frozenset[int] | None]) -> None:
        self.normal = PointChunks(plot_item, z, tip, clicked)
        self.faded = PointChunks(plot_item, z - 0.5, tip, clicked)
        self._kept_now = kept
        self._kept: frozenset[int] | None = None
        self._log_x = False
        self._all: dict[int, Point] = {}
        self._faded_brush = QBrush(FADED)

    def __len__(self) -> int:
        return len(self._all)

    def __contains__(self, number: object) -> bool:
        return number in self._all

    def set_style(self, size: float, pen: QPen | None, cached: bool) -> None:
        """Marker size and edge (see :meth:`PointChunks.set_style`); faded points have none."""
        self.normal.set_style(size, pen, cached)
        self.faded.set_style(size, None, cached)

    def set_all(self, numbers: list[int], xs: np.ndarray, ys: np.ndarray,
                brushes: list[QBrush], log_x: bool) -> None:
        """Replace every point, split by the kept set as it is now."""
        self._kept, self._log_x = self._kept_now(), log_x
        self._all = {n: (float(x), float(y), b)
                     for n, x, y, b in zip(numbers, xs, ys, brushes, strict=True)}
        self._draw_all()

    def append(self, numbers: list[int], xs: np.ndarray, ys: np.ndarray,
               brushes: list[QBrush]) -> None:
        """Add points (a number already shown moves to the end)."""
        for number, x, y, brush in zip(numbers, xs, ys, brushes, strict=True):
            self._all.pop(number, None)
            self._all[number] = (float(x), float(y), brush)
        keep = self._split(numbers)
        for chunks, rows in ((self.normal, keep), (self.faded, ~keep)):
            index = np.flatnonzero(rows)
            other = self.faded if chunks is self.normal else self.normal
            other.remove(numbers[i] for i in index)
            chunks.append([numbers[i] for i in index], np.asarray(xs)[index],
                          np.asarray(ys)[index], self._brushes(chunks, brushes, index))

    def remove(self, numbers: Iterable[int]) -> None:
        """Take these trials' points away (unknown numbers are ignored)."""
        numbers = [n for n in numbers if self._all.pop(n, None) is not None]
        self.normal.remove(numbers)
        self.faded.remove(numbers)

    def drawn_x(self) -> dict[int, float]:
        """Trial number -> x as drawn (log10 of it on a log axis)."""
        return {**self.faded.drawn_x(), **self.normal.drawn_x()}

    def sync(self) -> None:
        """Split the points anew if the kept set changed since they were drawn."""
        kept = self._kept_now()
        if kept != self._kept:
            self._kept = kept
            self._draw_all()

    def _draw_all(self) -> None:
        numbers = list(self._all)
        xs = np.array([p[0] for p in self._all.values()], dtype=float)
        ys = np.array([p[1] for p in self._all.values()], dtype=float)
        brushes = [p[2] for p in self._all.values()]
        keep = self._split(numbers)
        for chunks, rows in ((self.normal, keep), (self.faded, ~keep)):
            index = np.flatnonzero(rows)
            chunks.set_all([numbers[i] for i in index], xs[index], ys[index],
                           self._brushes(chunks, brushes, index), self._log_x)

    def _split(self, numbers: list[int]) -> np.ndarray:
        """True for each of ``numbers`` that is kept."""
        kept = self._kept
        if kept is None:
            return np.ones(len(numbers), dtype=bool)
        return np.fromiter((n in kept for n in numbers), dtype=bool, count=len(numbers))

    def _brushes(self, chunks: PointChunks, brushes: list[QBrush],
                 index: np.ndarray) -> list[QBrush]:
        if chunks is self.faded:
            return [self._faded_brush] * len(index)
        return [brushes[i] for i in index]


def view_points(where: dict[int, tuple[float, float]], log_x: bool,
                log_y: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Numbers, x and y of the points ``where`` in view coordinates (log10 on log axes)."""
    numbers = np.fromiter(where, dtype=int, count=len(where))
    xy = np.array(list(where.values()), dtype=float).reshape(-1, 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        xs = np.log10(xy[:, 0]) if log_x else xy[:, 0]
        ys = np.log10(xy[:, 1]) if log_y else xy[:, 1]
    return numbers, xs, ys


class ScatterRect:
    """The scatter's rectangle: drawn while dragging; once let go the points inside become
    the study's kept trials. ``clear_button`` (shown while trials are kept) keeps them all;
    the rectangle goes when the axes change (``axes_changed``) or another view keeps."""

    def __init__(self, box: RectSelectBox, plot_item: pg.PlotItem, study: StudyModel,
                 points: Callable[[], tuple[np.ndarray, np.ndarray, np.ndarray]],
                 axes_changed: Iterable[SignalInstance]) -> None:
        self._study, self._points = study, points
        self._item = selection_rect(plot_item)
        self._mine: frozenset[int] | None = None
        self.clear_button = QPushButton("Clear")
        self.clear_button.setToolTip("Show every trial again (also: double-click the plot)")
        self.clear_button.clicked.connect(self.clear)
        self.clear_button.setVisible(study.kept() is not None)
        box.on_rect, box.on_clear = self._on_rect, self.clear
        study.kept_changed.connect(self._on_kept)
        for signal in axes_changed:
            signal.connect(self._forget)

    def rect(self) -> QRectF | None:
        """The rectangle shown, in view coordinates, or None."""
        return QRectF(self._item.rect()) if self._item.isVisible() else None

    def set_rect(self, rect: QRectF | None) -> None:
        """Keep the points inside ``rect`` (view coordinates); None keeps every trial."""
        if rect is None:
            self.clear()
            return
        rect = QRectF(rect).normalized()
        self._show(rect)
        numbers, xs, ys = self._points()
        inside = ((xs >= rect.left()) & (xs <= rect.right())
                  & (ys >= rect.top()) & (ys <= rect.bottom()))
        self._mine = frozenset(int(n) for n in numbers[inside])
        self._study.set_kept(sorted(self._mine))

    def clear(self) -> None:
        """No rectangle, every trial kept."""
        self._forget()
        if self._study.kept() is not None:
            self._study.set_kept(None)

    def _on_rect(self, rect: QRectF, finished: bool) -> None:
        if finished:
            self.set_rect(rect)
        else:
            self._show(rect)

    def _show(self, rect: QRectF) -> None:
        self._item.setRect(rect)
        self._item.setVisible(True)

    def _forget(self, *_: Any) -> None:
        self._item.setVisible(False)
        self._mine = None

    def _on_kept(self, kept: frozenset[int] | None) -> None:
        self.clear_button.setVisible(kept is not None)
        if kept != self._mine:  # kept elsewhere (a brush, the map, "Show all")
            self._forget()
