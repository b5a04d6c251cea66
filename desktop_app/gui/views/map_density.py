"""The map's many points as one image: past :data:`DENSE_POINTS` points the map paints a grid
of cells a few pixels wide over the shown range, each in the colour of the best trial inside
it (grey where only points outside the rectangle fall), instead of a marker per trial; it is
redone in a few milliseconds when the range, the trials or the rectangle change. The best
trials are still drawn as markers on top, and hover and clicks find the nearest trial among
all of them (:func:`nearest_point`)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF

from desktop_app.gui.views.metric_colours import BINS, MetricColours

DENSE_POINTS = 20_000
"""Points past which the map draws them as an image."""
TOP_POINTS = 500
"""The best kept trials still drawn as markers over the image."""
CELL_PIXELS = 3
"""The image's cells are this many screen pixels wide and high."""
FADED_RGBA = (128, 128, 128, 90)


class PointImage:
    """An ``ImageItem`` showing many points at the resolution of the view."""

    def __init__(self, plot_item: pg.PlotItem) -> None:
        self.item = pg.ImageItem()
        self.item.setZValue(-5)  # over the surface, under the markers
        plot_item.addItem(self.item, ignoreBounds=True)
        self.shown = False

    def clear(self) -> None:
        """Show nothing."""
        if self.shown:
            self.item.clear()
            self.shown = False

    def draw(self, xs: np.ndarray, ys: np.ndarray, bins: np.ndarray, kept: np.ndarray,
             view: pg.ViewBox, colours: MetricColours) -> None:
        """Paint points (view coordinates) over ``view``'s range: cells holding kept points
        in the colour of their best ``bins`` (0 worst .. BINS - 1 best), the others grey."""
        (x0, x1), (y0, y1) = view.viewRange()
        nx = max(int(view.width()) // CELL_PIXELS, 1)
        ny = max(int(view.height()) // CELL_PIXELS, 1)
        ix = np.floor((xs - x0) * (nx / (x1 - x0))).astype(np.int64)
        iy = np.floor((ys - y0) * (ny / (y1 - y0))).astype(np.int64)
        inside = (ix >= 0) & (ix < nx) & (iy >= 0) & (iy < ny) & (bins >= 0)
        cell = ix * ny + iy
        code = np.zeros(nx * ny, dtype=np.int16)  # 0 empty, 1 + bin kept, BINS + 1 faded
        faded = inside & ~kept
        code[cell[faded]] = BINS + 1
        shown = inside & kept
        if shown.any():
            best = np.zeros(nx * ny, dtype=np.int16)
            np.maximum.at(best, cell[shown], (bins[shown] + 1).astype(np.int16))
            code = np.where(best > 0, best, code)
        table = np.array([[0, 0, 0, 0]] + [[c.red(), c.green(), c.blue(), 255]
                                           for c in colours.colors] + [FADED_RGBA],
                         dtype=np.ubyte)
        self.item.setImage(table[code].reshape(nx, ny, 4), autoLevels=False, levels=(0, 255))
        self.item.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        self.shown = True


def best_rows(rows: np.ndarray, goodness: np.ndarray, count: int | None = None) -> np.ndarray:
    """The ``count`` (default :data:`TOP_POINTS`) of ``rows`` with the highest ``goodness``
    (1 the better end)."""
    count = TOP_POINTS if count is None else count
    if len(rows) <= count:
        return rows
    score = np.nan_to_num(goodness[rows], nan=-1.0)
    return rows[np.argpartition(-score, count - 1)[:count]]


def nearest_point(xs: np.ndarray, ys: np.ndarray, x: float, y: float,
                  pixel: tuple[float, float], reach: float) -> int:
    """The index of the point nearest (x, y) on screen, within ``reach`` pixels, given the
    view size of a pixel; -1 when none is that close."""
    if not len(xs) or not (pixel[0] and pixel[1]):
        return -1
    distance = np.hypot((xs - x) / pixel[0], (ys - y) / pixel[1])
    row = int(np.argmin(distance))
    return row if distance[row] <= reach else -1


def dense_caption(count: int, top: int) -> str:
    """What the view says while it draws its points as an image."""
    return (f"{count:,} points drawn as an image (each cell in the colour of its best "
            f"trial), the best {top:,} as markers; hover or click anywhere to find a trial")
