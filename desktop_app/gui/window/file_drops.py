"""Dropping a file on the window opens it, as File › Open would (a mixin of MainWindow)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMainWindow

from desktop_app.gui.window import study_files

DROPPABLE = (study_files.STUDY_SUFFIX, study_files.CONFIG_SUFFIX, *study_files.DATA_SUFFIXES)


class FileDrops(QMainWindow):
    """Accepts one dropped .db, .toml, .csv or .npz file and hands it to ``open_path``."""

    def open_path(self, path: str | Path) -> bool:  # the window's
        raise NotImplementedError

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept one dropped .db, .toml, .csv or .npz file."""
        urls = event.mimeData().urls()
        if len(urls) == 1 and urls[0].isLocalFile() and \
                urls[0].toLocalFile().lower().endswith(DROPPABLE):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """A dataset becomes the data source; a study or config opens."""
        urls = event.mimeData().urls()
        if urls:
            self.open_path(urls[0].toLocalFile())
            event.acceptProposedAction()
