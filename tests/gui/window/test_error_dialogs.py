"""The window's error dialogs: a damaged study file, a bad data file and an unwritable export
each give one dialog naming the file and the fix, never a traceback, and create nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from desktop_app.cli import main
from desktop_app.core.config import load_config
from desktop_app.core.study import SQLiteStorage
from desktop_app.gui.window.main_window import MainWindow
from tests.cli.helpers import write_config
from tests.core.study.helpers import damage
from tests.gui.helpers import raw_config


@pytest.fixture
def window(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    studies = tmp_path / "studies"
    win = MainWindow(settings=settings, studies_dir=studies)
    win.errors = []
    win.show_error = lambda title, text: win.errors.append(f"{title}: {text}")
    win.confirm_close = lambda: True
    qtbot.addWidget(win)
    return win


@pytest.fixture
def study_db(tmp_path: Path) -> Path:
    assert main(["sweep", str(write_config(tmp_path, trials=3, epochs=1))]) == 0
    return tmp_path / "sweep.db"


@pytest.mark.parametrize(("how", "said"), [
    ("config", "is damaged: the config of study 'small' is not valid JSON"),
    ("params", "is damaged: the params of trial 1 is not valid JSON"),
    ("table", "is damaged: its table 'epochs' is missing"),
    ("truncated", "is damaged (SQLite: database disk image is malformed)"),
])
def test_a_damaged_study_opens_a_dialog(window, study_db: Path, how: str, said: str) -> None:
    damage(study_db, how)
    assert not window.open_study(study_db)
    assert len(window.errors) == 1 and not window.study.is_open
    assert window.errors[0].startswith(f"Cannot open the study: {study_db}: {said}")


def test_run_with_a_bad_data_file_is_refused_before_a_study_file_exists(window, tmp_path):
    data = tmp_path / "ragged.csv"
    data.write_text("a,b,label\n1,2,x\n3,4\n", encoding="utf-8")
    window.panel.set_config({**raw_config(), "data": {"dataset": str(data)}})
    assert not window.run_sweep()
    assert window.errors == ["Fix the settings first: ragged.csv: line 3: 2 values, but the "
                             "header (line 1) names 3 columns; make every row the same length"]
    assert not window.controller.is_running()
    assert not (tmp_path / "studies").exists()


def test_resume_with_data_broken_since_is_refused(window, tmp_path) -> None:
    data = tmp_path / "mine.csv"
    data.write_text("a,b,label\n" + "".join(f"{i},{i % 5},{'xy'[i % 2]}\n" for i in range(40)))
    config = write_config(tmp_path, trials=3, epochs=1)
    config.write_text(config.read_text().replace('dataset = "spiral"\nsamples = 150',
                                                 'dataset = "mine.csv"'))
    with SQLiteStorage(tmp_path / "sweep.db") as storage:  # a study with trials still to run
        storage.create_study("small", load_config(config).to_dict())
    assert window.open_study(tmp_path / "sweep.db") and window.study.resumable
    data.write_text("a,b,label\n1,2,x\n")
    assert not window.resume_sweep()
    assert len(window.errors) == 1
    assert window.errors[0].startswith("Cannot resume: mine.csv: ")
    assert not window.controller.is_running()


def test_export_to_a_missing_folder_is_a_dialog(window, study_db: Path, tmp_path) -> None:
    assert window.open_study(study_db)
    target = tmp_path / "no" / "r.csv"
    assert not window.export_results(target)
    assert window.errors == [f"Cannot export: {target}: no folder '{target.parent}'; create it "
                             "or write somewhere else"]
