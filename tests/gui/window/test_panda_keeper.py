"""A babysat run is kept: saved as a trial, shown in the table, exported with the study."""

from __future__ import annotations

import csv

from PySide6.QtCore import Qt

from desktop_app.core.study import TrialState
from desktop_app.gui.live.panda import PandaDialog
from desktop_app.gui.window.main_window import MainWindow
from tests.gui.helpers import raw_config
from tests.gui.window.support import flush, run_to_end

EPOCH_TIMEOUT_MS = 30_000


def _open_panda(window: MainWindow) -> PandaDialog:
    window.commands.train_one.trigger()
    dialog = window.commands.panda
    assert dialog is not None
    return dialog


def _babysit(qtbot, dialog: PandaDialog, rate: str = "3e-3") -> None:
    """Start, set ``rate`` with Enter once the first epoch is in, run until it is used."""
    with qtbot.waitSignal(dialog.epoch_shown, timeout=EPOCH_TIMEOUT_MS):
        dialog.start()
    dialog.rate.selectAll()
    qtbot.keyClicks(dialog.rate, rate)
    qtbot.keyClick(dialog.rate, Qt.Key.Key_Return)
    with qtbot.waitSignal(dialog.epoch_shown, timeout=EPOCH_TIMEOUT_MS,
                          check_params_cb=lambda r: r.learning_rate == float(rate)):
        pass
    assert dialog.stop()


def test_a_babysat_trial_joins_the_shown_study_its_table_and_its_export(qtbot, window,
                                                                         tmp_path):
    window.panel.set_config(raw_config(trials=2, epochs=5000))
    run_to_end(qtbot, window)
    window.study_model.select(1)
    dialog = _open_panda(window)
    _babysit(qtbot, dialog)
    assert "kept as trial 2 of study 'gui-test'" in dialog.info.text()
    flush(window)
    assert window.table.source_model().rowCount() == 3
    trial = window.study_model.trial(2)
    assert trial.params["panda"] is True and trial.state is TrialState.COMPLETE
    assert trial.params["learning_rate"] == window.study_model.trial(1).params["learning_rate"]
    storage = window.study.storage
    sid = storage.get_study("gui-test").study_id
    rates = [row.learning_rate for row in storage.get_epochs(sid, 2)]
    assert len(rates) == len(dialog.records) and rates[-1] == 3e-3
    assert rates[0] == trial.params["learning_rate"]
    out = tmp_path / "results.csv"
    assert window.export_results(out)
    with open(out, encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert [row[:2] for row in rows[1:]][-1] == ["2", "complete"]
    assert rows[-1][rows[0].index("epochs")] == str(len(dialog.records))


def test_with_no_study_open_the_run_is_kept_in_a_panda_study_that_is_shown(qtbot, window,
                                                                           tmp_path):
    dialog = _open_panda(window)
    with qtbot.waitSignal(dialog.epoch_shown, timeout=EPOCH_TIMEOUT_MS):
        dialog.start()
    qtbot.waitUntil(lambda: "run complete" in dialog.info.text(), timeout=EPOCH_TIMEOUT_MS)
    assert "kept as trial 0 of study 'gui-test-panda' in gui-test.db" in dialog.info.text()
    assert window.study.path == tmp_path / "gui-test.db"
    assert window.shown_study_name() == "gui-test-panda"
    assert "gui-test-panda" in window.windowTitle()
    assert [t.params["panda"] for t in window.study_model.trials()] == [True]
    assert window.run_sweep(), window.errors  # the sweep goes to its own study, same file
    qtbot.waitUntil(lambda: not window.controller.is_running(), timeout=60_000)
    names = [s.name for s in window.study.storage.list_studies()]
    assert names == ["gui-test-panda", "gui-test"]


def test_a_run_ending_during_a_sweep_goes_to_its_own_study(qtbot, window):
    window.panel.set_config(raw_config(epochs=5000))
    dialog = _open_panda(window)  # a long run, so that it can be steered
    window.panel.set_config(raw_config(trials=40, epochs=300, workers=1))
    with qtbot.waitSignal(window.controller.finished, timeout=120_000) as done:
        assert window.run_sweep(), window.errors
        _babysit(qtbot, dialog)
        assert window.controller.is_running()
        assert "kept as trial 0 of study 'gui-test-panda'" in dialog.info.text()
        window.stop_sweep()
    assert done.args[0].message == "" and window.errors == []  # the sweep was not disturbed
    storage = window.study.storage
    trials_of = {s.name: storage.get_trials(s.study_id) for s in storage.list_studies()}
    assert not any(t.params.get("panda") for t in trials_of["gui-test"])
    assert [t.params["panda"] for t in trials_of["gui-test-panda"]] == [True]
