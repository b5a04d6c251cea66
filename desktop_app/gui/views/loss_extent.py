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
    """

    def __init__(self, log_y: bool = False) -> None:
        self.log_y = log_y
        self._trials: dict[int, tuple[int, float, float, float, bool]] = {}
        self._running: set[int] = set()

    def add(self, number: int, values: np.ndarray, state: TrialState) -> None:
        """Record trial ``number``'s series (replacing what it held before)."""
        if state is TrialState.RUNNING:
            self._running.add(number)
        else:
            self._running.discard(number)
        if self.log_y:
            with np.errstate(divide="ignore", invalid="ignore"):
                values = np.log10(values)
        finite = values[np.isfinite(values)]
        if finite.size == 0:
            self._trials.pop(number, None)
            return
        first = float(values[0]) if math.isfinite(values[0]) else math.nan
        self._trials[number] = (values.size, first, float(finite.min()), float(finite.max()),
                                state is TrialState.DIVERGED)

    def view(self) -> tuple[float, float, float] | None:
        """(last epoch shown, y low, y high); None before any finite loss. While trials run
        the last epoch is rounded up (fewer rescales); afterwards it is the longest trial's."""
        if not self._trials:
            return None
        rows = list(self._trials.values())
        epochs = max(r[0] for r in rows)
        low = min(r[2] for r in rows)
        sane = [r for r in rows if not r[4]] or rows
        high = max(r[3] for r in sane)
        firsts = sorted(r[1] for r in sane if math.isfinite(r[1]))
        if firsts:
            median = firsts[(len(firsts) - 1) // 2]
            if self.log_y:
                limit = median + math.log10(EXPLODED_FACTOR)
            else:
                limit = EXPLODED_FACTOR * median if median > 0 else math.inf
            first_high = max(f for f in firsts if f <= limit)
            cap = first_high + math.log10(2) if self.log_y else 2 * first_high
            high = min(high, max(cap, low))
        if high <= low:
            high = low + (0.1 if self.log_y else max(abs(low) * 0.1, 1e-3))
        last = nice_ceiling(max(epochs, 2)) if self._running else max(epochs, 2)
        return float(last), low, high


def nice_ceiling(n: int) -> int:
    """The smallest round number >= ``n`` (1, 1.5, 2, 3, 4, 5, 6, 8 times a power of ten)."""
    magnitude = 1
    while True:
        for step in (1, 1.5, 2, 3, 4, 5, 6, 8):
            if step * magnitude >= n:
                return math.ceil(step * magnitude)
        magnitude *= 10
