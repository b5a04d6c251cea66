"""The colours of the sweep scatter's points: by trial state, or by a second parameter on a
viridis scale (64 bins), translucent when the points are crowded."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QBrush, QColor

from desktop_app.core.study import TrialState
from desktop_app.gui.style.plot_style import state_brush
from desktop_app.gui.views.colour_legend import category_legend, range_legend
from desktop_app.gui.views.param_axis import axis_scale, categories_of, color_position

COLOR_BINS = 64
CROWDED_ALPHA = 70
"""Alpha of crowded points: where many overlap the colour deepens."""


class PointColours:
    """Brushes per trial and the legend that explains them."""

    def __init__(self) -> None:
        self._cmap = pg.colormap.get("viridis")
        lookup = self._cmap.getLookupTable(nPts=COLOR_BINS, mode="qcolor")
        self._bins = [QBrush(c) for c in lookup]
        self._faint = [QBrush(QColor(c.red(), c.green(), c.blue(), CROWDED_ALPHA))
                       for c in lookup]

    def brushes(self, space: Any, trials: list, color_by: str | None,
                crowded: bool) -> tuple[list[QBrush], str]:
        """Each trial's brush (by state when ``color_by`` is None) and the legend."""
        if color_by is None:
            alpha = CROWDED_ALPHA if crowded else 220
            by_state = {state: state_brush(state, alpha) for state in TrialState}
            return ([by_state[t.state] for t in trials],
                    "colour = trial state, as in the loss curves")
        raw = [t.params.get(color_by) for t in trials]
        scale = axis_scale(space, color_by, raw)
        if scale == "category":
            cats = categories_of(space, color_by, raw)
            position = np.array([cats.index(v) if v in cats else np.nan for v in raw], float)
            position /= max(len(cats) - 1, 1)
            legend = category_legend(self._cmap, cats)
        else:
            values = np.array([np.nan if v is None else float(v) for v in raw], float)
            position = color_position(scale, values)
            legend = range_legend(self._cmap, color_by, scale, values)
        bins = np.nan_to_num(position * (COLOR_BINS - 1)).astype(int)
        palette = self._faint if crowded else self._bins
        return [palette[b] for b in bins], legend
