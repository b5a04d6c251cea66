"""Importance, history and the model panel: what they draw for a real-looking study, their
empty states, and that they follow the one selection."""

from __future__ import annotations

import io

import numpy as np
import pytest

from desktop_app.core.analysis import read_series
from desktop_app.core.data import Split
from desktop_app.core.events import EpochEnded, TrialFinished, TrialStarted
from desktop_app.core.nn import Network, save_network
from desktop_app.core.search import build_space
from desktop_app.core.study import InMemoryStorage, TrialState
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.views.history_view import HistoryView
from desktop_app.gui.views.importance_view import ImportanceView
from desktop_app.gui.views.model_panel import ModelPanel
from tests.gui.views.support import visible_texts

SPACE = build_space({"learning_rate": {"scale": "log", "low": 1e-4, "high": 1.0},
                     "batch_size": {"scale": "pow2", "low": 16, "high": 512}})


def _study(qtbot, n: int) -> StudyModel:
    """``n`` complete trials whose val_accuracy depends on the learning rate only."""
    model = StudyModel()
    model.set_study(SPACE, "val_accuracy", "maximize")
    rng = np.random.default_rng(1)
    events = []
    for number in range(n):
        lr = float(10 ** rng.uniform(-4, 0))
        acc = 1 - abs(np.log10(lr) + 2) / 4
        events += [TrialStarted("s", number, {"learning_rate": lr,
                                              "batch_size": int(2 ** rng.integers(4, 10))}, 0),
                   EpochEnded("s", number, 1, 1.0, acc, 1.0, acc, 0.01, 0.1),
                   TrialFinished("s", number, "complete", acc, 1, 0.1,
                                 {"val_accuracy": acc})]
    model.apply_many(events)
    return model


def test_importance_puts_the_learning_rate_first_with_its_group(qtbot) -> None:
    view = ImportanceView(_study(qtbot, 60))
    qtbot.addWidget(view)
    view.refresh()
    qtbot.waitUntil(lambda: view.result is not None and bool(view.result.values), timeout=10_000)
    assert view.wait()
    first, share = view.result.values[0]
    assert first == "learning_rate" and share > 0.5
    assert view.bar_labels() == ["learning_rate  (group 1)", "batch_size  (group 2)"]
    assert view.note.text() == ""


def test_importance_says_when_there_is_too_little(qtbot) -> None:
    view = ImportanceView(_study(qtbot, 1))
    qtbot.addWidget(view)
    view.refresh()
    qtbot.waitUntil(lambda: view.result is not None, timeout=10_000)
    assert view.wait()
    assert view.result.values == ()
    assert any("importance needs at least 2" in text for text in visible_texts(view))


def _points(view: HistoryView) -> list:
    """Every value point the history draws (pyqtgraph's SpotItems; data: the trial number)."""
    return [point for item in view.value_items() for point in item.points()]


def test_history_draws_values_and_the_best_so_far_and_compares(qtbot, tmp_path) -> None:
    model = _study(qtbot, 8)
    view = HistoryView(model)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: len(_points(view)) == 8, timeout=5000)
    x, y = view.best.getData()
    values = [model.value(n) for n in range(8)]
    assert y[-1] == max(values) and list(x[:1]) == [0.0]
    assert all(y[i] <= y[i + 1] for i in range(len(y) - 1))  # never worse as it goes
    storage = InMemoryStorage()
    sid = storage.create_study("grid", {"study": {"metric": "val_accuracy"}}).study_id
    for number in range(3):
        storage.create_trial(sid, {}, seed=number, state=TrialState.COMPLETE)
    view.add_comparison(read_series(storage, "grid", "grid"))
    qtbot.waitUntil(lambda: view.others and view.edf_item.getData()[0] is not None, timeout=5000)
    ex, ey = view.edf_item.getData()
    assert ey[-1] == 1.0 and ex[0] == min(values)
    item, point = view.value_items()[0], _points(view)[3]
    item.sigClicked.emit(item, [point], None)
    assert model.selected() == int(point.data())


def test_history_is_empty_with_words(qtbot) -> None:
    model = StudyModel()
    model.set_study(SPACE, "val_accuracy", "maximize")
    view = HistoryView(model)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: any("How the search progressed" in t for t in visible_texts(view)),
                    timeout=5000)


def _split() -> Split:
    X = np.array([[-2.0, 0.0], [-1.0, 1.0], [1.0, -1.0], [2.0, 0.0]])
    y = np.array([0, 0, 1, 1])
    return Split(X, y, X, y, 2, 2, ("left", "right"), "toy")


def _weights() -> bytes:
    net = Network(n_inputs=2, hidden=[], n_classes=2, batch_norm=False, seed=0)
    net.parameters()["W1"][...] = [[-1.0, 1.0], [0.0, 0.0]]
    net.parameters()["b1"][...] = 0.0
    buffer = io.BytesIO()
    save_network(net, buffer)
    return buffer.getvalue()


def test_the_model_panel_shows_the_selected_trials_confusion_and_boundary(qtbot) -> None:
    model = _study(qtbot, 3)
    panel = ModelPanel(model)
    qtbot.addWidget(panel)
    kept = {1: _weights()}
    panel.set_source(kept.get, _split)
    model.select(1)
    qtbot.waitUntil(lambda: panel.view is not None, timeout=5000)
    assert panel.view.confusion.tolist() == [[2, 0], [0, 2]]
    assert panel.title.text() == "Trial 1: validation accuracy 100.0%"
    image = panel.surface.image
    assert image.shape[:2] == (120, 120) and image.shape[2] == 4
    model.select(2)
    qtbot.waitUntil(lambda: panel.view is None, timeout=5000)
    assert "No model is stored for trial 2" in panel.hint.text()
    panel.set_source(None, None)
    qtbot.waitUntil(lambda: "draws the models of its own network" in panel.hint.text(),
                    timeout=5000)



FIXED = build_space({"learning_rate": {"scale": "log", "low": 1e-4, "high": 1.0},
                     "batch_size": {"values": [64]}})
ALL_FIXED = build_space({"batch_size": {"values": [64]}})
NAN = float("nan")
EMPTY_CASES = {  # name -> (space, [(learning rate, value, state)], importance words, history)
    "no trial": (SPACE, [], "Which hyperparameters mattered?", "How the search progressed"),
    "one trial": (SPACE, [(0.01, 0.9, "complete")], "importance needs at least 2", None),
    "one value": (FIXED, [(10 ** (-n / 10), 0.5 + n / 100, "complete") for n in range(30)],
                  "never varied, so no importance here: batch_size", None),
    "every value one": (ALL_FIXED, [(None, 0.5 + n / 10, "complete") for n in range(3)],
                        "no searched parameter took two different values", None),
    "no metric value": (SPACE, [(0.01, NAN, "complete")] * 2, "reported val_accuracy",
                        "reported val_accuracy"),
    "only failed": (SPACE, [(0.01, NAN, "failed"), (0.1, NAN, "diverged")],
                    "Every trial so far failed", "Every trial so far failed"),
}


def _model_of(space, rows) -> StudyModel:
    model = StudyModel()
    model.set_study(space, "val_accuracy", "maximize")
    for number, (lr, value, state) in enumerate(rows):
        params = {"batch_size": 64} if lr is None else {"learning_rate": lr, "batch_size": 64}
        model.apply(TrialStarted("s", number, params, 0))
        model.apply(TrialFinished("s", number, state, value, 1, 0.1, {"val_accuracy": value}))
    return model


@pytest.mark.parametrize("case", list(EMPTY_CASES))
def test_importance_explains_what_it_cannot_show(qtbot, case) -> None:
    space, rows, words, _ = EMPTY_CASES[case]
    view = ImportanceView(_model_of(space, rows))
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    qtbot.waitUntil(lambda: view.result is not None, timeout=10_000)
    assert view.wait()
    assert any(words in text for text in visible_texts(view)), visible_texts(view)


@pytest.mark.parametrize("case", list(EMPTY_CASES))
def test_history_explains_what_it_cannot_show(qtbot, case) -> None:
    space, rows, _, words = EMPTY_CASES[case]
    model = _model_of(space, rows)
    view = HistoryView(model)
    qtbot.addWidget(view)
    view.show()
    if words is None:  # something to draw: the points, never an empty axis
        qtbot.waitUntil(lambda: len(_points(view)) == len(rows), timeout=5000)
        assert not view.hint.isVisible()
        assert "val_accuracy" in view.history.getPlotItem().getAxis("left").labelText
    else:
        qtbot.waitUntil(lambda: any(words in t for t in visible_texts(view)), timeout=5000)
