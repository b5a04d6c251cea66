"""The window with a trainer of the user's own: an opened study's own metric in the
selectors and the table, a trial's log read from the file, notices in the status bar, and no
panda mode (it babysits Caviar's network only)."""

from __future__ import annotations

from desktop_app.core.study import SQLiteStorage
from tests.gui.helpers import raw_config
from tests.gui.views.own_study import add_f1_study, own_config
from tests.gui.window.support import flush


def _open_f1_study(window, tmp_path):
    path = tmp_path / "own.db"
    with SQLiteStorage(path) as storage:
        add_f1_study(storage, tmp_path)
    assert window.open_study(path), window.errors
    flush(window)
    return path


def test_an_opened_own_metric_study_shows_f1_and_the_trials_log(qtbot, window, tmp_path):
    _open_f1_study(window, tmp_path)
    assert window.curves.series_choices() == ["val_loss", "f1"]
    assert window.scatter.y.choices() == ["f1", "val_loss"]
    assert "f1" in window.table.source_model().columns
    table = window.table
    index = table.proxy_model().index(3, 0)
    table.doubleClicked.emit(index)  # as a double-click on the row does
    dialog = table.output_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    number = table.number_at(3)
    assert f"trial {number} says hello" in dialog.text.toPlainText()  # read from the file
    assert not window.errors


def test_a_notice_shows_in_the_status_bar_and_stays_in_the_panel(window):
    text = "trial 0 did not report the study metric 'f1'; it reported: loss"
    window.controller.notice.emit(text)
    assert window.statusBar().currentMessage() == text
    assert window.status.notice.isVisibleTo(window)
    assert "did not report" in window.status.notice.text()
    assert text in window.status.notice.toolTip()
    window.statusBar().showMessage("something else")  # the panel keeps it in view
    assert window.status.notice.isVisibleTo(window)
    window.controller.running_changed.emit(True)  # the next sweep starts afresh
    assert not window.status.notice.isVisibleTo(window)


def test_panda_mode_is_for_caviars_network_only(window, tmp_path):
    panda = window.commands.train_one
    assert panda.isEnabled()
    window.panel.set_config(own_config(tmp_path))
    assert window.panel.current is not None and window.panel.current.trainer.is_own
    assert not panda.isEnabled()
    assert "Caviar's own network only" in panda.toolTip()
    window.panel.set_config(raw_config())
    assert panda.isEnabled() and "Babysit one model" in panda.toolTip()


def test_the_run_summary_of_own_code_without_epochs(window, tmp_path) -> None:
    from desktop_app.core.config import parse_config

    (tmp_path / "m.py").write_text("def train(params, trial):\n    trial.report(1, f1=1.0)\n")
    window.panel.set_config(parse_config({
        "study": {"name": "own", "metric": "f1", "trials": 3},
        "trainer": {"function": "m.py:train"},
        "params": {"width": {"low": 1, "high": 8}}}, tmp_path))
    text = window.footer.summary.text()
    assert text.startswith("3 trials, ") and "None" not in text, text
