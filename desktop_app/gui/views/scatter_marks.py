"""The sweep scatter's marker items beside the finished points: the running trials (orange
rings), the diverged ones drawn off the chart (triangles), the best trial (a green star) and
the selected one (a magenta ring). PlotDataItems: they follow the plot's log modes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyqtgraph as pg
from PySide6.QtGui import QPen

from desktop_app.core.study import TrialState
from desktop_app.gui.style.plot_style import BEST_COLOR, SELECTED_COLOR, state_brush, state_color


def marker_items(plot_item: pg.PlotItem, edge: QPen, tip: Callable[..., str],
                 clicked: Callable[..., None]) -> tuple[pg.PlotDataItem, ...]:
    """The (clipped, running, best, selected) items, added to ``plot_item`` in that order
    above the finished points; a click on any calls ``clicked``, hovering the first three
    shows ``tip``."""
    running_pen = pg.mkPen(state_color(TrialState.RUNNING), width=2)
    running = pg.PlotDataItem(pen=None, symbol="o", symbolSize=10, symbolPen=running_pen)
    clipped = pg.PlotDataItem(pen=None, symbol="t1", symbolSize=11, symbolPen=edge,
                              symbolBrush=state_brush(TrialState.DIVERGED))
    best = pg.PlotDataItem(pen=None, symbol="star", symbolSize=18, symbolBrush=BEST_COLOR,
                           symbolPen=pg.mkPen("#1b4d16"))
    selected = pg.PlotDataItem(pen=None, symbol="o", symbolSize=20, symbolBrush=None,
                               symbolPen=pg.mkPen(SELECTED_COLOR, width=2.5))
    items: tuple[Any, ...] = (clipped, running, best, selected)
    for z, points in enumerate(items, start=1):
        points.setZValue(z)
        # pyqtgraph re-sends all 2,000 brushes on every y-range change unless this is off
        points.setDynamicRangeLimit(None)
        plot_item.addItem(points)
        points.sigPointsClicked.connect(clicked)
    for points in (clipped, running, best):
        points.scatter.setData(hoverable=True, tip=tip)
    return items
