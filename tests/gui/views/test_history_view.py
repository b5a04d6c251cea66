"""The history at any size: the values on the same scale as the best-so-far line (log axis
included), the step line's vertices where the best improved, trials joining as they finish,
and an EDF of a few thousand steps however many trials there are."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from desktop_app.gui.views.history_view import EDF_POINTS, HistoryView, point_alpha
from tests.gui.views.support import hover
from tests.gui.views.tuning_study import add_trial, random_trials, tuning_model

PARAMS = {"learning_rate": 1e-3, "momentum": 0.99, "batch_size": 64, "optimizer": "adam"}


def shown(qtbot, model) -> HistoryView:
    view = HistoryView(model)
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    qtbot.waitExposed(view)
    view.flush()
    QApplication.processEvents()  # the view range follows the points
    return view


def points(view: HistoryView) -> dict[int, float]:
    """Trial number -> y of its point, as drawn."""
    found = {}
    for item in view.value_items():
        _, y = item.getData()
        found.update(zip(map(int, item.data["data"]), map(float, y), strict=True))
    return found


def test_values_and_best_share_the_log_axis(qtbot) -> None:
    model = tuning_model()
    for number, value in enumerate((0.5, 0.02, 3.0)):
        add_trial(model, number, PARAMS, value)
    view = shown(qtbot, model)
    assert points(view) == pytest.approx({0: 0.5, 1: 0.02, 2: 3.0})
    view.log_y.setChecked(True)
    view.flush()
    assert points(view) == pytest.approx({0: np.log10(0.5), 1: np.log10(0.02),
                                          2: np.log10(3.0)})
    _, best = view.best.getData()  # as the line is drawn: log10 on a log axis
    assert best[-1] == pytest.approx(np.log10(0.02))
    model.select(2)
    view.flush()
    assert list(view.selected.getData()[1]) == pytest.approx([np.log10(3.0)])


def test_hovering_a_point_names_its_trial_and_a_click_selects_it(qtbot) -> None:
    model = tuning_model()
    random_trials(model, 3000)  # crowded: small markers, painted from a cache
    view = shown(qtbot, model)
    y = points(view)[1234]
    assert "trial 1234 (complete)" in hover(view.history, 1234, y)  # neighbours may join
    item = next(i for i in view.value_items() if 1234 in i.data["data"])
    spot = next(p for p in item.points() if p.data() == 1234)
    item.sigClicked.emit(item, [spot], None)
    assert model.selected() == 1234


def test_the_best_steps_only_where_it_improves(qtbot) -> None:
    model = tuning_model()
    values = [0.9, 0.95, 0.7, 0.8, 0.8, 0.3, 0.6]
    for number, value in enumerate(values):
        add_trial(model, number, PARAMS, value)
    view = shown(qtbot, model)
    x, y = view.best.getData()
    assert list(x) == [0, 2, 2, 5, 5, 6, 6]  # on to the last trial
    assert list(y) == [0.9, 0.9, 0.7, 0.7, 0.3, 0.3, 0.3]


def test_finishing_trials_join_the_points_and_the_best(qtbot) -> None:
    model = tuning_model()
    random_trials(model, 30)
    view = shown(qtbot, model)
    add_trial(model, 30, PARAMS, 0.001)  # the best now
    add_trial(model, 31, PARAMS, 0.5, state="running")
    qtbot.waitUntil(lambda: len(points(view)) == 31)
    assert points(view)[30] == pytest.approx(0.001) and 31 not in points(view)
    assert view.best.getData()[1][-1] == pytest.approx(0.001)
    add_trial(model, 31, PARAMS, 0.4)  # the running trial completes
    qtbot.waitUntil(lambda: len(points(view)) == 32)


def test_the_edf_of_many_trials_has_a_few_thousand_steps(qtbot) -> None:
    model = tuning_model()
    random_trials(model, 3 * EDF_POINTS)
    view = shown(qtbot, model)
    x, y = view.edf_item.getData()
    values = [model.value(n) for n in range(3 * EDF_POINTS)]
    assert len(x) <= 2 * EDF_POINTS
    assert x[0] == min(values) and x[-1] == max(values) and y[-1] == 1.0
    assert np.all(np.diff(x) >= 0) and np.all(np.diff(y) >= 0)
    assert len(points(view)) == 3 * EDF_POINTS


def test_the_more_points_pile_up_the_fainter_each_is() -> None:
    area = 1200 * 300
    few, many, huge = (point_alpha(n, 4, area) for n in (1000, 20_000, 100_000))
    assert few == 150 and few > many > huge >= 20  # 100,000 points: no uniform blob
    layers = 100_000 * 16 / area
    assert 1 - (1 - huge / 255) ** layers == pytest.approx(0.5, abs=0.05)  # half opaque
