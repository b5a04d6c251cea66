"""The colours of the sweep scatter's points: by trial state, or by a second parameter on a
viridis scale (64 bins), translucent when the points are crowded."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QBrush, QColor

from desktop_app.core.search import SCALES
from desktop_app.core.study import TrialState
from desktop_app.gui.style.plot_style import state_brush
from desktop_app.gui.views.colour_legend import category_legend, range_legend
from desktop_app.gui.views.param_axis import axis_scale, categories_of

COLOR_BINS = 64
CROWDED_ALPHA = 70
"""Alpha of crowded points: where many overlap the colour deepens."""


class PointColours:
    """Brushes per trial and the legend that explains them.

    :meth:`brushes` fits the colouring to every trial (the categories, the range of values);
    :meth:`more` colours further trials the same way, or says they fall outside it.
    """

    def __init__(self) -> None:
        self._cmap = pg.colormap.get("viridis")
        lookup = self._cmap.getLookupTable(nPts=COLOR_BINS, mode="qcolor")
        self._bins = [QBrush(c) for c in lookup]
        self._faint = [QBrush(QColor(c.red(), c.green(), c.blue(), CROWDED_ALPHA))
                       for c in lookup]
        self._fit: tuple[Any, ...] = (None, {})

    def brushes(self, space: Any, trials: list, color_by: str | None,
                crowded: bool) -> tuple[list[QBrush], str]:
        """Each trial's brush (by state when ``color_by`` is None) and the legend."""
        if color_by is None:
            alpha = CROWDED_ALPHA if crowded else 220
            self._fit = (None, {state: state_brush(state, alpha) for state in TrialState})
            return self.more(trials) or [], "colour = trial state, as in the loss curves"
        raw = [t.params.get(color_by) for t in trials]
        scale = axis_scale(space, color_by, raw)
        palette = self._faint if crowded else self._bins
        if scale == "category":
            cats = categories_of(space, color_by, raw)
            self._fit = (color_by, palette, "category", cats)
            legend = category_legend(self._cmap, cats)
        else:
            values = np.array([np.nan if v is None else float(v) for v in raw], float)
            coords = _coordinates(scale, values)
            finite = coords[np.isfinite(coords)]
            ends = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
            self._fit = (color_by, palette, scale, ends)
            legend = range_legend(self._cmap, color_by, scale, values)
        return self.more(trials) or [], legend

    def more(self, trials: list) -> list[QBrush] | None:
        """Brushes of ``trials`` as fitted by the last :meth:`brushes`; None when one of
        them falls outside (a new category or a value beyond the range: fit again)."""
        color_by, palette, *fit = self._fit
        if color_by is None:
            return [palette[t.state] for t in trials]
        raw = [t.params.get(color_by) for t in trials]
        if fit[0] == "category":
            cats = fit[1]
            if any(v is not None and v not in cats for v in raw):
                return None
            position = np.array([cats.index(v) if v in cats else np.nan for v in raw], float)
            position /= max(len(cats) - 1, 1)
        else:
            scale, (low, high) = fit
            values = np.array([np.nan if v is None else float(v) for v in raw], float)
            coords = _coordinates(scale, values)
            if np.any((coords < low) | (coords > high)):
                return None
            position = np.clip((coords - low) / (high - low or 1.0), 0.0, 1.0)
        bins = np.nan_to_num(position * (COLOR_BINS - 1)).astype(int)
        return [palette[b] for b in bins]


def _coordinates(scale: str, values: np.ndarray) -> np.ndarray:
    """Values on their scale's even coordinate (log10 for log, ...), as the colour bar."""
    scaling = SCALES.get(scale)
    return scaling.colour_coordinates(values) if scaling is not None else values
