"""The finished trials of a big study as a quantile band per epoch instead of one line each.

100,000 overlapping lines are an unreadable blob and cost seconds per frame. Per epoch, the
band shows the 10-90 % and 25-75 % ranges of the finished trials' losses and their median,
read from a histogram of log10(loss): :data:`BINS_PER_DECADE` bins per decade (a quantile is
off by at most ~1.2 % of its value), from 10^:data:`LOW_DECADE` to 10^:data:`HIGH_DECADE`
(values outside count in the end bins, NaN/inf not at all). Adding or removing a trial
touches only its own bins (kept per trial), so a finishing trial costs microseconds, and the
quantiles of 50 epochs x 800 bins are a cumulative sum. Each epoch's band describes the
trials that reached it (a pruned trial stops contributing after its last epoch).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

BINS_PER_DECADE = 100
LOW_DECADE, HIGH_DECADE = -4, 4
N_BINS = (HIGH_DECADE - LOW_DECADE) * BINS_PER_DECADE
QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)


class EpochHistogram:
    """Counts of log10(value) per epoch and bin; quantiles per epoch (numpy only)."""

    def __init__(self) -> None:
        self._counts = np.zeros((64, N_BINS), dtype=np.int32)
        self._cells: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def __len__(self) -> int:
        return len(self._cells)

    def __contains__(self, number: object) -> bool:
        return number in self._cells

    def add(self, curves: list[tuple[int, np.ndarray]]) -> None:
        """Count each (trial number, per-epoch values) pair, replacing what a trial counted
        before; one numpy pass for the whole batch."""
        for number, _ in curves:
            self.remove(number)
        if not curves:
            return
        lengths = np.array([len(v) for _, v in curves])
        values = np.concatenate([v for _, v in curves])
        epochs = np.arange(len(values)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        finite = np.isfinite(values)
        owner = np.repeat(np.arange(len(curves)), lengths)[finite]
        epochs, values = epochs[finite], values[finite]
        if epochs.size and epochs.max() >= len(self._counts):
            grown = np.zeros((2 * (epochs.max() + 1), N_BINS), dtype=np.int32)
            grown[: len(self._counts)] = self._counts
            self._counts = grown
        with np.errstate(divide="ignore", invalid="ignore"):
            scaled = (np.log10(values) - LOW_DECADE) * BINS_PER_DECADE
        bins = np.clip(np.nan_to_num(scaled, nan=0.0, neginf=0.0), 0, N_BINS - 1).astype(np.int32)
        np.add.at(self._counts, (epochs, bins), 1)
        bounds = np.searchsorted(owner, np.arange(len(curves) + 1))
        for i, (number, _) in enumerate(curves):
            part = slice(bounds[i], bounds[i + 1])
            self._cells[number] = (epochs[part], bins[part])

    def remove(self, number: int) -> None:
        """Stop counting trial ``number`` (no-op when it is not counted)."""
        cells = self._cells.pop(number, None)
        if cells is not None:
            self._counts[cells] -= 1

    def clear(self) -> None:
        """Forget every trial."""
        self._counts[:] = 0
        self._cells.clear()

    def quantiles(self) -> tuple[np.ndarray, np.ndarray]:
        """Epoch numbers (from 1) and a (len(QUANTILES), epochs) array of values, up to the
        last epoch any trial reached; NaN where no trial reached an epoch."""
        totals = self._counts.sum(axis=1)
        reached = np.flatnonzero(totals)
        if not reached.size:
            return np.empty(0), np.empty((len(QUANTILES), 0))
        counts = self._counts[: reached[-1] + 1]
        cumulative = np.cumsum(counts, axis=1)
        n = cumulative[:, -1]
        out = np.empty((len(QUANTILES), len(counts)))
        for row, q in enumerate(QUANTILES):
            target = np.maximum(q * n, 1)[:, None]
            index = (cumulative < target).sum(axis=1)
            out[row] = 10.0 ** (LOW_DECADE + (index + 0.5) / BINS_PER_DECADE)
        out[:, n == 0] = np.nan
        return np.arange(1, len(counts) + 1, dtype=float), out


class CurveBand:
    """Plot items of the band, created once: two fills (10-90 %, 25-75 %) and the median."""

    def __init__(self, plot_item: pg.PlotItem, color: QColor) -> None:
        self.histogram = EpochHistogram()
        edge = QColor(color)
        edge.setAlpha(60)  # a PlotDataItem without a pen has no path for the fill to use
        self._edges = [pg.PlotDataItem(connect="finite", pen=pg.mkPen(edge, width=1))
                       for _ in QUANTILES]
        outer, inner = QColor(color), QColor(color)
        outer.setAlpha(50)
        inner.setAlpha(90)
        self._fills = [pg.FillBetweenItem(self._edges[0], self._edges[4], brush=outer),
                       pg.FillBetweenItem(self._edges[1], self._edges[3], brush=inner)]
        median_color = QColor(color)
        median_color.setAlpha(220)
        self._edges[2].setPen(pg.mkPen(median_color, width=1.5))
        for item in (*self._edges, *self._fills):
            item.setZValue(0)
            plot_item.addItem(item, ignoreBounds=True)
        self._visible = True
        self.set_visible(False)

    def set_visible(self, on: bool) -> None:
        """Show or hide the band (hidden while every finished trial is drawn as a line)."""
        if on != self._visible:
            self._visible = on
            for item in (*self._edges, *self._fills):
                item.setVisible(on)

    def is_visible(self) -> bool:
        """True while the band is shown."""
        return self._visible

    def redraw(self) -> None:
        """Give the items the histogram's current quantiles."""
        x, values = self.histogram.quantiles()
        for item, y in zip(self._edges, values, strict=True):
            item.setData(x, y)
