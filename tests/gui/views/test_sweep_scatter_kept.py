"""The sweep scatter and the kept trials: kept points as they are, the others faded; a
rectangle on the scatter keeps the points inside it, everywhere; clearing shows all again."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF

from desktop_app.core.events import TrialFinished
from desktop_app.core.search import build_space
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.views.scatter_kept import FADED
from desktop_app.gui.views.sweep_scatter import SweepScatter
from tests.gui.helpers import SPACE, epoch_event, sweep_events

TRIALS = 20


@pytest.fixture
def scatter(qtbot) -> SweepScatter:
    """20 trials of 3 epochs, the last one running, on a shown scatter (x: learning rate)."""
    model = StudyModel()
    model.set_study(build_space(SPACE), "val_loss", "minimize")
    view = SweepScatter(model)
    qtbot.addWidget(view)
    view.resize(640, 400)
    view.show()
    model.apply_many(sweep_events(TRIALS, states=("complete",) * (TRIALS - 1) + ("running",)))
    view.set_x_param("learning_rate")
    view.flush()
    return view


def model_of(view: SweepScatter) -> StudyModel:
    return view._study


def normal(view: SweepScatter) -> set[int]:
    """Finished trials drawn as they are (their items' own data)."""
    return set(view.finished_points.normal.drawn_x())


def faded(view: SweepScatter) -> set[int]:
    """Finished trials drawn faded."""
    return set(view.finished_points.faded.drawn_x())


FINISHED = set(range(TRIALS - 1))


def test_without_kept_trials_nothing_is_faded(scatter) -> None:
    assert normal(scatter) == FINISHED
    assert faded(scatter) == set()


def test_kept_trials_stay_and_the_others_fade(scatter) -> None:
    kept = {0, 3, 7, 11}
    model_of(scatter).set_kept(kept)
    scatter.flush()
    assert normal(scatter) == kept
    assert faded(scatter) == FINISHED - kept
    assert set(scatter.x_values()) == set(range(TRIALS))  # the running one is still drawn
    for item in scatter.finished_points.faded.items():
        if len(item.data):
            assert item.data["brush"][0].color() == FADED
    model_of(scatter).set_kept(None)
    scatter.flush()
    assert normal(scatter) == FINISHED
    assert faded(scatter) == set()


def test_a_trial_finishing_outside_the_kept_set_fades(scatter) -> None:
    model = model_of(scatter)
    model.set_kept({1, 2})
    scatter.flush()
    model.apply(epoch_event(TRIALS - 1, 4))
    model.apply(TrialFinished("s", TRIALS - 1, "complete", 1.0, 4, 1.0))
    scatter.flush()
    assert normal(scatter) == {1, 2}
    assert faded(scatter) == (FINISHED - {1, 2}) | {TRIALS - 1}


def inside(scatter: SweepScatter, rect: QRectF) -> set[int]:
    """Trials whose drawn point (x as drawn, y linear) lies inside ``rect``."""
    ys = scatter.y_values()
    return {n for n, x in scatter.x_values().items()
            if rect.left() <= x <= rect.right() and rect.top() <= ys[n] <= rect.bottom()}


def test_a_rectangle_keeps_exactly_the_points_inside(scatter) -> None:
    rect = QRectF(-3.0, 0.0, 3.0, 6.5)  # log10(learning rate) -3 .. 0, loss 0 .. 6.5
    expected = inside(scatter, rect)
    assert 0 < len(expected) < TRIALS
    scatter.set_rect(QRectF(rect.bottomRight(), rect.topLeft()))  # any corner order
    assert model_of(scatter).kept() == frozenset(expected)
    assert scatter.rect_select.rect() == rect
    assert scatter.rect_select.clear_button.isVisibleTo(scatter)
    scatter.flush()
    assert normal(scatter) == expected & FINISHED
    assert faded(scatter) == FINISHED - expected


def test_clearing_shows_every_trial_again(scatter) -> None:
    model = model_of(scatter)
    for clear in (lambda: scatter.set_rect(None), scatter.rect_select.clear_button.click,
                  lambda: scatter.plot.getPlotItem().getViewBox().on_clear()):  # double click
        scatter.set_rect(QRectF(-3.0, 0.0, 3.0, 6.5))
        scatter.flush()
        assert faded(scatter)
        clear()
        assert model.kept() is None
        assert scatter.rect_select.rect() is None
        assert not scatter.rect_select.clear_button.isVisibleTo(scatter)
        scatter.flush()
        assert normal(scatter) == FINISHED
        assert faded(scatter) == set()


def test_dragging_only_draws_the_rectangle_until_let_go(scatter) -> None:
    box = scatter.plot.getPlotItem().getViewBox()
    rect = QRectF(-5.0, 0.0, 5.0, 30.0)
    box.on_rect(rect, False)
    assert model_of(scatter).kept() is None
    assert scatter.rect_select.rect() == rect
    box.on_rect(rect, True)
    assert model_of(scatter).kept() == frozenset(range(TRIALS))


def test_another_views_kept_trials_take_the_rectangle_away(scatter) -> None:
    scatter.set_rect(QRectF(-3.0, 0.0, 3.0, 6.5))
    model_of(scatter).set_kept({5})
    assert scatter.rect_select.rect() is None
    assert scatter.rect_select.clear_button.isVisibleTo(scatter)  # still a way back to all
    scatter.flush()
    assert normal(scatter) == {5}


def test_a_rectangle_on_a_log_value_axis_uses_log_coordinates(scatter) -> None:
    scatter.log_y.box.setChecked(True)
    scatter.flush()
    assert scatter.log_y.on
    rect = QRectF(-5.0, -1.0, 5.0, 1.0)  # log10(loss) -1 .. 0: losses up to 1
    scatter.set_rect(rect)
    assert model_of(scatter).kept() == frozenset(
        n for n, y in scatter.y_values().items() if y <= 1.0)
