"""The scale preview draws a range's samples on the parameter's own scale, where the right
scale spreads them evenly, with a linear scale's samples as the comparison."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from desktop_app.gui.editor.param_row import ParamRow
from desktop_app.gui.editor.scale_preview import SAMPLE_COLOR, ScalePreview
from tests.gui.views.support import tick_labels


def _row(qtbot, name: str, table: dict, grid: bool = False) -> ParamRow:
    row = ParamRow(name)
    qtbot.addWidget(row)
    row.resize(420, 200)
    row.set_table(table)
    row.set_grid(grid)
    row.show()
    return row


def _screen_x(preview: ScalePreview, item: pg.PlotDataItem) -> np.ndarray:
    """Where ``item``'s points are drawn, as a share of the axis width (0 left, 1 right)."""
    view = preview.getPlotItem().getViewBox()
    rect = view.sceneBoundingRect()
    xs = [view.mapViewToScene(point.pos()).x() for point in item.scatter.points()]
    return (np.sort(xs) - rect.left()) / rect.width()


def _items(preview: ScalePreview, symbol: str, color: tuple | None = None) -> pg.PlotDataItem:
    found = [item for item in preview.getPlotItem().listDataItems()
             if item.opts["symbol"] == symbol
             and (color is None or pg.mkBrush(item.opts["symbolBrush"]).color()
                  == pg.mkBrush(*color).color())]
    assert len(found) == 1
    return found[0]


def test_a_log_learning_rate_is_drawn_on_a_log_axis_spread_evenly(qtbot):
    row = _row(qtbot, "learning_rate", {"scale": "log", "low": 1e-4, "high": 1.0})
    axis = row.preview.getPlotItem().getAxis("bottom")
    assert axis.logMode
    labels = [text for _, text in tick_labels(axis)]
    assert {"0.001", "0.01", "0.1"} <= set(labels)
    x = _screen_x(row.preview, _items(row.preview, "o", SAMPLE_COLOR))
    assert x.size == 200
    # log-uniform samples on a log axis: about a quarter per quarter of the axis, not
    # nine tenths in its last tenth as on a linear axis
    quarters = np.histogram(x, bins=4, range=(0, 1))[0] / x.size
    assert quarters.min() > 0.12


def test_grid_points_099_and_0999_stand_apart_on_the_reverse_log_axis(qtbot):
    row = _row(qtbot, "beta_2", {"scale": "reverse_log", "low": 0.9, "high": 0.999,
                                 "points": 3}, grid=True)
    assert list(row.preview.grid_positions()) == [0.9, 0.99, 0.999]
    assert row.preview.getPlotItem().getAxis("bottom").logMode
    x = _screen_x(row.preview, _items(row.preview, "d"))
    gaps = np.diff(x)
    assert gaps.min() > 0.3  # 0.9 | 0.99 | 0.999 evenly apart, each gap ~half the axis


def test_the_caption_says_where_a_linear_scale_would_put_the_samples(qtbot):
    row = _row(qtbot, "learning_rate", {"scale": "log", "low": 1e-4, "high": 1.0})
    assert "a linear scale would put 90% of them in [0.1, 1]" in row.caption.text()
    linear = row.preview.linear_positions()
    assert linear.size == 200 and np.mean(linear > 0.1) > 0.8
