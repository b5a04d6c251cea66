"""The sweep scatter as a new user reads it: every point inside the view with room for its
marker, the best star and the selected ring where they belong, diverged points off the chart,
the searched range before any trial, a legend for the colours."""

from __future__ import annotations

import numpy as np
import pytest

from desktop_app.core.config import parse_config
from desktop_app.core.events import TrialFinished, TrialStarted
from desktop_app.core.search import build_space
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.views.off_chart import OffChart, off_chart
from desktop_app.gui.views.sweep_scatter import SweepScatter
from desktop_app.gui.views.view_fit import PAD_PIXELS
from tests.gui.helpers import SPACE, epoch_event, redraw, sweep_events
from tests.gui.views.support import (
    best_star,
    finish,
    hover,
    markers,
    selected_ring,
    view_range,
    visible_texts,
)


def legend(scatter: SweepScatter) -> str:
    """The legend above the plot: what the colours and the markers mean."""
    found = [text for text in visible_texts(scatter) if "selected" in text]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("param", ["learning_rate", "beta_2"])
def test_scatter_view_keeps_every_point_inside_with_padding(views, param) -> None:
    model, _, _, scatter = views
    scatter.set_x_param(param)
    scatter.flush()
    view = scatter.plot.getPlotItem().getViewBox()
    (x_low, x_high), (y_low, y_high) = view.viewRange()
    margin_x = PAD_PIXELS / view.width() * (x_high - x_low)
    margin_y = PAD_PIXELS / view.height() * (y_high - y_low)
    for number, x in scatter.x_values().items():  # x as drawn: log10 on the log axis
        assert x_low + margin_x <= x <= x_high - margin_x
        assert y_low + margin_y <= model.value(number) <= y_high - margin_y


def test_a_finished_best_trial_keeps_its_star(views) -> None:
    model, table, curves, scatter = views
    model.apply(epoch_event(3, 4, value=-0.5))  # running trial 3 drops to val loss 0
    scatter.flush()  # drawn once as a running point
    model.apply(TrialFinished("s", 3, "complete", 0.0, 4, 1.0))
    redraw(table, curves, scatter)
    assert model.best_number() == 3
    model.select(3)
    scatter.flush()
    for marker in (best_star(scatter), selected_ring(scatter)):
        x, _ = marker.getData()
        assert x is not None and list(x) == [scatter.x_values()[3]]


def test_exploded_diverged_points_are_drawn_just_above_the_rest(views) -> None:
    model, table, curves, scatter = views
    finish(model, 7, "diverged", [1e6])
    redraw(table, curves, scatter)
    assert scatter.point_count() == 5
    x, y = markers(scatter, "t1").getData()  # a triangle
    assert len(x) == 1 and 4.2 < y[0] < 4.7  # the others are at 1.2 .. 4.2 (running)
    _, (_, y_high) = view_range(scatter.plot)
    assert y_high < 10
    assert "1.00e+06" in hover(scatter.plot, x[0], y[0])  # the real value, in its tooltip


def test_off_chart_keeps_diverged_values_that_fit() -> None:
    assert off_chart({0: 1.0, 1: 2.0, 2: 2.5}, {2}) == (set(), pytest.approx(np.nan,
                                                                            nan_ok=True))
    clipped, y = off_chart({0: 1.0, 1: 2.0, 2: 1e6}, {2})
    assert clipped == {2} and y == pytest.approx(2.08)
    assert off_chart({2: 1e6}, {2})[0] == set()  # nothing behaved: draw it as it is


def test_off_chart_follows_trials_as_they_finish() -> None:
    tracked, values, diverged = OffChart(), {}, set()
    tracked.reset({}, set())
    for number, value, bad in [(0, 1.0, False), (1, 1e6, True), (2, 2.0, False),
                               (3, 3e5, True), (4, 1e7, False)]:
        before = set(tracked.clipped)
        moved = tracked.add(number, value, bad)
        values[number] = value
        diverged |= {number} if bad else set()
        clipped, y = off_chart(values, diverged)
        assert tracked.clipped == clipped and tracked.y == pytest.approx(y, nan_ok=True)
        assert moved == (clipped ^ before) - {number}
    assert moved == {1, 3}  # a sane 1e7 brings both back onto the chart


def test_before_any_trial_the_plots_name_the_sweep_run_would_start(qtbot) -> None:
    model = StudyModel()
    scatter = SweepScatter(model)
    qtbot.addWidget(scatter)
    config = parse_config({"study": {"metric": "val_accuracy"},
                           "params": {"learning_rate": {"scale": "log", "low": 1e-4,
                                                        "high": 0.1}}})
    model.preview(config)
    scatter.flush()
    assert model.metric == "val_accuracy" and model.param_names() == ["learning_rate"]
    (x_low, x_high), _ = view_range(scatter.plot)
    assert x_low < -4 < -1 < x_high < -0.5  # 1e-4 .. 0.1 on the log axis
    model.apply_many(sweep_events(trials=1))
    model.preview(parse_config({"study": {"metric": "val_loss"}}))
    assert model.metric == "val_accuracy" and len(model) == 1  # trials shown: untouched


def test_colour_by_a_parameter_names_its_range_and_the_markers(views) -> None:
    _, _, _, scatter = views
    scatter.set_color_by("learning_rate")
    scatter.flush()
    text = legend(scatter)
    assert text.startswith("learning_rate: 1.0e-04 ") and " 3.0e-01" in text
    assert "best" in text and "selected" in text
    scatter.set_color_by(None)
    scatter.flush()
    assert legend(scatter).startswith("colour = trial state")


def test_the_view_shrinks_back_once_a_running_trial_that_stretched_it_finishes(qtbot) -> None:
    model = StudyModel()
    model.set_study(build_space(SPACE), "val_loss", "minimize")
    scatter = SweepScatter(model)
    qtbot.addWidget(scatter)
    scatter.resize(640, 400)
    scatter.show()
    finish(model, 0, "complete", [1.0, 0.9])
    model.apply(TrialStarted("s", 1, {"learning_rate": 0.01, "beta_2": 0.99}, seed=1))
    model.apply(epoch_event(1, 1, value=40.0))  # a poor first epoch stretches the view
    scatter.flush()
    assert view_range(scatter.plot)[1][1] > 40.0
    model.apply(epoch_event(1, 2, value=1.0))
    model.apply(TrialFinished("s", 1, "complete", 1.5, 2, 0.1))
    scatter.flush()
    assert view_range(scatter.plot)[1][1] < 5.0  # both points sit near 1: the view follows
