"""The scatter's log value axis on request: every point inside the view on it, the best
star where its value is, diverged points still off the chart, and no log axis while a value
is 0 or below (the box then says why)."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox

from desktop_app.core.events import TrialFinished
from desktop_app.gui.views.sweep_scatter import SweepScatter
from tests.gui.helpers import epoch_event, redraw
from tests.gui.views.support import best_star, finish, hover, markers, view_range


def log_box(scatter: SweepScatter) -> QCheckBox:
    (box,) = [b for b in scatter.findChildren(QCheckBox) if b.text() == "log"]
    return box


def finished_ys(scatter: SweepScatter) -> list[float]:
    """y of every finished point as drawn (bare scatter items: log10 on the log axis)."""
    ys: list[float] = []
    for item in scatter.plot.getPlotItem().items:
        if isinstance(item, pg.ScatterPlotItem):
            ys += [float(y) for y in item.getData()[1]]
    return ys


def test_a_log_value_axis_shows_every_point_at_its_log(views) -> None:
    model, _, _, scatter = views
    box = log_box(scatter)
    assert box.isEnabled() and not box.isChecked()
    box.setChecked(True)
    scatter.flush()
    axis = scatter.plot.getPlotItem().getAxis("left")
    assert axis.logMode
    values = scatter.y_values()  # the metric values, not their logs
    assert values == {n: model.value(n) for n in values}
    logs = sorted(math.log10(v) for n, v in values.items() if n != 3)  # 3 is running
    assert sorted(finished_ys(scatter)) == logs
    (_, _), (low, high) = view_range(scatter.plot)
    assert low < min(logs) and max(math.log10(v) for v in values.values()) < high
    _, star_y = best_star(scatter).getData()  # a PlotDataItem: pyqtgraph takes the log
    assert star_y[0] == math.log10(model.value(model.best_number()))
    assert any(text == "1" or text.startswith("2") for text in
               axis.tickStrings(axis.tickValues(low, high, 300.0)[0][1], 1.0, 1.0))
    box.setChecked(False)
    scatter.flush()
    assert not axis.logMode and sorted(finished_ys(scatter)) == sorted(
        v for n, v in values.items() if n != 3)


def test_a_value_of_zero_turns_the_log_axis_off_and_says_why(views) -> None:
    model, table, curves, scatter = views
    box = log_box(scatter)
    box.setChecked(True)
    scatter.flush()
    model.apply(epoch_event(3, 4, value=-0.5))  # running trial 3 drops to val loss 0
    scatter.flush()
    scatter.flush()  # the frame that redraws on a linear axis
    assert not box.isEnabled() and "trial 3" in box.toolTip()
    assert not scatter.plot.getPlotItem().getAxis("left").logMode
    assert scatter.y_values()[3] == 0.0
    model.apply(TrialFinished("s", 3, "complete", 0.0, 4, 1.0))
    redraw(table, curves, scatter)
    assert 0.0 in finished_ys(scatter) and not box.isEnabled()


def test_diverged_points_stay_off_the_chart_on_the_log_axis(views) -> None:
    model, table, curves, scatter = views
    log_box(scatter).setChecked(True)
    finish(model, 7, "diverged", [1e6])
    redraw(table, curves, scatter)
    x, y = markers(scatter, "t1").getData()  # the triangle, drawn at log10 of its y
    assert len(x) == 1 and math.log10(4.2) < y[0] < math.log10(4.7)
    _, (_, y_high) = view_range(scatter.plot)
    assert y_high < 1.0  # the view stays below 10, not up to 1e6
    assert "1.00e+06" in hover(scatter.plot, x[0], y[0])
    assert np.isfinite(finished_ys(scatter)).all()
