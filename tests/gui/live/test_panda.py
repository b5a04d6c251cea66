"""Panda mode: one model with live curves; pause, change the learning rate, continue.

The Babysitter's controls are tested without Qt in tests/core/runner/test_babysitter.py."""

from __future__ import annotations

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
    dialog.rate.setValue(0.0005)
    dialog.toggle_pause()
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
