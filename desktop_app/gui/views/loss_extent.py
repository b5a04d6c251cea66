"""How much of the loss curves to show: every epoch and the losses' range, with a cap.

One exploding or diverged trial would otherwise rescale the y axis so far that every other
curve becomes a flat line at the bottom.
"""

from __future__ import annotations

import math

import numpy as np

from desktop_app.core.study import TrialState

EXPLODED_FACTOR = 20.0
"""A first-epoch loss this many times the (lower) median first-epoch loss counts as exploded."""


class LossExtent:
    """Bounds of the plotted losses per trial (in log10 when the axis is logarithmic).

    The top of the view is capped at twice the highest first-epoch loss of the trials that
    behaved: diverged trials and trials whose first epoch already exploded (far above the
    others) are clipped at the top instead of rescaling everything else to a flat line.
    Finished trials' rows are kept as one array that new ones are appended to (rebuilt only
    when a finished trial changes), so a live frame or a loaded block of a 100,000-trial
    study costs numpy over that array, not a Python loop.
    """

    def __init__(self, log_y: bool = False, capped: bool = True) -> None:
        self.log_y = log_y
        self.capped = capped  # only where lower is better: a metric that rises is not capped
        self._done: dict[int, tuple[int, float, float, float, bool]] = {}
        self._live: dict[int, tuple[int, float, float, float, bool]] = {}
        self._done_rows: np.ndarray | None = None
        self._new_rows: list[tuple[int, float, float, float, bool]] = []

    def add(self, number: int, values: np.ndarray, state: TrialState) -> None:
        """Record trial ``number``'s series (replacing what it held before)."""
        if number in self._done:
            del self._done[number]
            self._done_rows, self._new_rows = None, []
        self._live.pop(number, None)
        if self.log_y:
            with np.errstate(divide="ignore", invalid="ignore"):
                values = np.log10(values)
        finite = values[np.isfinite(values)]
        if finite.size == 0:
            return
        first = float(values[0]) if math.isfinite(values[0]) else math.nan
        row = (values.size, first, float(finite.min()), float(finite.max()),
               state is TrialState.DIVERGED)
        if state is TrialState.RUNNING:
            self._live[number] = row
        else:
            self._done[number] = row
            self._new_rows.append(row)

    def _rows(self) -> np.ndarray:
        if self._done_rows is None:
            self._done_rows = np.array(list(self._done.values()), float).reshape(-1, 5)
        elif self._new_rows:
            new = np.array(self._new_rows, float).reshape(-1, 5)
            self._done_rows = np.concatenate((self._done_rows, new))
        self._new_rows = []
        live = np.array(list(self._live.values()), float).reshape(-1, 5)
        return np.concatenate((self._done_rows, live)) if len(live) else self._done_rows

    def view(self) -> tuple[float, float, float] | None:
        """(last epoch shown, y low, y high); None before any finite loss. While trials run
        the last epoch is rounded up (fewer rescales); afterwards it is the longest trial's."""
        rows = self._rows()
        if not len(rows):
            return None
        epochs = int(rows[:, 0].max())
        low = float(rows[:, 2].min())
        sane = rows[rows[:, 4] == 0] if (rows[:, 4] == 0).any() else rows
        high = float(sane[:, 3].max())
        firsts = sane[np.isfinite(sane[:, 1]), 1]
        if firsts.size and self.capped:
            median = float(np.partition(firsts, (firsts.size - 1) // 2)[(firsts.size - 1) // 2])
            if self.log_y:
                limit = median + math.log10(EXPLODED_FACTOR)
            else:
                limit = EXPLODED_FACTOR * median if median > 0 else math.inf
            first_high = float(firsts[firsts <= limit].max())
            cap = first_high + math.log10(2) if self.log_y else 2 * first_high
            high = min(high, max(cap, low))
        if high <= low:
            high = low + (0.1 if self.log_y else max(abs(low) * 0.1, 1e-3))
        last = nice_ceiling(max(epochs, 2)) if self._live else max(epochs, 2)
        return float(last), low, high


def nice_ceiling(n: int) -> int:
    """The smallest round number >= ``n`` (1, 1.5, 2, 3, 4, 5, 6, 8 times a power of ten)."""
    magnitude = 1
    while True:
        for step in (1, 1.5, 2, 3, 4, 5, 6, 8):
            if step * magnitude >= n:
                return math.ceil(step * magnitude)
        magnitude *= 10
