"""The window's Optuna file commands: open a storage typed as a URL, export the shown study
into an Optuna storage (through the core's :func:`~desktop_app.core.optuna_bridge.
export_study`, Optuna's own API)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit

from desktop_app.core.errors import CaviarError
from desktop_app.core.optuna_bridge import export_study

if TYPE_CHECKING:
    from desktop_app.gui.window.main_window import MainWindow

URL_HINT = "sqlite:///optuna.db, postgresql://user@host/db or a journal file's path"


def ask_open_url(window: MainWindow) -> None:
    """Ask for a storage URL (or path) and show one of its studies, watched live."""
    text, ok = QInputDialog.getText(window, "Open Optuna storage", f"Storage ({URL_HINT}):",
                                    QLineEdit.EchoMode.Normal, "sqlite:///")
    if ok and text.strip():
        window.optuna.open(text.strip())


def ask_export(window: MainWindow) -> None:
    """Ask for an Optuna file and export the shown Caviar study into it."""
    start = str(window.dialog_folder() / f"{window.shown_study_name()}-optuna.db")
    path, _ = QFileDialog.getSaveFileName(window, "Export to Optuna", start,
                                          "Optuna RDB (*.db);;Optuna journal (*.log)")
    if path:
        export_to(window, path)


def export_to(window: MainWindow, spec: str) -> bool:
    """Write the window's open Caviar study into the Optuna storage ``spec``."""
    study = window.study
    if study.storage is None or study.name is None:
        window.show_error("Nothing to export", "Open or run a Caviar study first")
        return False
    try:
        count = export_study(study.storage, study.name, spec)
    except CaviarError as exc:
        window.show_error("Cannot export to Optuna", str(exc))
        return False
    window.statusBar().showMessage(f"Exported {count} trials of {study.name!r} to "
                                   f"{Path(spec).name} (optuna.load_study reads it)", 8000)
    return True
