"""Panda mode: one model with live curves; pause, change the learning rate, continue.

The Babysitter's controls are tested without Qt in tests/core/runner/test_babysitter.py."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop_app.gui.live.panda import PandaDialog
from tests.gui.helpers import config


def test_dialog_trains_pauses_changes_rate_and_continues(qtbot):
    dialog = PandaDialog(config(epochs=5000))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.epoch_shown, timeout=30_000):
        dialog.start()
    dialog.toggle_pause()
    assert dialog.pause_button.text() == "Continue"
    qtbot.wait(400)  # epochs already on their way arrive
    seen = len(dialog.records)
    qtbot.wait(400)
    assert len(dialog.records) == seen, "training went on while paused"
    dialog.rate.selectAll()
    qtbot.keyClicks(dialog.rate, "5e-4")
    dialog.toggle_pause()  # Continue applies the rate typed while paused
    with qtbot.waitSignal(dialog.epoch_shown, timeout=30_000,
                          check_params_cb=lambda r: abs(r.learning_rate - 0.0005) < 1e-12):
        pass
    train_curve = dialog.plot.listDataItems()[0]  # the training loss, drawn first
    assert train_curve.getData()[0].size == len(dialog.records)
    assert dialog.stop()
    assert "run stopped" in dialog.info.text()
    assert dialog.start_button.text() == "Start again" and dialog.pause_button.text() == "Pause"
    with qtbot.waitSignal(dialog.epoch_shown, timeout=30_000) as first:
        dialog.start()
    assert first.args[0].epoch == 1 and first.args[0].learning_rate == 0.0005
    assert dialog.stop()


def test_dialog_babysits_the_selected_or_best_trial(qtbot):
    from desktop_app.core.events import TrialFinished, TrialStarted
    from desktop_app.gui.live.study_model import StudyModel

    cfg = config(epochs=3)
    model = StudyModel()
    model.set_study(cfg.space, cfg.study.metric, cfg.study.direction)
    for number, rate, value in ((0, 0.002, 0.5), (1, 0.05, 0.9)):
        model.apply(TrialStarted("gui-test", number, {"learning_rate": rate, "batch_size": 32},
                                 seed=number))
        model.apply(TrialFinished("gui-test", number, "complete", value, 3, 0.1,
                                  {"val_accuracy": value}))
    dialog = PandaDialog(cfg, model)
    qtbot.addWidget(dialog)
    assert dialog.hp["learning_rate"] == 0.05 and dialog.rate.value() == 0.05
    model.select(0)
    dialog = PandaDialog(cfg, model)
    qtbot.addWidget(dialog)
    assert dialog.hp["learning_rate"] == 0.002 and dialog.hp["batch_size"] == 32


def test_closing_the_dialog_stops_its_thread(qtbot):
    dialog = PandaDialog(config(epochs=5000))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.epoch_shown, timeout=30_000):
        dialog.start()
    dialog.toggle_pause()
    dialog.close()  # stops the paused run and waits for it: the leak guard checks the thread
    assert "run stopped" in dialog.info.text()
    assert dialog.start_button.isEnabled() and not dialog.stop_button.isEnabled()


def _decaying(epochs: int = 5000, lr_decay: float = 0.01):
    from desktop_app.core.config import parse_config
    from tests.gui.helpers import raw_config

    raw = raw_config(epochs=epochs)
    raw["train"]["lr_decay"] = lr_decay
    raw["data"]["samples"] = 1500  # epochs 10x longer: the run outlasts the test's waits
    return parse_config(raw)


def _base_rate(record, lr_decay: float = 0.01) -> float:
    """The rate the user set, undoing the epoch's inverse-time decay."""
    return record.learning_rate * (1 + lr_decay * (record.epoch - 1))


def test_typing_1e_4_while_training_changes_nothing_until_enter(qtbot):
    dialog = PandaDialog(_decaying())
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.epoch_shown, timeout=30_000):
        dialog.start()
    dialog.rate.selectAll()
    qtbot.keyClicks(dialog.rate, "1e-4")
    qtbot.wait(500)  # epochs go on meanwhile
    typed_at = len(dialog.records)
    assert [_base_rate(r) for r in dialog.records] == pytest.approx([0.01] * typed_at)
    qtbot.keyClick(dialog.rate, Qt.Key.Key_Return)
    with qtbot.waitSignal(dialog.epoch_shown, timeout=30_000,
                          check_params_cb=lambda r: _base_rate(r) < 1e-3):
        pass
    assert dialog.stop()
    bases = [_base_rate(r) for r in dialog.records]
    changed = next(i for i, base in enumerate(bases) if base < 1e-3)
    assert changed >= typed_at
    assert bases[:changed] == pytest.approx([0.01] * changed)  # never 1, never early
    assert bases[changed:] == pytest.approx([1e-4] * (len(bases) - changed))
    assert dialog.records[-1].learning_rate == pytest.approx(
        1e-4 / (1 + 0.01 * (dialog.records[-1].epoch - 1)))


def test_apply_button_applies_and_a_non_number_is_refused(qtbot):
    dialog = PandaDialog(config(epochs=5000))
    qtbot.addWidget(dialog)
    dialog.rate.selectAll()
    qtbot.keyClicks(dialog.rate, "1e")
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert dialog.rate.value() == 0.01 and dialog.rate.toolTip().startswith("Problem")
    qtbot.keyClicks(dialog.rate, "-3x")  # '-' completes the exponent, 'x' is refused
    assert dialog.rate.text() == "1e-3"
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert dialog.rate.value() == 1e-3 and not dialog.rate.toolTip().startswith("Problem")
    dialog.show()
    dialog.rate.selectAll()
    qtbot.keyClicks(dialog.rate, "2e-3")
    qtbot.keyClick(dialog.rate, Qt.Key.Key_Return)  # applies; presses no button of the dialog
    assert dialog.rate.value() == 2e-3 and not dialog.stop_button.isEnabled()
    dialog.rate.selectAll()
    qtbot.keyClicks(dialog.rate, "1e-3")
    qtbot.keyClick(dialog.rate, Qt.Key.Key_Return)
    with qtbot.waitSignal(dialog.epoch_shown, timeout=30_000) as first:
        dialog.start()  # a run starts from the applied rate
    assert first.args[0].learning_rate == pytest.approx(1e-3)
    assert dialog.stop()


def _marks(dialog: PandaDialog) -> list[tuple[float, str]]:
    import pyqtgraph as pg

    return [(item.value(), item.label.toPlainText())
            for item in dialog.plot.getPlotItem().items if isinstance(item, pg.InfiniteLine)]


def test_each_rate_change_is_marked_on_the_curves_where_it_was_used(qtbot):
    dialog = PandaDialog(config(epochs=5000))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.epoch_shown, timeout=30_000):
        dialog.start()
    assert _marks(dialog) == []
    for text in ("3e-3", "1e-4"):
        dialog.rate.selectAll()
        qtbot.keyClicks(dialog.rate, text)
        qtbot.keyClick(dialog.rate, Qt.Key.Key_Return)
        with qtbot.waitSignal(dialog.epoch_shown, timeout=30_000,
                              check_params_cb=lambda r, t=text: r.learning_rate == float(t)):
            pass
    assert dialog.stop()
    firsts = [next(r.epoch for r in dialog.records if r.learning_rate == rate)
              for rate in (3e-3, 1e-4)]
    # a line where each rate took over: after the last epoch that ended without it
    assert _marks(dialog) == [(firsts[0] - 1, "α 0.003"), (firsts[1] - 1, "α 0.0001")]
    with qtbot.waitSignal(dialog.epoch_shown, timeout=30_000):
        dialog.start()  # a fresh run: fresh curves, no marks
    assert _marks(dialog) == []
    assert dialog.stop()


def test_the_dialog_keeps_its_width_when_the_status_grows(qtbot, tmp_path):
    from desktop_app.core.config import parse_config
    from tests.gui.helpers import raw_config

    bad = tmp_path / ("a-long-folder-name-" * 12) / "broken.csv"
    bad.parent.mkdir()
    bad.write_text("x,y\n1,2\nnot,numbers\n", encoding="utf-8")
    raw = raw_config()
    raw["data"] = {"dataset": str(bad)}
    dialog = PandaDialog(parse_config(raw))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    width = dialog.width()
    with qtbot.waitSignal(dialog.start_button.clicked, timeout=1000):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "run failed" in dialog.info.text(), timeout=30_000)
    assert len(dialog.info.text()) > 150  # far wider than the dialog on one line
    qtbot.wait(50)
    assert dialog.width() == width and dialog.minimumSizeHint().width() <= width
