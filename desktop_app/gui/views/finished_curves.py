"""How the loss-curve view draws finished trials: a line each, or a band and the best few.

Up to :data:`BAND_ABOVE` finished trials every one is a line in the cached
:class:`CurveLayer`. Past that, the finished trials are summarised by the :class:`CurveBand`
(quantiles per epoch) and only the :data:`BEST_LINES` best complete trials stay lines. The best
few are kept from one update to the next and compared only with the trials that just finished,
so a live frame of a 100,000-trial study does not scan every score.
"""

from __future__ import annotations

import heapq
import math

import numpy as np
import pyqtgraph as pg

from desktop_app.core.study import Direction, TrialState
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.style.plot_style import curve_pen, legend_entry, state_color
from desktop_app.gui.views.curve_band import CurveBand
from desktop_app.gui.views.curve_layer import CurveLayer

BAND_ABOVE = 300
"""More finished trials than this: a quantile band instead of a line each."""
BEST_LINES = 5
"""Lines kept in band mode: the best complete trials."""


class FinishedCurves:
    """The finished trials of one study as lines and, when there are many, a band."""

    def __init__(self, plot_item: pg.PlotItem, study: StudyModel) -> None:
        self._study = study
        self.band = CurveBand(plot_item, state_color(TrialState.COMPLETE))
        self.layer = CurveLayer()
        plot_item.addItem(self.layer, ignoreBounds=True)
        self._done: set[int] = set()
        self._scores: dict[int, float] = {}
        self._counted: list[tuple[int, np.ndarray]] = []
        self._changed: set[int] = set()

    def __len__(self) -> int:
        return len(self._done)

    def band_trials(self) -> int:
        """Finished trials the band summarises (0 while it is not shown)."""
        return len(self.band.histogram) if self.band.is_visible() else 0

    def legend(self) -> str:
        """The band's legend entry (empty while every finished trial is a line)."""
        if not self.band_trials():
            return ""
        return " &nbsp;" + legend_entry(
            state_color(TrialState.COMPLETE).name(), "&#9608;",
            f"{len(self):,} finished trials: shaded 10-90 % and 25-75 % per epoch, line the "
            f"median (the best {BEST_LINES} drawn)")

    def finish(self, number: int, values: np.ndarray) -> None:
        """Trial ``number`` is finished with these per-epoch values (then :meth:`update`)."""
        self._done.add(number)
        self._counted.append((number, values))
        value = self._study.value(number)
        if self._study.trial(number).state is TrialState.COMPLETE and math.isfinite(value):
            self._scores[number] = value
        self._changed.add(number)

    def forget(self, number: int) -> None:
        """A finished trial runs again (resumed): it leaves the band and the lines."""
        if number not in self._done:
            return
        self._done.discard(number)
        self._scores.pop(number, None)
        self.band.histogram.remove(number)
        self.layer.remove(number)
        self._changed.add(number)

    def clear(self) -> None:
        """Forget every trial (they come back through :meth:`finish`)."""
        self._done.clear()
        self._scores.clear()
        self._counted.clear()
        self._changed.clear()
        self.band.histogram.clear()
        self.band.set_visible(False)
        self.layer.clear()

    def update(self, key: str, log_y: bool) -> None:
        """Count the new trials in the band, pick the lines and repaint the layer (nothing
        to do when no trial finished or left since the last update: a live frame)."""
        if not self._changed:
            return
        self.band.histogram.add([(n, v) for n, v in self._counted if n in self._done])
        changed, self._counted, self._changed = self._changed, [], set()
        band = len(self._done) > BAND_ABOVE
        self.band.set_visible(band)
        if band:
            self.band.redraw()
        wanted = self._best_few(changed) if band else self._done
        for number in self.layer.numbers():
            if number not in wanted:
                self.layer.remove(number)
        for number in wanted:
            if number in self.layer and number not in changed:
                continue
            trial = self._study.trial(number)
            y = trial.series(key)
            if log_y:
                with np.errstate(divide="ignore", invalid="ignore"):
                    y = np.log10(y)
            self.layer.add(number, trial.epoch_numbers(), y, curve_pen(trial.state))
        self.layer.refresh()

    def _best_few(self, changed: set[int]) -> set[int]:
        """The :data:`BEST_LINES` best complete trials: from the last best few and the
        trials that just finished, unless one of those left (then from all)."""
        pick = heapq.nsmallest if self._study.direction is Direction.MINIMIZE else heapq.nlargest
        last = [n for n in self.layer.numbers() if n in self._scores]
        pool = self._scores if len(last) < min(BEST_LINES, len(self._scores)) else (
            [*last, *(n for n in changed if n in self._scores)])
        return set(pick(BEST_LINES, pool, key=self._scores.__getitem__))
