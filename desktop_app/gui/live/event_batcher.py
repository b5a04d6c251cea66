"""Hands a sweep's events to the study model in batches, about 30 times a second.

Two workers on small networks finish several hundred epochs a second; applying each one on its
own costs a round of model signals and view bookkeeping per epoch. Batching keeps the GUI
thread's per-epoch cost low while the views still look live. ``flush()`` applies what is
pending at once (the window calls it when a sweep ends).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from desktop_app.gui.frame import frame_timer


class EventBatcher(QObject):
    """Collects events and the latest progress; applies both on a ~30 Hz timer."""

    def __init__(self, apply_many: Callable[[list[Any]], None],
                 show_progress: Callable[[Any], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._apply_many = apply_many
        self._show_progress = show_progress
        self._events: list[Any] = []
        self._progress: Any = None
        self._timer = frame_timer(self, self.flush)

    def add_event(self, event: Any) -> None:
        """Queue one event for the next frame."""
        self._events.append(event)
        if not self._timer.isActive():
            self._timer.start()

    def add_progress(self, progress: Any) -> None:
        """Keep only the newest progress snapshot for the next frame."""
        self._progress = progress
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Apply every pending event (in order) and show the newest progress now."""
        self._timer.stop()
        events, self._events = self._events, []
        if events:
            self._apply_many(events)
        if self._progress is not None:
            progress, self._progress = self._progress, None
            self._show_progress(progress)

    def pending(self) -> int:
        """Events waiting for the next frame."""
        return len(self._events)
