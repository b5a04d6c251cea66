"""Which metrics the shown trials reported, in the order every view lists them.

Caviar's network reports the four built-in metrics; a trainer of the user's own may report
any names (and leaves the built-in ones NaN). The views offer only what arrived, so they ask
:class:`MetricNames` (kept by ``StudyModel``) rather than a fixed list.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from desktop_app.core.events import METRIC_NAMES, EpochEnded
from desktop_app.core.study.storage import ordered_metric_names


class MetricNames:
    """A growing set of metric names; :meth:`grew` tells once that new ones came."""

    def __init__(self) -> None:
        self._seen: set[str] = set()
        self._names: list[str] = []
        self._builtins_done = False  # all four built-ins seen: an epoch needs no check
        self._grew = False

    def names(self) -> list[str]:
        """Built-in metrics seen first (in :data:`METRIC_NAMES` order), then own ones sorted."""
        return list(self._names)

    def update(self, names: Iterable[str], values: Mapping[str, float] | None = None) -> None:
        """Take ``names`` (with ``values``: only the built-in ones with a value)."""
        new = {n for n in names if n not in self._seen and not (
            values is not None and n in METRIC_NAMES and math.isnan(values[n]))}
        if new:
            self._seen |= new
            self._names = ordered_metric_names(self._seen)
            self._builtins_done = self._seen.issuperset(METRIC_NAMES)
            self._grew = True

    def see_epoch(self, event: EpochEnded) -> None:
        """Take the metrics one epoch reported (O(1) once the four built-ins were seen)."""
        if self._builtins_done and not event.extra:
            return
        builtins = [] if self._builtins_done else [
            n for n in METRIC_NAMES if n not in self._seen and not math.isnan(event.metric(n))]
        if builtins or (event.extra and not self._seen.issuperset(event.extra)):
            self.update([*builtins, *event.extra])

    def grew(self) -> bool:
        """Whether names were added since the last call."""
        grew, self._grew = self._grew, False
        return grew
