"""The parallel-coordinates view: each parameter on its own scale, lines where the trials'
values are, brushing on several axes, picking a line, the empty states."""

from __future__ import annotations

import math
import statistics
import time

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from desktop_app.gui.views import parallel_sample
from desktop_app.gui.views.parallel_view import ParallelView
from tests.gui.views.support import visible_texts
from tests.gui.views.tuning_study import add_trial, random_trials, tuning_model

PARAMS = {"learning_rate": 1e-3, "momentum": 0.99, "batch_size": 64, "optimizer": "rmsprop"}


def make_view(qtbot, model) -> ParallelView:
    view = ParallelView(model)
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    qtbot.waitExposed(view)
    view.flush()
    QApplication.processEvents()
    return view


def polylines(view: ParallelView, items=None) -> list[tuple[tuple[float, ...], tuple[float, ...]]]:
    """Every polyline drawn by the bin items (or ``items``): (xs, ys) split at NaN breaks."""
    found = []
    for item in items if items is not None else view.line_items():
        x, y = item.getData()
        if x is None or not len(x):
            continue
        breaks = np.flatnonzero(np.isnan(x))
        start = 0
        for stop in [*breaks, len(x)]:
            if stop > start:
                found.append((tuple(x[start:stop]), tuple(y[start:stop])))
            start = stop + 1
    return found


def test_each_trial_is_one_line_on_every_axis_at_its_own_scale(qtbot) -> None:
    model = tuning_model()
    add_trial(model, 0, PARAMS, 0.5)
    add_trial(model, 1, {"learning_rate": 1e-4, "momentum": 0.9, "batch_size": 16,
                         "optimizer": "sgd"}, 1.5)
    add_trial(model, 2, {"learning_rate": 1e-1, "momentum": 0.999, "batch_size": 256,
                         "optimizer": "adam"}, 1.0)
    view = make_view(qtbot, model)
    assert view.axis_names() == ["learning_rate", "momentum", "batch_size", "optimizer",
                                 "val_loss"]
    lines = {ys[-1]: (xs, ys) for xs, ys in polylines(view)}
    assert len(lines) == 3
    xs, ys = lines[0.0]  # the best val_loss at the bottom of the metric axis
    assert xs == (0.0, 1.0, 2.0, 3.0, 4.0)
    # 1e-3 in [1e-4, 1e-1] on log: 1/3; 0.99 in [0.9, 0.999] on reverse log: 1/2;
    # 64 in [16, 256] on pow2: 2/4; rmsprop the middle of three categories
    assert ys == pytest.approx((1 / 3, 0.5, 0.5, 0.5, 0.0))
    assert lines[1.0][1] == pytest.approx((0.0, 0.0, 0.0, 0.0, 1.0))
    assert lines[0.5][1] == pytest.approx((1.0, 1.0, 1.0, 1.0, 0.5))


def test_tick_labels_read_user_values(qtbot) -> None:
    model = tuning_model()
    add_trial(model, 0, PARAMS, 0.5)
    add_trial(model, 1, {**PARAMS, "learning_rate": 0.01}, 0.7)
    view = make_view(qtbot, model)
    log = dict((label, y) for y, label in view.tick_labels("learning_rate"))
    assert {"0.0001", "0.001", "0.01", "0.1"} <= set(log)
    assert log["0.001"] == pytest.approx(1 / 3)
    reverse = dict((label, y) for y, label in view.tick_labels("momentum"))
    assert reverse["0.9"] == pytest.approx(0.0) and reverse["0.99"] == pytest.approx(0.5)
    assert reverse["0.999"] == pytest.approx(1.0)  # values grow upwards
    pow2 = [label for _, label in view.tick_labels("batch_size")]
    assert pow2 == ["16", "32", "64", "128", "256"]
    assert [label for _, label in view.tick_labels("optimizer")] == ["sgd", "rmsprop", "adam"]


def test_a_parameter_with_one_value_sits_mid_axis_and_is_labelled(qtbot) -> None:
    model = tuning_model({"learning_rate": {"scale": "log", "low": 1e-4, "high": 1e-1},
                          "hidden_units": {"values": [64]}})
    add_trial(model, 0, {"learning_rate": 1e-3, "hidden_units": 64}, 0.5)
    add_trial(model, 1, {"learning_rate": 1e-2, "hidden_units": 64}, 0.6)
    view = make_view(qtbot, model)
    assert view.tick_labels("hidden_units") == [(0.5, "64")]
    assert all(ys[1] == 0.5 for _, ys in polylines(view))


def test_brushing_two_axes_keeps_the_trials_inside_both(qtbot) -> None:
    model = tuning_model()
    random_trials(model, 60)
    view = make_view(qtbot, model)
    emitted: list[list[int]] = []
    view.brushed.connect(emitted.append)
    everyone = sorted(t.number for t in model.trials())
    assert view.kept_numbers() == everyone
    view.set_brush("learning_rate", 1 / 3, 1.0)  # learning rate 1e-3 .. 1e-1
    view.set_brush("val_loss", 0.0, 0.25)
    values = [model.value(n) for n in everyone]
    low, high = min(values), max(values)
    expected = [n for n in everyone if model.trial(n).params["learning_rate"] >= 1e-3 - 1e-12
                and model.value(n) <= low + 0.25 * (high - low)]
    assert 0 < len(expected) < len(everyone)
    assert view.kept_numbers() == expected
    assert emitted[-1] == expected
    ranges = view.brush_ranges()
    assert ranges["learning_rate"] == pytest.approx((1 / 3, 1.0))
    assert ranges["val_loss"] == pytest.approx((0.0, 0.25))
    kept = polylines(view)
    faded = polylines(view, [view.faded_item()])
    assert len(kept) == len(expected) and len(faded) == len(everyone) - len(expected)
    view.clear_brush("val_loss")
    assert len(view.kept_numbers()) > len(expected)
    view.clear_brush()
    assert view.kept_numbers() == everyone and emitted[-1] == everyone
    assert view.brush_ranges() == {}


def test_dragging_along_an_axis_brushes_it(qtbot) -> None:
    model = tuning_model()
    random_trials(model, 40)
    view = make_view(qtbot, model)
    box = view.plot.getPlotItem().getViewBox()
    viewport = view.plot.viewport()

    def at(x: float, y: float) -> QPointF:
        return QPointF(view.plot.mapFromScene(box.mapViewToScene(QPointF(x, y))))

    left = Qt.MouseButton.LeftButton
    start, end = at(2.0, 0.2), at(2.0, 0.7)  # batch size
    for kind, pos, buttons in ((QEvent.Type.MouseButtonPress, start, left),
                               (QEvent.Type.MouseMove, (start + end) / 2, left),
                               (QEvent.Type.MouseMove, end, left),
                               (QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)):
        QApplication.sendEvent(viewport, QMouseEvent(kind, pos, viewport.mapToGlobal(pos), left,
                                                     buttons, Qt.KeyboardModifier.NoModifier))
    low, high = view.brush_ranges()["batch_size"]
    assert low == pytest.approx(0.2, abs=0.02) and high == pytest.approx(0.7, abs=0.02)
    assert all(32 <= model.trial(n).params["batch_size"] <= 64 for n in view.kept_numbers())


def test_clicking_a_line_selects_its_trial(qtbot) -> None:
    model = tuning_model()
    add_trial(model, 0, PARAMS, 0.5)
    add_trial(model, 1, {"learning_rate": 1e-4, "momentum": 0.9, "batch_size": 16,
                         "optimizer": "sgd"}, 1.5)
    view = make_view(qtbot, model)
    box = view.plot.getPlotItem().getViewBox()
    pos = QPointF(view.plot.mapFromScene(box.mapViewToScene(QPointF(1.5, 0.5))))
    qtbot.mouseClick(view.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos.toPoint())
    assert model.selected() == 0
    view.flush()
    (_xs, ys), = polylines(view, [view.selected_item()])
    assert ys == pytest.approx((1 / 3, 0.5, 0.5, 0.5, 0.0))


def test_lines_follow_the_sweep_live(qtbot) -> None:
    model = tuning_model()
    view = make_view(qtbot, model)
    add_trial(model, 0, PARAMS, 0.5)
    add_trial(model, 1, PARAMS, 0.5, state="running")
    add_trial(model, 2, PARAMS, math.nan, state="failed")
    qtbot.waitUntil(lambda: len(polylines(view)) == 1, timeout=1000)
    add_trial(model, 3, {**PARAMS, "optimizer": "adam"}, 0.4)
    qtbot.waitUntil(lambda: len(polylines(view)) == 2, timeout=1000)
    assert view.kept_numbers() == [0, 3]


ONE_VALUE = {"learning_rate": {"scale": "log", "low": 1e-4, "high": 1e-1},
             "hidden_units": {"values": [64]}}
ONE_VALUE_TRIALS = [({"learning_rate": 10.0 ** -n, "hidden_units": 64}, 0.5 + n, "complete")
                    for n in (1, 2)]


@pytest.mark.parametrize(("trials", "words"), [
    ([], "One line per finished trial"),
    ([(PARAMS, 0.5, "complete")], "Only one finished trial"),
    ([(PARAMS, math.nan, "failed"), (PARAMS, math.nan, "diverged")], "failed, diverged"),
    ([(PARAMS, math.nan, "complete")] * 2, "reported val_loss"),
    ([(PARAMS, 0.5, "running")], "running"),
    (ONE_VALUE_TRIALS, "the same value in every trial: hidden_units"),
])
def test_empty_states_say_why(qtbot, trials, words) -> None:
    model = tuning_model(ONE_VALUE if trials is ONE_VALUE_TRIALS else None)
    for number, (params, value, state) in enumerate(trials):
        add_trial(model, number, params, value, state)
    view = make_view(qtbot, model)
    assert any(words in text for text in visible_texts(view))


def test_two_thousand_trials_draw_and_brush(qtbot) -> None:
    model = tuning_model()
    random_trials(model, 2000)
    view = make_view(qtbot, model)
    assert sum(len(polylines(view, [item])) for item in view.line_items()) == 2000
    times = []
    for step in range(10):
        model.select(step)
        model.trials_changed.emit([step])  # as when a trial finishes: a full redraw
        start = time.perf_counter()
        view.flush()
        times.append(time.perf_counter() - start)
    brush = []
    for step in range(10):
        start = time.perf_counter()
        view.set_brush("learning_rate", 0.1 + step * 0.02, 0.8)
        brush.append(time.perf_counter() - start)
    print(f"parallel 2000 trials: redraw median {statistics.median(times) * 1e3:.1f} ms, "
          f"brush median {statistics.median(brush) * 1e3:.1f} ms")
    assert 0 < len(view.kept_numbers()) < 2000


def test_many_trials_draw_the_best_and_a_sample_and_brush_every_trial(qtbot, monkeypatch) -> None:
    monkeypatch.setattr(parallel_sample, "MAX_LINES", 60)
    monkeypatch.setattr(parallel_sample, "BEST_LINES", 15)
    monkeypatch.setattr(parallel_sample, "MAX_FADED", 25)
    model = tuning_model()
    random_trials(model, 400)
    view = make_view(qtbot, model)
    assert "showing 60 of 400 lines (the best 15 and an even sample" in view.sample_caption()
    assert any(view.sample_caption() in text for text in visible_texts(view))
    lines = polylines(view)
    assert len(lines) == 60
    ends = sorted(ys[-1] for _, ys in lines)  # the metric axis: 0 the best
    values = sorted(model.value(n) for n in range(400))
    low, high = values[0], values[-1]
    best = [(v - low) / (high - low) for v in values[:15]]
    assert ends[:15] == pytest.approx(best)
    view.set_brush("learning_rate", 1 / 3, 1.0)  # learning rate 1e-3 .. 1e-1, of all trials
    expected = [n for n in range(400) if model.trial(n).params["learning_rate"] >= 1e-3 - 1e-12]
    assert view.kept_numbers() == expected and len(expected) > 60
    assert any(f"keeping {len(expected)} of 400 trials" in t for t in visible_texts(view))
    assert len(polylines(view)) == 60
    assert len(polylines(view, [view.faded_item()])) == 25
    view.clear_brush()
    assert view.kept_numbers() == list(range(400))
