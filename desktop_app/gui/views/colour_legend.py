"""Legends for the sweep scatter's colours when they stand for a second parameter."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg

from desktop_app.gui.views.formatting import format_param


def category_legend(cmap: pg.ColorMap, categories: tuple[Any, ...]) -> str:
    """Rich text: a dot in each category's colour, then its name."""
    spots = []
    for i, cat in enumerate(categories):
        color = cmap.map(i / max(len(categories) - 1, 1), mode="qcolor")
        spots.append(f'<span style="color:{color.name()}">&#9679;</span>&nbsp;{cat}')
    return " &nbsp;".join(spots)


def range_legend(cmap: pg.ColorMap, name: str, scale: str, values: np.ndarray) -> str:
    """Rich text: ``name: low [colour bar] high`` over the finite ``values``."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return ""
    stops = [cmap.map(t, mode="qcolor").name() for t in np.linspace(0, 1, 7)]
    bar = "".join(f'<span style="color:{c}">&#9608;</span>' for c in stops)
    low, high = format_param(finite.min(), scale), format_param(finite.max(), scale)
    return f"{name}: {low} {bar} {high}"
