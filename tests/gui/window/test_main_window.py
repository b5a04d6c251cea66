"""The main window end to end: validation gates Run, a live sweep fills every view, Stop,
reopening a saved study, closing during a sweep, files and drag and drop."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent

from desktop_app.core.config import parse_config
from desktop_app.core.events import EpochEnded
from desktop_app.core.study import SQLiteStorage, TrialState
from desktop_app.gui.editor.field_marks import problem_of
from desktop_app.gui.window.main_window import MainWindow
from tests.gui.helpers import raw_config
from tests.gui.window.support import SWEEP_TIMEOUT_MS, flush, run_to_end


def test_invalid_range_disables_run_and_shows_the_core_message(window):
    assert window.commands.run.isEnabled()
    row = window.space_editor.rows["learning_rate"]
    row.low.setText("0")
    assert not window.commands.run.isEnabled()
    assert "scale 'log' needs low > 0" in row.error.text()
    assert row.error.isVisibleTo(row)
    assert "needs low > 0" in problem_of(row.low)
    assert problem_of(row.high) is None
    assert "needs low > 0" in window.panel.error.text()
    assert window.footer.summary.text().startswith("Fix first: params.learning_rate")
    assert not window.footer.run_button.isEnabled()
    row.low.setText("1e-4")
    assert window.commands.run.isEnabled() and window.footer.run_button.isEnabled()
    assert window.footer.summary.text().startswith("4 trials × up to 3 epochs, random search")
    assert problem_of(row.low) is None and not row.error.text()


def test_low_above_high_marks_both_fields(window):
    row = window.space_editor.rows["batch_size"]
    row.high.setText("8")
    assert "low must be below high" in (problem_of(row.low) or "")
    assert problem_of(row.high) == problem_of(row.low)
    assert not window.commands.run.isEnabled()


def test_config_level_problem_marks_its_field(window):
    window.panel.set_value("study.name", "bad/name")
    assert "study.name" in window.panel.error.text()
    assert problem_of(window.panel.input("study.name"))
    assert not window.commands.run.isEnabled()


def test_grid_over_the_limit_is_refused(window):
    window.panel.set_value("study.strategy", "grid")
    assert "Grid: 9 combinations" in window.space_editor.grid_label.text()
    window.space_editor.rows["learning_rate"].points.setValue(1000)
    window.space_editor.add_param("hidden_units", {"scale": "linear", "low": 1, "high": 1000,
                                                   "points": 1000})
    assert "too large" in window.space_editor.grid_label.text().lower()
    assert not window.commands.run.isEnabled()


def test_sweep_fills_table_curves_and_scatter(qtbot, window):
    finished = run_to_end(qtbot, window)
    assert not finished.stopped and finished.finished == 4
    assert window.table.model().rowCount() == 4
    assert window.curves.curve_count() == 4
    for number in range(4):
        assert window.curves.curve_points(number) == 3
    assert window.scatter.point_count() == 4
    assert window.status.bar.value() == 4 and window.status.bar.maximum() == 4
    assert "best" in window.status.best.text()
    assert window.study.path == window.studies_dir / "gui-test.db"
    assert window.commands.run.isEnabled() and not window.commands.stop.isEnabled()
    assert not window.commands.resume.isEnabled()  # the budget is done


def test_the_actions_ask_the_window_for_names_and_the_dialog_folder(qtbot, window, tmp_path):
    assert window.dialog_folder() == Path.home() and window.shown_study_name() == "study"
    assert window.typed_study_name() == "gui-test"
    window.panel.set_value("study.name", "")
    assert window.typed_study_name() == "study" and not window.commands.run.isEnabled()
    window.panel.set_value("study.name", "gui-test")
    run_to_end(qtbot, window)
    assert window.dialog_folder() == tmp_path and window.shown_study_name() == "gui-test"
    assert window.checked_config() == window.panel.current


def test_running_twice_makes_a_second_study_not_a_clash(qtbot, window):
    run_to_end(qtbot, window)
    run_to_end(qtbot, window)
    assert window.study.name == "gui-test-2"
    assert window.panel.value("study.name") == "gui-test-2"
    assert [s.name for s in window.study.storage.list_studies()] == ["gui-test", "gui-test-2"]


def test_stop_mid_sweep_ends_within_two_seconds_with_the_rest_interrupted(qtbot, window):
    window.panel.set_config(raw_config(trials=4, epochs=5000))
    with qtbot.waitSignal(window.controller.event, timeout=SWEEP_TIMEOUT_MS,
                          check_params_cb=lambda e: isinstance(e, EpochEnded)):
        assert window.run_sweep()
    assert window.commands.stop.isEnabled() and not window.commands.run.isEnabled()
    asked = time.monotonic()
    with qtbot.waitSignal(window.controller.finished, timeout=5_000) as done:
        window.stop_sweep()
    assert time.monotonic() - asked < 2.0
    assert done.args[0].stopped
    study = window.study.storage.get_study("gui-test")
    states = {t.state for t in window.study.storage.get_trials(study.study_id)}
    assert TrialState.INTERRUPTED in states and TrialState.RUNNING not in states
    flush(window)
    model_states = {window.study_model.trial(n).state for n in window.study_model.numbers()}
    assert TrialState.RUNNING not in model_states
    assert window.commands.resume.isEnabled()


def test_resume_reruns_interrupted_trials_and_completes_the_budget(qtbot, window, tmp_path):
    db = tmp_path / "left.db"
    stored = parse_config(raw_config(trials=4, epochs=3))
    with SQLiteStorage(db) as storage:
        study = storage.create_study("gui-test", stored.to_dict())
        for rate in (0.01, 0.02):
            storage.create_trial(study.study_id, {"learning_rate": rate, "batch_size": 32},
                                 seed=7, state=TrialState.INTERRUPTED)
    assert window.open_study(db), window.errors
    assert window.commands.resume.isEnabled() and window.study_model.numbers() == [0, 1]
    window.panel.set_value("study.trials", 99)  # resume follows the stored config, not the panel
    with qtbot.waitSignal(window.controller.finished, timeout=SWEEP_TIMEOUT_MS) as done:
        assert window.resume_sweep()
    assert done.args[0].finished == 4 and not done.args[0].stopped
    trials = window.study.storage.get_trials(study.study_id)
    assert [t.number for t in trials] == [0, 1, 2, 3]
    assert {t.state for t in trials} == {TrialState.COMPLETE}
    assert trials[1].params == {"learning_rate": 0.02, "batch_size": 32}
    flush(window)
    assert window.table.model().rowCount() == 4
    assert not window.commands.resume.isEnabled()


def test_saved_study_reopens_with_the_same_trials(qtbot, window, tmp_path):
    run_to_end(qtbot, window)
    db = window.study.path
    before = {n: (window.study_model.trial(n).params, window.study_model.value(n))
              for n in window.study_model.numbers()}
    window.new_study()
    assert window.study_model.numbers() == [] and window.study.storage is None
    assert window.open_study(db), window.errors
    flush(window)
    after = {n: (window.study_model.trial(n).params, window.study_model.value(n))
             for n in window.study_model.numbers()}
    assert after == before
    assert window.table.model().rowCount() == 4 and window.curves.curve_count() == 4
    assert window.panel.value("study.name") == "gui-test"
    assert str(db) in window.recent_files()


def test_closing_during_a_sweep_stops_it_and_keeps_finished_trials(qtbot, window):
    window.panel.set_config(raw_config(trials=4, epochs=5000))
    with qtbot.waitSignal(window.controller.event, timeout=SWEEP_TIMEOUT_MS,
                          check_params_cb=lambda e: isinstance(e, EpochEnded)):
        window.run_sweep()
    db = window.study.path
    asked = time.monotonic()
    assert window.close()
    assert time.monotonic() - asked < 2.5
    assert not window.controller.is_running()
    with SQLiteStorage(db) as storage:
        study = storage.get_study("gui-test")
        states = {t.state for t in storage.get_trials(study.study_id)}
    assert TrialState.RUNNING not in states and TrialState.INTERRUPTED in states


def test_refusing_to_close_keeps_the_sweep_running(qtbot, window):
    window.panel.set_config(raw_config(trials=2, epochs=5000))
    window.confirm_close = lambda: False
    window.run_sweep()
    assert not window.close()
    assert window.controller.is_running()
    assert window.controller.stop_and_wait()


def test_save_and_open_config_round_trip(window, tmp_path):
    path = tmp_path / "sweep.toml"
    window.space_editor.add_param("momentum", {"scale": "reverse_log", "low": 0.8,
                                               "high": 0.99})
    assert window.save_config(path)
    expected = window.panel.config()
    window.new_study()
    assert window.panel.config() != expected
    assert window.open_config(path), window.errors
    assert window.panel.config() == expected
    assert window.study.path == tmp_path / "sweep.db"


def test_export_results_has_the_cli_columns(qtbot, window, tmp_path):
    exports = (window.commands.export_results, window.commands.export_curves,
               window.commands.export_scatter)
    assert not any(action.isEnabled() for action in exports)  # nothing to export yet
    run_to_end(qtbot, window)
    assert all(action.isEnabled() for action in exports)
    out = tmp_path / "results.csv"
    assert window.export_results(out)
    with open(out, encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["number", "state", "learning_rate", "batch_size", "train_loss",
                       "train_accuracy", "val_loss", "val_accuracy", "epochs", "seconds"]
    assert len(rows) == 5


def _drop(window: MainWindow, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)


def test_drag_enter_accepts_only_files_caviar_opens(window, tmp_path):
    for name, accepted in (("a.csv", True), ("b.npz", True), ("c.toml", True), ("d.db", True),
                           ("e.txt", False)):
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(tmp_path / name))])
        event = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime,
                                Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
        event.setAccepted(False)
        window.dragEnterEvent(event)
        assert event.isAccepted() is accepted, name


def test_dropping_a_toml_opens_it(window, tmp_path):
    path = tmp_path / "dropped.toml"
    window.panel.set_value("study.name", "dropped")
    assert window.save_config(path)
    window.new_study()
    _drop(window, path)
    assert window.panel.value("study.name") == "dropped"


def test_dropping_a_csv_selects_it_as_the_dataset(window, tmp_path):
    rng = np.random.default_rng(0)
    path = tmp_path / "points.csv"
    rows = ["a,b,label"] + [f"{x:.3f},{y:.3f},{int(x > 0)}" for x, y in rng.normal(size=(60, 2))]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    _drop(window, path)
    assert window.panel.config().data.source == str(path)
    assert window.panel.data_section.preview.plot.isVisibleTo(window.panel.data_section.preview)
    assert "60 examples" in window.panel.data_section.preview.summary.text()


def test_dropping_a_broken_file_disables_run_with_the_data_error(window, tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text("a,b,label\n1,x,0\n", encoding="utf-8")
    _drop(window, path)
    assert not window.commands.run.isEnabled()
    assert "broken.csv" in window.panel.error.text()


def test_settings_keep_geometry_and_recent_files(qtbot, window, tmp_path):
    window.resize(700, 500)  # the offscreen screen is 800 x 800
    path = tmp_path / "a.toml"
    window.save_config(path)
    window.write_settings()
    again = MainWindow(settings=window.settings, studies_dir=tmp_path)
    qtbot.addWidget(again)
    assert again.recent_files()[0] == str(path)
    assert (again.size().width(), again.size().height()) == (700, 500)
    assert again.commands.recent_menu.actions()[0].toolTip() == str(path)


def test_every_action_has_a_tooltip_and_the_sweep_ones_shortcuts(window):
    commands = window.commands
    assert commands.run.shortcut().toString() == "Ctrl+R"
    assert commands.stop.shortcut().toString() == "Ctrl+."
    actions = [a for a in vars(commands).values() if isinstance(a, QAction)]
    assert len(actions) == 16
    for action in actions:
        assert action.toolTip() and action.toolTip() != action.text().replace("&", "")


def test_before_a_sweep_the_views_name_what_run_will_search(window):
    config = window.panel.current
    assert window.study_model.metric == config.study.metric
    assert window.study_model.param_names() == list(config.space.names)
    assert window.table.source_model().columns[2:2 + len(config.space)] == list(
        config.space.names)
