"""The user's last trainers (functions and commands), kept in QSettings across sessions.

Each is stored as its ``[trainer]`` table in JSON, the newest first, at most
:data:`MAX_RECENT`; the trainer section's "Recent" menu offers them to fill its fields.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QMenu, QWidget

from desktop_app.core.trainers import TrainerSpec

KEY = "trainers/recent"
MAX_RECENT = 8


def recent(settings: QSettings) -> list[dict[str, Any]]:
    """The remembered ``[trainer]`` tables, newest first (unreadable entries skipped)."""
    stored = settings.value(KEY, [])
    entries = [stored] if isinstance(stored, str) else list(stored or [])
    tables: list[dict[str, Any]] = []
    for entry in entries:
        try:
            table = json.loads(str(entry))
        except ValueError:
            continue
        if isinstance(table, dict) and ("function" in table or "command" in table):
            tables.append(table)
    return tables


def remember(settings: QSettings, spec: TrainerSpec) -> list[dict[str, Any]]:
    """Put ``spec`` first among the recent trainers; return them."""
    table = spec.to_dict()
    if spec.file:  # a file function always runs in its file's folder
        table.pop("workdir", None)
    tables = [table, *(t for t in recent(settings) if t != table)][:MAX_RECENT]
    settings.setValue(KEY, [json.dumps(t, sort_keys=True) for t in tables])
    settings.sync()
    return tables


def label(table: dict[str, Any]) -> str:
    """A short menu line: ``train() in my_model.py`` or the command."""
    if "function" in table:
        target, _, name = str(table["function"]).rpartition(":")
        return f"{name}() in {target.rsplit('/', 1)[-1]}"
    return " ".join(str(a) for a in table.get("command", []))


class RecentMenu(QMenu):
    """The recent trainers, read when the menu opens; ``chosen`` gives the table picked."""

    chosen = Signal(dict)

    def __init__(self, parent: QWidget, settings: Callable[[], QSettings]) -> None:
        super().__init__(parent)
        self._settings = settings
        self.setToolTipsVisible(True)
        self.aboutToShow.connect(self.fill)

    def fill(self) -> None:
        """List the recent trainers (a disabled line when there is none yet)."""
        self.clear()
        tables = recent(self._settings())
        if not tables:
            self.addAction("No recent trainer yet: one is kept when you run or save").setEnabled(
                False)
        for table in tables:
            action = self.addAction(label(table))
            action.setToolTip(json.dumps(table))
            action.triggered.connect(lambda _=False, t=table: self.chosen.emit(dict(t)))
