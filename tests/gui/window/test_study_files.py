"""File chores: study names and paths, recent files, plot export."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage

from desktop_app.core.study.memory import InMemoryStorage
from desktop_app.gui.window import study_files


def test_free_study_name_counts_up():
    storage = InMemoryStorage()
    assert study_files.free_study_name(storage, "lr") == "lr"
    storage.create_study("lr", {})
    assert study_files.free_study_name(storage, "lr") == "lr-2"
    storage.create_study("lr-2", {})
    assert study_files.free_study_name(storage, "lr-2") == "lr-3"


def test_study_file_names_are_safe(tmp_path):
    assert study_files.study_file_for(tmp_path, "my study/1") == tmp_path / "my-study-1.db"
    assert study_files.study_file_for(tmp_path, "..") == tmp_path / "study.db"


def test_recent_files_most_recent_first_without_vanished_ones(tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    files = [tmp_path / f"{n}.toml" for n in range(10)]
    for path in files:
        path.write_text("", encoding="utf-8")
        study_files.remember(settings, path)
    recent = study_files.recent_files(settings)
    assert recent == [str(p) for p in reversed(files)][: study_files.MAX_RECENT]
    files[9].unlink()
    assert study_files.recent_files(settings)[0] == str(files[8])
    assert study_files.remember(settings, files[5])[0] == str(files[5])


def test_export_plot_png_and_svg(qtbot, tmp_path):
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(400, 300)
    plot.plot([1, 2, 3], [3, 1, 2])
    study_files.export_plot(plot, tmp_path / "p.png")
    image = QImage(str(tmp_path / "p.png"))
    assert not image.isNull() and image.width() >= 800
    study_files.export_plot(plot, tmp_path / "p.svg")
    assert (tmp_path / "p.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
