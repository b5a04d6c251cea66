"""Opening, New and Run show the study they name: every view, column, axis and the status
text follow it, nothing of the study shown before stays."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from desktop_app.gui.window.main_window import MainWindow
from tests.gui.helpers import raw_config
from tests.gui.window.support import SWEEP_TIMEOUT_MS, flush, run_to_end


def _loss_study() -> dict[str, Any]:
    """A study unlike :func:`raw_config`: val_loss (minimised) over learning rate and momentum."""
    raw = raw_config()
    raw["study"].update(name="loss-study", metric="val_loss")
    raw["params"] = {"learning_rate": {"scale": "log", "low": 1e-3, "high": 1e-1},
                     "momentum": {"scale": "reverse_log", "low": 0.8, "high": 0.99}}
    return raw


def _headers(win: MainWindow) -> list[str]:
    """The table's column headers, each on one line."""
    table = win.table.model()
    return [" ".join(table.headerData(c, Qt.Orientation.Horizontal).split())
            for c in range(table.columnCount())]


def _status(win: MainWindow) -> str:
    labels = (win.status.running, win.status.best, win.status.eta)
    return " ".join([win.status.bar.text(), *(label.text() for label in labels)])


def _y_axis(win: MainWindow) -> str:
    return win.scatter.plot.getPlotItem().getAxis("left").labelText


def test_opening_a_study_after_a_sweep_shows_only_the_opened_study(qtbot, window):
    window.panel.set_config(_loss_study())
    run_to_end(qtbot, window)
    loss_db = window.study.path
    window.new_study()
    window.panel.set_config(raw_config())  # val_accuracy over learning_rate and batch_size
    run_to_end(qtbot, window)
    assert "best val_accuracy" in _status(window)

    assert window.open_study(loss_db), window.errors
    flush(window)
    assert "val_accuracy" not in _status(window)
    assert "4 / 4 trials" in _status(window) and "best val_loss" in _status(window)
    assert window.table.source_model().columns[2:4] == ["learning_rate", "momentum"]
    assert "Val loss \u2605" in _headers(window)
    assert _y_axis(window) == "val_loss (lower is better)"


def test_new_study_after_opening_one_shows_the_panel_space_and_metric(qtbot, window):
    window.panel.set_config(_loss_study())
    run_to_end(qtbot, window)
    loss_db = window.study.path
    window.new_study()
    assert window.open_study(loss_db), window.errors
    flush(window)

    window.new_study()
    flush(window)
    config = window.panel.current
    assert config.study.metric == "val_accuracy"
    assert window.table.source_model().columns[2:-6] == list(config.space.names)
    assert "Val accuracy \u2605" in _headers(window) and "Val loss \u2605" not in _headers(window)
    assert _y_axis(window) == "val_accuracy (higher is better)"
    assert "no sweep yet" in _status(window)
    assert "finished" not in window.statusBar().currentMessage()


def test_opening_a_config_after_a_study_shows_the_config_space(qtbot, window, tmp_path):
    path = tmp_path / "accuracy.toml"
    assert window.save_config(path)
    window.panel.set_config(_loss_study())
    run_to_end(qtbot, window)

    assert window.open_config(path), window.errors
    flush(window)
    assert window.table.source_model().columns[2:4] == ["learning_rate", "batch_size"]
    assert _y_axis(window) == "val_accuracy (higher is better)"
    assert "no sweep yet" in _status(window)


def test_run_shows_its_own_progress_from_the_start(qtbot, window):
    window.panel.set_config(_loss_study())
    run_to_end(qtbot, window)
    window.panel.set_config(raw_config(trials=2))
    with qtbot.waitSignal(window.controller.finished, timeout=SWEEP_TIMEOUT_MS):
        assert window.run_sweep(), window.errors
        assert "0 / 2 trials" in _status(window) and "val_loss" not in _status(window)
