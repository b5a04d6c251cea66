"""The parallel coordinates, the map and the history behind another tab: they do not redraw
as trials finish (at 100,000 trials a frame costs tens of milliseconds), they catch up as
soon as their tab is chosen, before they are painted; one that keeps trials (a brush, a
rectangle) still follows the new trials, since what it keeps filters the table."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QTabWidget, QWidget

from desktop_app.gui.frame import FRAME_MS
from desktop_app.gui.views.history_view import HistoryView
from desktop_app.gui.views.map_view import MapView
from desktop_app.gui.views.parallel_view import ParallelView
from tests.gui.views.tuning_study import random_trials, tuning_model

VIEWS = {"parallel": ParallelView, "map": MapView, "history": HistoryView}
View = ParallelView | MapView | HistoryView


def in_tabs(qtbot, view: QWidget) -> QTabWidget:
    """``view`` as the second tab of a shown tab widget, its tab chosen and drawn."""
    tabs = QTabWidget()
    tabs.addTab(QWidget(), "front")
    tabs.addTab(view, "view")
    qtbot.addWidget(tabs)
    tabs.resize(900, 500)
    tabs.show()
    qtbot.waitExposed(tabs)
    tabs.setCurrentWidget(view)
    view.flush()
    return tabs


def drawn(view: View) -> int:
    """How many trials the view draws now (lines or points, kept or faded)."""
    if isinstance(view, ParallelView):
        items = [*view.line_items(), view.faded_item()]
        per_trial = len(view.axis_names())
    elif isinstance(view, MapView):
        items, per_trial = [*view.point_items(), view.faded_item()], 1
    else:
        items, per_trial = view.value_items(), 1
    return sum(int(np.isfinite(x).sum()) for x in (item.getData()[0] for item in items)
               if x is not None) // per_trial


def selected_marks(view: View) -> int:
    """How many points the selected trial's mark has (0: not drawn)."""
    item = (view.selected_item() if isinstance(view, ParallelView) else
            view.ring_items()[1] if isinstance(view, MapView) else view.selected)
    x = item.getData()[0]
    return 0 if x is None else int(np.isfinite(x).sum())


def some_frames(qtbot) -> None:
    """Long enough for several redraws, were they due."""
    qtbot.wait(5 * FRAME_MS)


@pytest.mark.parametrize("kind", list(VIEWS))
def test_a_hidden_view_waits_and_catches_up_when_shown(qtbot, kind: str) -> None:
    model = tuning_model()
    random_trials(model, 40)
    view = VIEWS[kind](model)
    tabs = in_tabs(qtbot, view)
    assert drawn(view) == 40
    tabs.setCurrentIndex(0)
    random_trials(model, 25, seed=1, start=40)
    model.select(50)
    some_frames(qtbot)
    assert drawn(view) == 40  # hidden: nothing redrawn
    assert selected_marks(view) == 0
    tabs.setCurrentWidget(view)  # no wait: drawn before it is painted
    assert drawn(view) == 65 and selected_marks(view) > 0


@pytest.mark.parametrize("kind", list(VIEWS))
def test_a_shown_view_follows_the_trials(qtbot, kind: str) -> None:
    model = tuning_model()
    random_trials(model, 10)
    view = VIEWS[kind](model)
    tabs = in_tabs(qtbot, view)
    random_trials(model, 5, seed=1, start=10)
    qtbot.waitUntil(lambda: drawn(view) == 15)
    assert tabs.currentWidget() is view


def test_a_hidden_brush_keeps_the_new_trials_inside_it(qtbot) -> None:
    model = tuning_model()
    random_trials(model, 30)
    view = ParallelView(model)
    tabs = in_tabs(qtbot, view)
    view.set_brush("learning_rate", 0.0, 1.0)  # keeps every trial, now and later
    tabs.setCurrentIndex(0)
    with qtbot.waitSignal(view.brushed) as kept:
        random_trials(model, 10, seed=1, start=30)
    assert kept.args[0] == list(range(40))


def test_a_hidden_rectangle_keeps_the_new_trials_inside_it(qtbot) -> None:
    model = tuning_model()
    random_trials(model, 30)
    view = MapView(model)
    tabs = in_tabs(qtbot, view)
    view.set_rect(QRectF(-5, -4, 5, 4))  # every log10 learning rate and momentum
    tabs.setCurrentIndex(0)
    with qtbot.waitSignal(view.brushed) as kept:
        random_trials(model, 10, seed=1, start=30)
    assert kept.args[0] == list(range(40))


@pytest.mark.parametrize("kind", list(VIEWS))
def test_a_new_study_while_hidden_is_drawn_when_shown(qtbot, kind: str) -> None:
    model = tuning_model()
    random_trials(model, 20)
    view = VIEWS[kind](model)
    tabs = in_tabs(qtbot, view)
    tabs.setCurrentIndex(0)
    model.set_study(model.space, "val_loss", "minimize")
    random_trials(model, 7, seed=3)
    some_frames(qtbot)
    assert drawn(view) == 20
    tabs.setCurrentWidget(view)
    assert drawn(view) == 7
