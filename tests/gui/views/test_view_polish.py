"""What a new user sees in the views: ranges that keep every curve and point readable,
markers that stay visible, a table sized to its contents, hints before the first sweep."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QIcon

from desktop_app.core.config import parse_config
from desktop_app.core.events import TrialFinished, TrialStarted
from desktop_app.core.search import build_space
from desktop_app.core.study import TrialState
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.style.plot_style import state_icon
from desktop_app.gui.views.loss_curves import LossCurves
from desktop_app.gui.views.off_chart import off_chart
from desktop_app.gui.views.param_axis import ParamAxis
from desktop_app.gui.views.sweep_scatter import PAD_PIXELS, SweepScatter
from tests.gui.helpers import SPACE, epoch_event, redraw, sweep_events

EXPLODED = 385.0


def y_range(curves: LossCurves) -> tuple[float, float]:
    _, (low, high) = curves.plot.getPlotItem().getViewBox().viewRange()
    return low, high


def finish(model: StudyModel, number: int, state: str, epochs: list[float]) -> None:
    """Trial ``number`` runs ``epochs`` (val losses) and ends in ``state``."""
    model.apply(TrialStarted("s", number, {"learning_rate": 0.5, "beta_2": 0.9}, seed=number))
    model.apply_many([epoch_event(number, e + 1, value=v - 0.5) for e, v in enumerate(epochs)])
    model.apply(TrialFinished("s", number, state, epochs[-1], len(epochs), 0.1))


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
    best_pen = curves._best_item.opts["pen"]
    assert best_pen.widthF() >= curves._selected_item.opts["pen"].widthF() + 3
    assert "best&nbsp;=&nbsp;selected" in curves._legend.text()
    model.select(model.numbers()[1])
    redraw(table, curves, scatter)
    assert "best&nbsp;=&nbsp;selected" not in curves._legend.text()
    assert curves._best_item.opts["pen"].widthF() < 3


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
    for marker in (scatter._best, scatter._selected):
        x, _ = marker.getData()
        assert x is not None and list(x) == [scatter.x_values()[3]]


def test_exploded_diverged_points_are_drawn_just_above_the_rest(views) -> None:
    model, table, curves, scatter = views
    finish(model, 7, "diverged", [1e6])
    redraw(table, curves, scatter)
    assert scatter.point_count() == 5
    x, y = scatter._clipped.getData()
    assert len(x) == 1 and 4.2 < y[0] < 4.7  # the others are at 1.2 .. 4.2 (running)
    _, (_, y_high) = scatter.plot.getPlotItem().getViewBox().viewRange()
    assert y_high < 10
    assert "1.00e+06" in scatter._tip(0.0, 0.0, 7)


def test_off_chart_keeps_diverged_values_that_fit() -> None:
    assert off_chart({0: 1.0, 1: 2.0, 2: 2.5}, {2}) == (set(), pytest.approx(np.nan,
                                                                            nan_ok=True))
    clipped, y = off_chart({0: 1.0, 1: 2.0, 2: 1e6}, {2})
    assert clipped == {2} and y == pytest.approx(2.08)
    assert off_chart({2: 1e6}, {2})[0] == set()  # nothing behaved: draw it as it is


def test_table_columns_fit_their_contents(views) -> None:
    _, table, _, _ = views
    table.resize(1400, 300)
    header = table.horizontalHeader()
    assert not header.stretchLastSection()
    seconds = table.source_model().columns.index("seconds")
    assert table.columnWidth(seconds) < 120


def test_state_dot_has_a_ring_on_a_selected_row(qapp) -> None:
    icon = state_icon(TrialState.COMPLETE)
    normal = icon.pixmap(12, 12, QIcon.Mode.Normal).toImage()
    selected = icon.pixmap(12, 12, QIcon.Mode.Selected).toImage()
    assert normal != selected
    top = [selected.pixelColor(selected.width() // 2, y) for y in range(selected.height() // 3)]
    assert max(c.lightness() for c in top if c.alpha() > 200) > 230  # the white ring


@pytest.mark.parametrize("size", [120.0, 200.0, 320.0, 500.0, 900.0])
def test_log_tick_labels_never_overlap(qapp, size) -> None:
    axis = ParamAxis("bottom")
    axis.setLogMode(x=True)
    for scale, (low, high) in (("log", (-6.0, 2.0)), ("reverse_log", (-4.0, -0.5))):
        axis.set_scale(scale)
        (_, values), = axis.logTickValues(low, high, size, [])
        assert len(values) >= 1
        assert axis.labels_fit(values, size)


def test_pow2_tick_labels_never_overlap(qapp) -> None:
    axis = ParamAxis("bottom")
    axis.setLogMode(x=True)
    axis.set_scale("pow2")
    (_, values), = axis.tickValues(0.0, np.log10(4096), 200.0)
    assert axis.labels_fit(values, 200.0)
    assert axis.tickStrings(values, 1.0, 1.0)[0] == "1"


def test_empty_plots_say_what_run_will_show(qtbot) -> None:
    model = StudyModel()
    model.set_study(build_space(SPACE), "val_loss", "minimize")
    curves, scatter = LossCurves(model), SweepScatter(model)
    for widget in (curves, scatter):
        qtbot.addWidget(widget)
        widget.show()
    scatter.flush()
    assert curves._hint.isVisible() and scatter._hint.isVisible()
    assert "Run" in curves._hint.text()
    model.apply_many(sweep_events(trials=1))
    curves.flush()
    scatter.flush()
    assert not curves._hint.isVisible() and not scatter._hint.isVisible()
    model.clear()
    scatter.flush()
    assert curves._hint.isVisible() and scatter._hint.isVisible()


def test_legends_wrap_instead_of_widening_the_window(qtbot) -> None:
    model = StudyModel()
    model.set_study(build_space(SPACE), "val_loss", "minimize")
    curves, scatter = LossCurves(model), SweepScatter(model)
    for widget in (curves, scatter):
        qtbot.addWidget(widget)
        assert widget.minimumSizeHint().width() < 420


def test_epoch_axis_ends_at_the_last_epoch_once_nothing_runs(qtbot) -> None:
    model = StudyModel()
    model.set_study(build_space(SPACE), "val_loss", "minimize")
    curves = LossCurves(model)
    qtbot.addWidget(curves)
    model.apply_many(sweep_events(trials=2, epochs=25, states=("complete", "running")))
    curves.flush()
    (_, live_high), _ = curves.plot.getPlotItem().getViewBox().viewRange()
    assert live_high >= 30  # rounded up while a trial runs: fewer rescales
    model.apply(TrialFinished("s", 1, "complete", 1.0, 25, 1.0))
    curves.flush()
    (_, high), _ = curves.plot.getPlotItem().getViewBox().viewRange()
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
    (x_low, x_high), _ = scatter.plot.getPlotItem().getViewBox().viewRange()
    assert x_low < -4 < -1 < x_high < -0.5  # 1e-4 .. 0.1 on the log axis
    model.apply_many(sweep_events(trials=1))
    model.preview(parse_config({"study": {"metric": "val_loss"}}))
    assert model.metric == "val_accuracy" and len(model) == 1  # trials shown: untouched


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


def test_row_tooltip_formats_parameters_like_the_cells(views) -> None:
    _, table, _, _ = views
    tip = table.model().index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.splitlines()[:3] == ["trial 0: complete", "learning_rate = 3.2e-03",
                                    "beta_2 = 0.9"]


def test_colour_by_a_parameter_names_its_range_and_the_markers(views) -> None:
    _, _, _, scatter = views
    scatter.set_color_by("learning_rate")
    scatter.flush()
    text = scatter._legend.text()
    assert text.startswith("learning_rate: 1.0e-04 ") and " 3.0e-01" in text
    assert "best" in text and "selected" in text
    scatter.set_color_by(None)
    scatter.flush()
    assert scatter._legend.text().startswith("colour = trial state")
