"""The loss curves as a new user reads them: a range that keeps every curve readable, the
best and the selected trial recognisable, an epoch axis that fits, ticks that fit."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from desktop_app.core.events import TrialFinished
from desktop_app.core.search import build_space
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.style.plot_style import BEST_COLOR, SELECTED_COLOR
from desktop_app.gui.views.loss_curves import LossCurves
from tests.gui.helpers import SPACE, redraw, sweep_events
from tests.gui.views.support import curve_in, finish, view_range, visible_texts

EXPLODED = 385.0


def y_range(curves: LossCurves) -> tuple[float, float]:
    _, (low, high) = view_range(curves.plot)
    return low, high


@pytest.mark.parametrize("state", ["pruned", "diverged", "complete"])
def test_an_exploded_first_epoch_does_not_set_the_loss_range(views, state) -> None:
    model, table, curves, scatter = views
    finish(model, 7, state, [EXPLODED, EXPLODED * 2])
    redraw(table, curves, scatter)
    low, high = y_range(curves)
    # the others' first-epoch val losses are 1.4 .. 4.4: the top is ~2 x 4.4, not 2 x 385
    assert 4.4 <= high <= 2 * 4.4 * 1.1
    assert low <= 1.2


def test_a_trial_that_merely_starts_high_still_counts(views) -> None:
    model, table, curves, scatter = views
    finish(model, 7, "complete", [8.0, 3.0])  # under 20x the median first epoch: shown
    redraw(table, curves, scatter)
    assert y_range(curves)[1] >= 8.0


def test_log_axis_range_ignores_an_exploded_trial_too(views) -> None:
    model, table, curves, scatter = views
    finish(model, 7, "pruned", [EXPLODED, EXPLODED])
    curves.set_log_y(True)
    redraw(table, curves, scatter)
    assert y_range(curves)[1] <= np.log10(2 * 4.4) + 0.1


def test_best_stays_recognisable_when_it_is_selected(views) -> None:
    model, table, curves, scatter = views
    best = model.best_number()
    model.select(best)
    redraw(table, curves, scatter)
    best_pen = curve_in(curves, BEST_COLOR).opts["pen"]
    assert best_pen.widthF() >= curve_in(curves, SELECTED_COLOR).opts["pen"].widthF() + 3
    assert any("best&nbsp;=&nbsp;selected" in text for text in visible_texts(curves))
    model.select(model.numbers()[1])
    redraw(table, curves, scatter)
    assert not any("best&nbsp;=&nbsp;selected" in text for text in visible_texts(curves))
    assert curve_in(curves, BEST_COLOR).opts["pen"].widthF() < 3


def test_epoch_axis_ends_at_the_last_epoch_once_nothing_runs(qtbot) -> None:
    model = StudyModel()
    model.set_study(build_space(SPACE), "val_loss", "minimize")
    curves = LossCurves(model)
    qtbot.addWidget(curves)
    model.apply_many(sweep_events(trials=2, epochs=25, states=("complete", "running")))
    curves.flush()
    (_, live_high), _ = view_range(curves.plot)
    assert live_high >= 30  # rounded up while a trial runs: fewer rescales
    model.apply(TrialFinished("s", 1, "complete", 1.0, 25, 1.0))
    curves.flush()
    (_, high), _ = view_range(curves.plot)
    assert 25 <= high <= 26


def test_log_loss_axis_has_one_level_of_ticks_that_fit(views) -> None:
    _, _, curves, _ = views
    curves.set_log_y(True)
    axis = curves.plot.getPlotItem().getAxis("left")
    levels = axis.tickValues(-1.2, 1.2, 300.0)
    assert len(levels) == 1  # no crowded minor labels 0.3 0.4 ... 0.9 beside 1
    (_, values), = levels
    assert axis.tickStrings(values, 1.0, 1.0)[:3] == ["0.1", "0.2", "0.5"]
    assert axis.labels_fit(values, 300.0)
    curves.set_log_y(False)
    assert axis.param_scale == "linear"


def test_a_trial_pruned_after_one_epoch_shows_as_a_dot(views) -> None:
    model, table, curves, scatter = views
    finish(model, 7, "pruned", [3.0])
    redraw(table, curves, scatter)
    curves.plot.getPlotItem().getViewBox().setRange(xRange=(0.5, 3.5), yRange=(0.0, 6.0),
                                                     padding=0)
    image = curves.plot.grab().toImage()
    view = curves.plot.getPlotItem().getViewBox()
    scene = view.mapViewToScene(QPointF(1.0, 3.0))
    point = curves.plot.mapFromScene(scene)
    color = image.pixelColor(point.x(), point.y())
    assert color.lightness() < 230  # grey dot on the white background
