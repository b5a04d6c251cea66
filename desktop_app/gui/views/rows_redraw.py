"""When the parallel coordinates and the map redraw, and what: a :class:`ShownRedraw` (once a
frame, not while hidden) that also knows what changed since the last redraw (every row anew,
some trials' rows, everything, or only the marks) and brings their :class:`TrialRows` up to
date.

A view that keeps trials (a brush, a rectangle) redraws while hidden too: what it keeps is
the table's filter, and new trials inside its ranges must join it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtWidgets import QWidget

from desktop_app.gui.views.parallel_data import TrialRows
from desktop_app.gui.views.shown_redraw import ShownRedraw


class RowsRedraw(ShownRedraw):
    """What a view over :class:`TrialRows` owes, and its frame timer."""

    def __init__(self, view: QWidget, rows: TrialRows, flush: Callable[[], None],
                 keeps: Callable[[], bool]) -> None:
        """``flush`` redraws ``view`` (it calls :meth:`take` first); ``keeps`` says whether
        the view keeps trials now (then it redraws while hidden too)."""
        super().__init__(view, flush, keeps)
        self._rows = rows
        self._stale, self._dirty = True, True
        self._pending: set[int] = set()

    def reset(self, *_: object) -> None:
        """A new study: every row anew at the next redraw."""
        self._stale = True
        self.schedule()

    def add(self, numbers: Iterable[int]) -> None:
        """These trials were added or changed: their rows anew at the next redraw."""
        self._pending.update(numbers)
        self.schedule()

    def schedule(self, *_: object) -> None:
        """Redraw everything (axes, size, palette or choices changed)."""
        self._dirty = True
        self.request()

    def schedule_marks(self, *_: object) -> None:
        """Redraw the marks (best, selected) or follow the view range; more if owed."""
        self.request()

    def take(self) -> bool | None:
        """Bring the rows up to date, at the start of a redraw: None when only the marks are
        to be redrawn, else whether every row was rebuilt (the axes may have changed)."""
        self.done()
        if not (self._dirty or self._stale or self._pending):
            return None
        self._dirty = False
        if self._stale:
            self._stale, self._pending = False, set()
            self._rows.rebuild()
            return True
        if self._pending:
            pending, self._pending = sorted(self._pending), set()
            if not self._rows.update(pending):
                self._rows.rebuild()
                return True
        return False
