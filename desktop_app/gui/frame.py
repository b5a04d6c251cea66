"""The redraw period shared by the event batcher and the plots: ~30 Hz, never once per event."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

FRAME_MS = 33


def frame_timer(parent: QObject, flush: Callable[[], None]) -> QTimer:
    """A single-shot timer that calls ``flush`` one frame after it is started: whoever batches
    work starts it when something changed (if not active) and does the work in ``flush``."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(FRAME_MS)
    timer.timeout.connect(flush)
    return timer
