"""The ``window`` fixture of the main-window tests: a MainWindow on throw-away settings and a
throw-away studies folder, errors collected in ``window.errors``, closing never asks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from desktop_app.gui.window.main_window import MainWindow
from tests.gui.helpers import raw_config


@pytest.fixture
def window(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings, studies_dir=tmp_path)
    win.errors = []
    win.show_error = lambda title, text: win.errors.append(f"{title}: {text}")
    win.confirm_close = lambda: True
    qtbot.addWidget(win)
    win.panel.set_config(raw_config())
    return win
