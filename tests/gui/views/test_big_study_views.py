"""A big study (5,000 trials) in the views: every trial in the table, sorting and filtering
give the right rows, the curves summarise the finished trials as a band beside the selected
and best lines, and a table selection reaches the scatter."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from benchmarks.make_big_study import STUDY_NAME
from desktop_app.core.config import parse_config
from desktop_app.core.events import EpochEnded, TrialFinished, TrialStarted
from desktop_app.core.study import SQLiteStorage, TrialState
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.style.plot_style import BEST_COLOR, SELECTED_COLOR
from desktop_app.gui.views.finished_curves import BEST_LINES
from desktop_app.gui.views.loss_curves import LossCurves
from desktop_app.gui.views.sweep_scatter import SweepScatter
from desktop_app.gui.views.table_filter import TableFilter
from desktop_app.gui.views.trials_table import TrialsTable
from tests.gui.helpers import BIG_TRIALS, redraw
from tests.gui.views.support import curve_in, hover, selected_ring


@pytest.fixture
def big(qtbot, big_file):
    model = StudyModel()
    with SQLiteStorage(big_file) as storage:
        record = storage.get_study(STUDY_NAME)
        config = parse_config(record.config)
        model.set_study(config.space, config.study.metric, config.study.direction)
        table, curves, scatter = TrialsTable(model), LossCurves(model), SweepScatter(model)
        bar = TableFilter(table)
        for widget in (table, curves, scatter, bar):
            qtbot.addWidget(widget)
            widget.resize(800, 500)
            widget.show()
        model.load(storage, record.study_id)
    redraw(table, curves, scatter)
    qtbot.waitUntil(lambda: curves.band_trials() == BIG_TRIALS)  # drawn over a few frames
    return model, table, curves, scatter, bar


def _shown(table: TrialsTable) -> list[int]:
    return [table.number_at(row) for row in range(table.model().rowCount())]


def test_every_trial_is_a_row(big) -> None:
    model, table, *_ = big
    assert len(model) == BIG_TRIALS and table.model().rowCount() == BIG_TRIALS


def test_sorting_by_the_metric_puts_the_best_first(big) -> None:
    model, table, *_ = big
    column = table.source_model().columns.index(model.metric)
    table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    shown = _shown(table)
    values = np.array([model.value(n) for n in shown])
    finite = values[np.isfinite(values)]
    assert shown[0] == model.best_number()
    assert np.all(np.diff(finite) >= 0) and np.isnan(values[len(finite):]).all()
    table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert _shown(table)[:3] == [BIG_TRIALS - 1, BIG_TRIALS - 2, BIG_TRIALS - 3]


def test_filter_by_state_and_metric_range(big) -> None:
    model, table, _, _, bar = big
    pruned = [t.number for t in model.trials() if t.state is TrialState.PRUNED]
    bar.set_filter(TrialState.PRUNED)
    assert sorted(_shown(table)) == pruned
    bar.set_filter(None, "0,3", "0.5")  # a comma decimal works too
    inside = [n for n in model.numbers() if 0.3 <= model.value(n) <= 0.5]
    assert 0 < len(inside) < BIG_TRIALS and sorted(_shown(table)) == inside
    bar.set_filter(TrialState.COMPLETE, "0.3", "")
    assert sorted(_shown(table)) == [n for n in model.numbers() if model.value(n) >= 0.3
                                     and model.trial(n).state is TrialState.COMPLETE]
    bar.set_filter(None, "abc")  # not a number: no bound
    assert table.model().rowCount() == BIG_TRIALS


def test_curves_show_a_band_and_the_best_and_selected_lines(big) -> None:
    model, table, curves, scatter, _ = big
    assert curves.band_trials() == BIG_TRIALS
    lines = curves.line_numbers()
    assert model.best_number() in lines and len(lines) == BEST_LINES
    table.selectRow(7)
    selected = table.number_at(7)
    redraw(table, curves, scatter)
    assert model.selected() == selected
    losses = model.trial(selected).series(curves.series_key())
    assert np.array_equal(curve_in(curves, SELECTED_COLOR).getData()[1], losses, equal_nan=True)
    best = model.trial(model.best_number()).series(curves.series_key())
    assert np.array_equal(curve_in(curves, BEST_COLOR).getData()[1], best, equal_nan=True)
    if selected in scatter.x_values():  # a trial with a NaN metric has no point
        assert selected_ring(scatter).getData()[0] == pytest.approx([scatter.x_values()[selected]])


def test_scatter_draws_every_finite_point(big) -> None:
    model, *_, scatter, _ = big
    finite = sum(np.isfinite(model.value(n)) for n in model.numbers())
    assert scatter.point_count() == finite


def test_a_new_trial_lands_in_sorted_place_and_the_selection_stays(big, qtbot) -> None:
    model, table, curves, scatter, _ = big
    column = table.source_model().columns.index(model.metric)
    table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    table.selectRow(2)
    chosen = table.number_at(2)
    params = model.trial(0).params
    number = len(model)
    model.apply_many([TrialStarted(STUDY_NAME, number, params, seed=0),
                      EpochEnded(STUDY_NAME, number, 1, 0.01, 0.9, 0.01, 0.9, 0.01, 0.1),
                      TrialFinished(STUDY_NAME, number, "complete", 0.01, 1, 0.1)])
    redraw(table, curves, scatter)
    qtbot.waitUntil(lambda: table.number_at(0) == number)  # the new best, first
    assert model.best_number() == number
    assert model.selected() == chosen
    assert table.number_at(table.selectionModel().selectedRows()[0].row()) == chosen
    assert curves.line_numbers().count(number) == 1
    qtbot.waitUntil(lambda: number in scatter.x_values())  # a slow rebuild may wait a little


def test_switching_the_series_redraws_every_trial(big, qtbot) -> None:
    model, _, curves, *_ = big
    curves.set_series("train_loss")
    qtbot.waitUntil(lambda: curves.band_trials() == BIG_TRIALS)
    best = model.trial(model.best_number()).series("train_loss")
    assert np.array_equal(curve_in(curves, BEST_COLOR).getData()[1], best, equal_nan=True)
    assert "finished trials: shaded 10-90 %" in curves.caption()[1]  # the legend


def test_a_trial_finishing_in_a_big_study_shows_its_tip_on_hover(big) -> None:
    model, table, curves, scatter, _ = big
    number = len(model)
    high = max(v for v in map(model.value, model.numbers()) if np.isfinite(v)) * 1.5
    model.apply_many([TrialStarted(STUDY_NAME, number, model.trial(0).params, seed=0),
                      EpochEnded(STUDY_NAME, number, 1, high, 0.1, high, 0.1, 0.01, 0.1),
                      TrialFinished(STUDY_NAME, number, "complete", high, 1, 0.1)])
    redraw(table, curves, scatter)
    tip = hover(scatter.plot, scatter.x_values()[number], high)  # alone above the others
    assert tip.startswith(f"trial {number} (complete)")


def test_a_trial_beyond_the_colour_range_is_drawn_and_recoloured(big, qtbot) -> None:
    model, table, curves, scatter, _ = big
    scatter.set_color_by("learning_rate")
    redraw(table, curves, scatter)
    before = scatter.x_values()
    number = len(model)
    params = {**model.trial(0).params, "learning_rate": 50.0}  # far above the searched range
    model.apply_many([TrialStarted(STUDY_NAME, number, params, seed=0),
                      EpochEnded(STUDY_NAME, number, 1, 0.5, 0.9, 0.5, 0.9, 0.01, 0.1),
                      TrialFinished(STUDY_NAME, number, "complete", 0.5, 1, 0.1)])
    redraw(table, curves, scatter)
    qtbot.waitUntil(lambda: number in scatter.x_values())
    assert scatter.point_count() == len(before) + 1
    assert "5.0e+01" in scatter.caption()[1]  # the colour bar's new top
