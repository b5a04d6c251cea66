"""Redraw a view at most once a frame (~30 Hz) and never while it is hidden: a view behind
another tab owes its redraw and pays it when it is shown again, before it is painted, so
trials finishing behind another tab cost nothing (at 100,000 trials a view's frame is tens of
milliseconds) and the user never sees a stale picture.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from desktop_app.gui.frame import frame_timer


class ShownRedraw(QObject):
    """The frame timer of ``view``: :meth:`request` a redraw; ``redraw`` runs one frame later
    while the view is shown, else when it is shown (``redraw`` calls :meth:`done` first).

    The view calls :meth:`shown` from its ``showEvent``."""

    def __init__(self, view: QWidget, redraw: Callable[[], None],
                 always: Callable[[], bool] = lambda: False) -> None:
        """``always`` says whether the view must redraw while hidden too (now)."""
        super().__init__(view)
        self._view, self._redraw, self._always = view, redraw, always
        self._owed = False  # a redraw was asked for while the view was hidden
        self._timer = frame_timer(self, self._on_timer)

    def request(self, *_: object) -> None:
        """Redraw at the next frame, or when shown if the view is hidden now."""
        if self._waits():
            self._owed = True
        elif not self._timer.isActive():
            self._timer.start()

    def done(self) -> None:
        """A redraw starts: nothing is owed any more."""
        self._timer.stop()
        self._owed = False

    def _waits(self) -> bool:
        return not self._view.isVisible() and not self._always()

    def _on_timer(self) -> None:
        if self._waits():  # hidden within the frame
            self._owed = True
        else:
            self._redraw()

    def shown(self) -> None:
        """The view was shown (its tab chosen): catch up now, before it is painted."""
        if self._owed:
            self._redraw()
