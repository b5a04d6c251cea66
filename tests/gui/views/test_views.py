"""The three study views over a StudyModel fed with synthetic events (offscreen): what each
shows, selection and hover across them, and what the empty plots say."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from desktop_app.core.events import TrialFinished, TrialStarted
from desktop_app.core.search import build_space
from desktop_app.core.study import TrialState
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.style.plot_style import BEST_COLOR, SELECTED_COLOR, STATE_COLORS
from desktop_app.gui.views.formatting import format_metric, format_param
from desktop_app.gui.views.loss_curves import EMPTY_HINT as CURVES_HINT
from desktop_app.gui.views.loss_curves import LossCurves
from desktop_app.gui.views.param_axis import ParamAxis
from desktop_app.gui.views.sweep_scatter import EMPTY_HINT as SCATTER_HINT
from desktop_app.gui.views.sweep_scatter import SweepScatter
from desktop_app.gui.views.trials_table import TrialsTable
from tests.gui.helpers import (
    BETAS,
    LEARNING_RATES,
    SPACE,
    STATES,
    epoch_event,
    redraw,
    sweep_events,
)
from tests.gui.views.support import (
    best_star,
    curve_in,
    hover,
    selected_ring,
    tick_labels,
    visible_texts,
)


def cell(table: TrialsTable, row: int, header: str) -> str:
    source = table.source_model()
    column = source.columns.index(header)
    return table.model().index(row, column).data()


def test_table_rows_states_and_formatting(views) -> None:
    _, table, _, _ = views
    assert table.model().rowCount() == 4
    assert table.source_model().columns == [
        "number", "state", "learning_rate", "beta_2", "train_loss", "train_accuracy",
        "val_loss", "val_accuracy", "epochs", "seconds",
    ]
    assert [cell(table, r, "state") for r in range(4)] == list(STATES)
    assert cell(table, 0, "learning_rate") == "3.2e-03"
    assert cell(table, 2, "beta_2") == "0.999"
    assert cell(table, 0, "val_accuracy") == "0.880"  # 1 - (0.7 + 0.5) / 10
    assert cell(table, 0, "val_loss") == "1.200"
    assert format_metric("val_accuracy", 0.95312) == "0.953"
    assert format_param(0.0032, "log") == "3.2e-03"
    assert cell(table, 1, "epochs") == "3"


def test_curves_and_scatter_have_one_item_per_trial(views) -> None:
    _, _, curves, scatter = views
    assert curves.curve_count() == 4
    assert [curves.curve_points(n) for n in range(4)] == [3, 3, 3, 3]
    assert scatter.point_count() == 4


def test_rows_are_inserted_and_updated_without_reset(views, qtbot) -> None:
    model, table, curves, _ = views
    source = table.source_model()
    with qtbot.assertNotEmitted(source.modelReset), qtbot.waitSignal(source.rowsInserted):
        model.apply(TrialStarted("s", 4, {"learning_rate": 0.01, "beta_2": 0.95}, seed=4))
    with qtbot.assertNotEmitted(source.modelReset), qtbot.waitSignal(source.dataChanged):
        model.apply(epoch_event(3, 4))
    assert table.model().rowCount() == 5
    curves.flush()
    assert curves.curve_points(3) == 4
    assert curves.curve_count() == 5


def test_nan_loss_is_a_gap_and_no_point(views, qtbot) -> None:
    model, table, curves, scatter = views
    model.apply(TrialStarted("s", 9, {"learning_rate": 0.9, "beta_2": 0.9}, seed=9))
    model.apply_many([epoch_event(9, 1), epoch_event(9, 2, value=math.inf),
                      epoch_event(9, 3, value=math.nan)])
    model.apply(TrialFinished("s", 9, "diverged", math.nan, 3, 0.3))
    redraw(table, curves, scatter)
    curves.set_log_y(True)
    curves.flush()
    curves.grab()
    scatter.grab()
    assert curves.curve_points(9) == 1
    assert scatter.point_count() == 4
    assert 9 not in scatter.x_values()
    assert cell(table, 4, "val_loss") == "\u2013"


def test_log_and_reverse_log_x_positions(views) -> None:
    _, _, _, scatter = views
    scatter.set_x_param("learning_rate")
    scatter.flush()
    xs = scatter.x_values()
    assert xs == pytest.approx({n: math.log10(LEARNING_RATES[n]) for n in range(4)})
    scatter.set_x_param("beta_2")
    scatter.flush()
    xs = scatter.x_values()
    assert xs == pytest.approx({n: math.log10(1 - BETAS[n]) for n in range(4)})
    axis = scatter.plot.getPlotItem().getAxis("bottom")
    assert axis.tickStrings([-1.0, -2.0, -3.0], 1.0, 1.0) == ["0.9", "0.99", "0.999"]


def test_pow2_and_categorical_axes(qtbot) -> None:
    model = StudyModel()
    space = build_space({"batch_size": {"scale": "pow2", "low": 16, "high": 512},
                         "optimizer": {"values": ["sgd", "adam", "rmsprop"]}})
    model.set_study(space, "val_loss", "minimize")
    scatter = SweepScatter(model)
    qtbot.addWidget(scatter)
    scatter.resize(640, 400)
    scatter.show()
    sizes, optimizers = (16, 64, 512), ("adam", "rmsprop", "sgd")
    for n in range(3):
        model.apply(TrialStarted("s", n, {"batch_size": sizes[n], "optimizer": optimizers[n]}, n))
        model.apply(epoch_event(n, 1))
    scatter.set_x_param("batch_size")
    scatter.flush()
    assert scatter.x_values() == pytest.approx({n: math.log10(sizes[n]) for n in range(3)})
    axis = scatter.plot.getPlotItem().getAxis("bottom")
    (_, ticks), = axis.tickValues(math.log10(16), math.log10(512), 600)
    assert [round(10**t) for t in ticks] == [16, 32, 64, 128, 256, 512]
    assert axis.tickStrings(ticks[:2], 1.0, 1.0) == ["16", "32"]
    scatter.set_x_param("optimizer")
    scatter.flush()
    xs = scatter.x_values()
    for n, name in enumerate(optimizers):
        index = ("sgd", "adam", "rmsprop").index(name)
        assert abs(xs[n] - index) <= 0.25
    labels = tick_labels(axis)  # one label under each strip, in the space's order
    assert [text for _, text in labels] == ["sgd", "adam", "rmsprop"]
    assert [x for x, _ in labels] == pytest.approx([0, 1, 2], abs=0.01)


def test_selection_syncs_table_model_and_plots(views, qtbot) -> None:
    model, table, curves, scatter = views
    table.selectRow(2)
    assert model.selected() == table.number_at(2)
    model.select(1)
    rows = table.selectionModel().selectedRows()
    assert [table.number_at(r.row()) for r in rows] == [1]
    curves.flush()
    scatter.flush()
    np.testing.assert_allclose(curve_in(curves, SELECTED_COLOR).getData()[1],
                               model.trial(1).series("val_loss"))
    assert selected_ring(scatter).getData()[0] == pytest.approx([scatter.x_values()[1]])


def click_at(qtbot, plot, view_x: float, view_y: float) -> None:
    """A left click on the plot at view coordinates (already log10 on a log axis)."""
    view = plot.getPlotItem().getViewBox()
    scene = view.mapViewToScene(QPointF(view_x, view_y))
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton,
                     pos=plot.mapFromScene(scene))


def test_clicking_a_point_or_a_curve_selects_the_trial(views, qtbot) -> None:
    model, table, curves, scatter = views
    scatter.set_x_param("learning_rate")
    scatter.flush()
    scatter.plot.getPlotItem().getViewBox().autoRange()
    click_at(qtbot, scatter.plot, scatter.x_values()[2], model.value(2))
    assert model.selected() == 2
    assert [table.number_at(r.row()) for r in table.selectionModel().selectedRows()] == [2]
    curves.plot.getPlotItem().getViewBox().autoRange()
    click_at(qtbot, curves.plot, 2.0, model.trial(1).series("val_loss")[1])
    assert model.selected() == 1


def test_sorting_is_numeric(views) -> None:
    _, table, _, _ = views
    column = table.source_model().columns.index("learning_rate")
    table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    shown = [cell(table, r, "learning_rate") for r in range(4)]
    assert shown == ["1.0e-04", "3.2e-03", "5.0e-02", "3.0e-01"]  # text order would differ
    assert sorted(shown) != shown


def test_best_trial_is_highlighted(views, qtbot) -> None:
    model, table, curves, scatter = views
    assert model.best_number() == 0
    np.testing.assert_allclose(curve_in(curves, BEST_COLOR).getData()[1],
                               model.trial(0).series("val_loss"))
    assert best_star(scatter).getData()[0] == pytest.approx([scatter.x_values()[0]])
    assert table.model().index(0, 0).data(Qt.ItemDataRole.FontRole).bold()
    model.set_study(build_space(SPACE), "val_loss", "maximize")
    model.apply_many(sweep_events(states=STATES))
    redraw(table, curves, scatter)
    assert model.best_number() == 2
    np.testing.assert_allclose(curve_in(curves, BEST_COLOR).getData()[1],
                               model.trial(2).series("val_loss"))


def test_running_curve_stands_out(views) -> None:
    _, _, curves, _ = views
    running, done = curves.line_pen(3), curves.line_pen(0)
    assert running.color().name() == STATE_COLORS[TrialState.RUNNING]
    assert running.color().alpha() > done.color().alpha()
    assert running.width() <= 1
    assert curve_in(curves, BEST_COLOR).opts["pen"].widthF() > 1  # the best: green and wider


def test_hover_names_the_trial(views, qtbot) -> None:
    model, _, curves, _ = views
    view = curves.plot.getPlotItem().getViewBox()
    view.autoRange()
    hover(curves.plot, 3.0, model.trial(2).series("val_loss")[2])
    assert any(text.startswith("trial 2: val_loss 3.2 @ epoch 3")
               for text in visible_texts(curves))
    hover(curves.plot, 2.0, model.trial(2).series("val_loss")[1] + 0.5)  # between two curves
    assert not any(text.startswith("trial") for text in visible_texts(curves))


def test_log_axis_labels_values(qapp) -> None:
    axis = ParamAxis("bottom")
    axis.setLogMode(x=True)
    axis.set_scale("log")
    assert axis.tickStrings([-3.0, 0.0], 1.0, 1.0) == ["0.001", "1"]


def test_a_diverging_loss_does_not_flatten_the_other_curves(views) -> None:
    model, table, curves, scatter = views
    model.apply(TrialStarted("s", 8, {"learning_rate": 0.9, "beta_2": 0.9}, seed=8))
    model.apply_many([epoch_event(8, 1), epoch_event(8, 2, value=1e6)])
    redraw(table, curves, scatter)
    _, (low, high) = curves.plot.getPlotItem().getViewBox().viewRange()
    first_losses = [model.trial(n).series("val_loss")[0] for n in model.numbers()]
    assert high <= 2 * max(first_losses) * 1.1  # capped, not 1e6
    assert low <= min(float(np.nanmin(model.trial(n).series("val_loss")))
                      for n in model.numbers())


def test_scatter_view_grows_to_take_in_every_point(views) -> None:
    model, _, _, scatter = views
    scatter.set_x_param("learning_rate")
    scatter.flush()
    model.apply(epoch_event(3, 4, value=40.0))  # running trial 3 jumps far up (val = 40.5)
    scatter.flush()
    (x_low, x_high), (y_low, y_high) = scatter.plot.getPlotItem().getViewBox().viewRange()
    for number, x in scatter.x_values().items():
        assert x_low <= x <= x_high
        assert y_low <= model.value(number) <= y_high
    assert y_high >= 40.5


def test_log_ticks_thin_out_to_fit(qapp) -> None:
    axis = ParamAxis("bottom")
    axis.setLogMode(x=True)
    axis.set_scale("log")
    (_, wide), = axis.logTickValues(-4.0, -1.0, 900.0, [])
    assert axis.tickStrings(wide, 1.0, 1.0) == [
        "0.0001", "0.0002", "0.0005", "0.001", "0.002", "0.005", "0.01", "0.02", "0.05", "0.1",
    ]
    (_, narrow), = axis.logTickValues(-4.0, -1.0, 260.0, [])
    assert axis.tickStrings(narrow, 1.0, 1.0) == ["0.0001", "0.001", "0.01", "0.1"]
    axis.set_scale("reverse_log")
    (_, beta), = axis.logTickValues(-2.0, -1.0, 600.0, [])
    assert axis.tickStrings(beta, 1.0, 1.0) == ["0.99", "0.98", "0.95", "0.9"]


def test_scatter_hover_names_params_and_metrics(views) -> None:
    model, _, _, scatter = views
    tip = hover(scatter.plot, scatter.x_values()[0], model.value(0))
    assert tip.splitlines()[:3] == ["trial 0 (complete)", "learning_rate = 3.2e-03",
                                    "beta_2 = 0.9"]
    assert "val_accuracy = 0.880" in tip
    assert "epochs = 3, 0.75 s" in tip


def test_empty_plots_say_what_run_will_show(qtbot) -> None:
    model = StudyModel()
    model.set_study(build_space(SPACE), "val_loss", "minimize")
    curves, scatter = LossCurves(model), SweepScatter(model)
    for widget in (curves, scatter):
        qtbot.addWidget(widget)
        widget.show()
    scatter.flush()
    assert "Press <b>Run</b>" in CURVES_HINT
    assert CURVES_HINT in visible_texts(curves) and SCATTER_HINT in visible_texts(scatter)
    model.apply_many(sweep_events(trials=1))
    curves.flush()
    scatter.flush()
    assert CURVES_HINT not in visible_texts(curves)
    assert SCATTER_HINT not in visible_texts(scatter)
    model.clear()
    scatter.flush()
    assert CURVES_HINT in visible_texts(curves) and SCATTER_HINT in visible_texts(scatter)


def test_legends_wrap_instead_of_widening_the_window(qtbot) -> None:
    model = StudyModel()
    model.set_study(build_space(SPACE), "val_loss", "minimize")
    curves, scatter = LossCurves(model), SweepScatter(model)
    for widget in (curves, scatter):
        qtbot.addWidget(widget)
        assert widget.minimumSizeHint().width() < 420
