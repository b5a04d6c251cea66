"""New users find the examples: File › Open example… lists the shipped configs with what they
show, a first-run hint points at them, and file dialogs start in the last folder used."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from desktop_app.gui.window import study_files
from desktop_app.gui.window.example_picker import ExamplePicker, shipped_examples
from desktop_app.gui.window.main_window import MainWindow
from tests.gui.window.support import run_to_end

SHIPPED = ["command_program", "digits_tpe", "momentum_grid", "numpy_function", "sklearn_sgd",
           "spiral_random", "torch_mlp"]


def test_the_shipped_examples_are_listed_with_their_descriptions(qtbot):
    examples = shipped_examples()
    assert [e.name for e in examples] == SHIPPED
    by_name = {e.name: e for e in examples}
    assert by_name["momentum_grid"].description == "Grid search: learning rate x momentum beta."
    assert by_name["spiral_random"].description.startswith("Random search over the learning")
    assert "own Python function" in by_name["numpy_function"].description
    picker = ExamplePicker(examples)
    qtbot.addWidget(picker)
    shown = [picker.list.item(row).text() for row in range(picker.list.count())]
    assert shown == [f"{e.name}\n{e.description}" for e in examples]
    picker.list.setCurrentRow(SHIPPED.index("spiral_random"))
    assert picker.chosen() == by_name["spiral_random"]


def test_open_example_loads_it_ready_to_run_without_writing_next_to_it(qtbot, window,
                                                                       monkeypatch):
    assert window.commands.open_example in window.menuBar().actions()[0].menu().actions()
    monkeypatch.setattr(ExamplePicker, "exec",
                        lambda picker: picker.list.setCurrentRow(
                            SHIPPED.index("momentum_grid")) or 1)  # the user picks
    window.commands.open_example.trigger()
    assert not window.errors
    assert window.panel.value("study.name") == "momentum-grid"
    assert window.study_model.metric == "val_loss"
    assert window.commands.run.isEnabled()
    assert window.db_path is None  # the run's study goes to the studies folder
    assert window.recent_files() == []


def test_dialogs_start_in_the_folder_last_used_also_after_new_study(window, tmp_path):
    folder = tmp_path / "configs"
    folder.mkdir()
    assert window.save_config(folder / "mine.toml")
    window.new_study()
    assert window.dialog_folder() == folder
    assert study_files.last_folder(window.settings) == folder


def test_last_folder_is_home_before_any_file_was_used(tmp_path):
    settings = QSettings(str(tmp_path / "fresh.ini"), QSettings.Format.IniFormat)
    assert study_files.last_folder(settings) == Path.home()


def test_a_first_run_hint_points_at_the_examples_until_closed(qtbot, window, tmp_path):
    hint = window.first_run_hint
    assert hint.isVisibleTo(window) and "Examples…" in hint.label.text()
    hint.dismiss()
    assert not hint.isVisibleTo(window)
    again = MainWindow(settings=window.settings, studies_dir=tmp_path)
    qtbot.addWidget(again)
    assert not again.first_run_hint.isVisibleTo(again)


def test_the_first_run_hint_goes_once_a_sweep_runs(qtbot, window):
    run_to_end(qtbot, window)
    assert not window.first_run_hint.isVisibleTo(window)
