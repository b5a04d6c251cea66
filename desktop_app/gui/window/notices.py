"""The sweep's notices (``core.events.Notice``) reach the user: each one in the status bar
and, kept in view while the sweep goes on, in the status panel (cleared when the next sweep
starts)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from desktop_app.gui.window.main_window import MainWindow

NOTICE_MS = 15_000
"""How long a new notice stays in the status bar's message area."""


class NoticeBoard(QObject):
    """Connects the window's run controller to its status bar and status panel."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        window.controller.notice.connect(self.show)
        window.controller.running_changed.connect(self._on_running)

    def show(self, text: str) -> None:
        """Tell the user ``text`` now and keep it in the status panel."""
        self._window.statusBar().showMessage(" ".join(text.split()), NOTICE_MS)
        self._window.status.show_notice(text)

    def _on_running(self, running: bool) -> None:
        if running:
            self._window.status.clear_notices()
