"""A plot that carries its own title and legend into an exported image.

In the window a plot's title is the combo boxes above it and its legend a label beside it,
outside the plot; an exported PNG or SVG holds only the plot, so while it is exported the
plot shows the title above itself and the same legend below itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pyqtgraph as pg
from PySide6.QtGui import QPalette

Caption = Callable[[], tuple[str, str]]
"""Returns (title, legend as rich text) as the view shows them now."""
LEGEND_ROW = 5
"""A row below everything PlotItem lays out (title, top axis, view, bottom axis)."""
TITLE_SIZE = "11pt"


class CaptionedPlot(pg.PlotWidget):
    """A ``pg.PlotWidget`` whose :meth:`captioned` shows its title and legend inside it."""

    def __init__(self, caption: Caption, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._caption = caption

    @contextmanager
    def captioned(self) -> Iterator[pg.LabelItem]:
        """Within the block, the plot shows its title above and its legend (the yielded
        label) below itself; both go when the block ends."""
        title, legend_html = self._caption()
        item = self.getPlotItem()
        color = self.palette().color(QPalette.ColorRole.Text).name()
        legend = pg.LabelItem(justify="left")
        legend.item.setTextWidth(max(item.width() - 20, 200.0))  # wrap, never widen the plot
        legend.setText(legend_html, color=color)
        item.setTitle(title, color=color, size=TITLE_SIZE)
        item.layout.addItem(legend, LEGEND_ROW, 0, 1, 3)
        item.layout.activate()
        try:
            yield legend
        finally:
            item.layout.removeItem(legend)
            self.scene().removeItem(legend)
            item.setTitle(None)
            item.layout.activate()
