"""The map: two parameters on their own scales, points coloured by the metric, rings for the
best and selected trials, rectangle selection, the surface, the empty states."""

from __future__ import annotations

import math
import statistics
import time

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from desktop_app.gui.views import map_density
from desktop_app.gui.views.map_view import MapView
from tests.gui.views.support import hover, tick_labels, visible_texts
from tests.gui.views.tuning_study import add_trial, random_trials, tuning_model

PARAMS = {"learning_rate": 1e-3, "momentum": 0.99, "batch_size": 64, "optimizer": "rmsprop"}


def make_map(qtbot, model) -> MapView:
    view = MapView(model)
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    qtbot.waitExposed(view)
    view.flush()
    QApplication.processEvents()
    return view


def drawn(view: MapView) -> dict[int, tuple[float, float]]:
    """Trial number -> (x, y) of every coloured point, read from the items."""
    found = {}
    for item in view.point_items():
        x, y = item.getData()
        found.update(zip(map(int, item.data["data"]), zip(map(float, x), map(float, y),
                                                         strict=True), strict=True))
    return found


def test_points_sit_on_each_axis_scale_and_axes_follow_the_combos(qtbot) -> None:
    model = tuning_model()
    add_trial(model, 0, PARAMS, 0.5)
    add_trial(model, 1, {**PARAMS, "learning_rate": 1e-2, "momentum": 0.999}, 0.7)
    view = make_map(qtbot, model)
    assert (view.x_box.currentText(), view.y_box.currentText()) == ("learning_rate",
                                                                    "momentum")
    points = drawn(view)
    assert points[0] == pytest.approx((-3.0, -2.0))  # log10(1e-3), log10(1 - 0.99)
    assert points[1] == pytest.approx((-2.0, -3.0))
    item = view.plot.getPlotItem()
    assert item.getViewBox().yInverted()  # reverse log: 0.999 above 0.99
    left = [text for _, text in tick_labels(item.getAxis("left"))]
    assert "0.99" in left and "0.999" in left
    view.set_axes("batch_size", "optimizer")
    view.flush()
    qtbot.wait(50)  # the left axis widens to its new labels
    assert not item.getViewBox().yInverted()
    bottom = [text for _, text in tick_labels(item.getAxis("bottom"))]
    assert "64" in bottom
    assert [text for _, text in tick_labels(item.getAxis("left"))] == ["sgd", "rmsprop", "adam"]
    x, y = drawn(view)[0]
    assert x == pytest.approx(math.log10(64)) and abs(y - 1) <= 0.25  # rmsprop, jittered
    assert "batch_size" in item.getAxis("bottom").labelText


def test_best_is_ringed_green_and_selected_magenta(qtbot) -> None:
    model = tuning_model()
    add_trial(model, 0, PARAMS, 0.5)
    add_trial(model, 1, {**PARAMS, "learning_rate": 1e-2}, 0.2)
    model.select(0)
    view = make_map(qtbot, model)
    best, selected = view.ring_items()
    assert list(best.data["data"]) == [1] and list(selected.data["data"]) == [0]
    assert "learning_rate = 1.0e-02" in hover(view.plot, *drawn(view)[1])


def test_clicking_a_point_selects_it(qtbot) -> None:
    model = tuning_model()
    add_trial(model, 0, PARAMS, 0.5)
    add_trial(model, 1, {**PARAMS, "learning_rate": 1e-2}, 0.2)
    view = make_map(qtbot, model)
    box = view.plot.getPlotItem().getViewBox()
    pos = view.plot.mapFromScene(box.mapViewToScene(QPointF(*drawn(view)[1])))
    qtbot.mouseClick(view.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert model.selected() == 1


def test_a_rectangle_keeps_the_points_inside(qtbot) -> None:
    model = tuning_model()
    random_trials(model, 80)
    view = make_map(qtbot, model)
    emitted: list[list[int]] = []
    view.brushed.connect(emitted.append)
    box = view.plot.getPlotItem().getViewBox()
    viewport = view.plot.viewport()

    def at(x: float, y: float) -> QPointF:
        return QPointF(view.plot.mapFromScene(box.mapViewToScene(QPointF(x, y))))

    right = Qt.MouseButton.RightButton
    start, end = at(-3.0, -1.2), at(-1.5, -2.5)
    for kind, pos, buttons in ((QEvent.Type.MouseButtonPress, start, right),
                               (QEvent.Type.MouseMove, (start + end) / 2, right),
                               (QEvent.Type.MouseMove, end, right),
                               (QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)):
        QApplication.sendEvent(viewport, QMouseEvent(kind, pos, viewport.mapToGlobal(pos), right,
                                                     buttons, Qt.KeyboardModifier.NoModifier))
    points = view.view_points()
    tol = 0.05
    inside = sorted(n for n, (x, y) in points.items()
                    if -3 + tol <= x <= -1.5 - tol and -2.5 + tol <= y <= -1.2 - tol)
    outside = sorted(n for n, (x, y) in points.items()
                     if not (-3 - tol <= x <= -1.5 + tol and -2.5 - tol <= y <= -1.2 + tol))
    kept = view.kept_numbers()
    assert inside and set(inside) <= set(kept) and not set(outside) & set(kept)
    assert emitted[-1] == kept
    assert len(view.faded_item().data) == len(points) - len(kept)
    view.clear_rect()
    assert view.kept_numbers() == sorted(points) == emitted[-1]


def test_set_rect_and_surface(qtbot) -> None:
    model = tuning_model()
    random_trials(model, 50)
    view = make_map(qtbot, model)
    view.set_rect(QRectF(-4.5, -3.5, 2.0, 3.0))  # learning rate below ~3e-3
    assert view.kept_numbers() == sorted(n for n, (x, _) in view.view_points().items()
                                         if x <= -2.5)
    view.surface_box.setChecked(True)
    view.flush()
    image = view.surface_item().image
    assert image is not None and image.shape[2] == 4 and (image[..., 3] > 0).any()


ONE_VALUE = {"learning_rate": {"scale": "log", "low": 1e-4, "high": 1e-1},
             "hidden_units": {"values": [64]}}
ONE_VALUE_TRIALS = [({"learning_rate": 10.0 ** -n, "hidden_units": 64}, 0.5 + n, "complete")
                    for n in (1, 2)]


@pytest.mark.parametrize(("trials", "words"), [
    ([], "One point per finished trial"),
    ([(PARAMS, 0.5, "complete")], "Only one finished trial"),
    ([(PARAMS, math.nan, "failed")], "failed, diverged"),
    ([(PARAMS, math.nan, "complete")] * 2, "reported val_loss"),
    ([(PARAMS, 0.5, "running")], "running"),
    (ONE_VALUE_TRIALS, "the same value in every trial: hidden_units"),
])
def test_empty_states_say_why(qtbot, trials, words) -> None:
    model = tuning_model(ONE_VALUE if trials is ONE_VALUE_TRIALS else None)
    for number, (params, value, state) in enumerate(trials):
        add_trial(model, number, params, value, state)
    view = make_map(qtbot, model)
    assert any(words in text for text in visible_texts(view))


def test_a_single_parameter_explains_the_map_needs_two(qtbot) -> None:
    model = tuning_model({"learning_rate": {"scale": "log", "low": 1e-4, "high": 1e-1}})
    for number in range(3):
        add_trial(model, number, {"learning_rate": 10.0 ** -(number + 1)}, 0.5 + number)
    view = make_map(qtbot, model)
    assert any("searches only learning_rate" in text for text in visible_texts(view))


def test_two_thousand_points(qtbot) -> None:
    model = tuning_model()
    random_trials(model, 2000)
    view = make_map(qtbot, model)
    assert len(drawn(view)) == 2000
    times = []
    for step in range(10):
        model.select(step)
        model.trials_changed.emit([step])  # as when a trial finishes: a full redraw
        start = time.perf_counter()
        view.flush()
        times.append(time.perf_counter() - start)
    print(f"map 2000 points: redraw median {statistics.median(times) * 1e3:.1f} ms")
    view.set_rect(QRectF(-3.0, -3.0, 1.0, 1.0))
    assert 0 < len(view.kept_numbers()) < 2000
    assert np.isfinite(np.array(list(view.view_points().values()))).all()


def test_many_points_are_an_image_with_the_best_on_top_and_hover_finds_any(
        qtbot, monkeypatch) -> None:
    monkeypatch.setattr(map_density, "DENSE_POINTS", 100)
    monkeypatch.setattr(map_density, "TOP_POINTS", 20)
    model = tuning_model()
    random_trials(model, 300)
    view = make_map(qtbot, model)
    assert "300 points drawn as an image" in view.sample_caption()
    assert any(view.sample_caption() in text for text in visible_texts(view))
    image = view.point_image().image
    assert image is not None and image.shape[2] == 4 and (image[..., 3] > 0).sum() >= 100
    markers = drawn(view)
    best = sorted(range(300), key=model.value)[:20]
    assert sorted(markers) == sorted(best)
    points = view.view_points()
    assert len(points) == 300
    other = next(n for n in range(300) if n not in markers)  # drawn only in the image
    assert f"trial {other} " in hover(view.plot, *points[other])
    box = view.plot.getPlotItem().getViewBox()
    pos = view.plot.mapFromScene(box.mapViewToScene(QPointF(*points[other])))
    qtbot.mouseClick(view.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert model.selected() == other
    view.set_rect(QRectF(-4.5, -3.5, 2.0, 3.0))  # learning rate below ~3e-3, of all trials
    assert view.kept_numbers() == sorted(n for n, (x, _) in points.items() if x <= -2.5)
    assert len(view.kept_numbers()) > 20
    assert any("keeping" in text and "of 300 trials" in text for text in visible_texts(view))
    view.clear_rect()
    assert view.kept_numbers() == list(range(300))
