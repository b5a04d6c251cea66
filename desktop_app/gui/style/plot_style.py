"""Shared look of trial states in every view: colours, pens, brushes, a small legend.

Colours are mid-saturation (Tableau-like) so they read on both light and dark backgrounds.
Pens are 1 px, cosmetic and cached: a wider or antialiased pen made a 50-curve frame 5-14x
slower, so emphasis comes from colour and alpha, and the best/selected trial get their own
overlay item instead.
"""

from __future__ import annotations

from functools import cache

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QLabel

from desktop_app.core.study import TrialState

STATE_COLORS: dict[TrialState, str] = {
    TrialState.WAITING: "#9d9d9d",
    TrialState.RUNNING: "#f58518",
    TrialState.COMPLETE: "#4c78a8",
    TrialState.PRUNED: "#8c8c8c",
    TrialState.DIVERGED: "#e45756",
    TrialState.FAILED: "#b279a2",
    TrialState.INTERRUPTED: "#72b7b2",
}
"""One colour per state, used by the table, the curves and the scatter."""

STATE_DASH: dict[TrialState, Qt.PenStyle] = {
    TrialState.PRUNED: Qt.PenStyle.DashLine,
    TrialState.DIVERGED: Qt.PenStyle.DotLine,
    TrialState.FAILED: Qt.PenStyle.DashDotLine,
    TrialState.INTERRUPTED: Qt.PenStyle.DashLine,
}
"""Line style of curves that did not complete normally (solid for the rest)."""

STATE_ALPHA: dict[TrialState, int] = {
    TrialState.RUNNING: 255,
    TrialState.COMPLETE: 150,
    TrialState.PRUNED: 110,
    TrialState.DIVERGED: 200,
    TrialState.FAILED: 200,
    TrialState.INTERRUPTED: 170,
    TrialState.WAITING: 110,
}
"""Running trials are opaque; the many finished ones recede."""

BEST_COLOR = "#54a24b"
"""The best trial (a green that reads on white and on near-black)."""

SELECTED_COLOR = "#d6279b"
"""The selected trial (magenta: distinct from every state colour)."""

LEGEND_STATES = (
    TrialState.RUNNING,
    TrialState.COMPLETE,
    TrialState.PRUNED,
    TrialState.DIVERGED,
    TrialState.FAILED,
    TrialState.INTERRUPTED,
)


def state_color(state: TrialState | str, alpha: int = 255) -> QColor:
    """A fresh QColor of ``state`` with ``alpha`` (0-255)."""
    color = QColor(STATE_COLORS[TrialState(state)])
    color.setAlpha(alpha)
    return color


@cache
def curve_pen(state: TrialState) -> QPen:
    """The cached 1-px cosmetic pen of a loss curve in ``state``."""
    pen = pg.mkPen(state_color(state, STATE_ALPHA[state]), width=1)
    pen.setCosmetic(True)
    pen.setStyle(STATE_DASH.get(state, Qt.PenStyle.SolidLine))
    return pen


@cache
def overlay_pen(color: str, width: float = 2.5) -> QPen:
    """A cached pen for the single best / selected overlay item (the only wide pens)."""
    pen = pg.mkPen(color, width=width)
    pen.setCosmetic(True)
    return pen


@cache
def state_brush(state: TrialState, alpha: int = 220) -> QBrush:
    """The cached brush of a scatter point in ``state``."""
    return QBrush(state_color(state, alpha))


@cache
def state_icon(state: TrialState) -> QIcon:
    """A small filled dot in the state colour, for the table's state column (drawn at
    twice the size and marked 2x, so it stays sharp on HiDPI screens). On a selected row
    the dot gets a white ring, so a blue dot stays visible on the blue highlight."""
    result = QIcon(_dot(state, ring=False))
    result.addPixmap(_dot(state, ring=True), QIcon.Mode.Selected)
    return result


def _dot(state: TrialState, ring: bool) -> QPixmap:
    pixmap = QPixmap(24, 24)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("white"), 1.5) if ring else Qt.PenStyle.NoPen)
    painter.setBrush(state_color(state))
    painter.drawEllipse(QRectF(1.5, 1.5, 9.0, 9.0) if ring else QRectF(1.0, 1.0, 10.0, 10.0))
    painter.end()
    return pixmap


STATE_GLYPH: dict[TrialState, str] = {
    TrialState.PRUNED: "\u2574\u2574\u2574",
    TrialState.DIVERGED: "\u00b7\u00b7\u00b7\u00b7",
    TrialState.FAILED: "\u2574\u00b7\u2574",
    TrialState.INTERRUPTED: "\u2574\u2574\u2574",
}
"""How a curve in each state looks in a legend (solid for the rest)."""
SOLID_GLYPH = "\u2501\u2501"


def legend_entry(color: str, glyph: str, text: str) -> str:
    """One legend entry: a glyph in ``color`` and its text, kept together on one line."""
    # nbsp only inside an entry: the legend may wrap between entries on a narrow window
    return f'<span style="color:{color}"><b>{glyph}</b></span>&nbsp;{text}'


def curve_legend_html(best_is_selected: bool = False) -> str:
    """The loss curves' legend: each state's colour and line style, then the best and the
    selected trial's lines (one entry when they are the same trial)."""
    parts = [legend_entry(STATE_COLORS[s], STATE_GLYPH.get(s, SOLID_GLYPH), s.value)
             for s in LEGEND_STATES]
    if best_is_selected:
        parts.append(legend_entry(SELECTED_COLOR, SOLID_GLYPH, "best&nbsp;=&nbsp;selected"))
    else:
        parts += [legend_entry(BEST_COLOR, SOLID_GLYPH, "best"),
                  legend_entry(SELECTED_COLOR, SOLID_GLYPH, "selected")]
    return " &nbsp;".join(parts)


def marker_legend_html() -> str:
    """The scatter's marker legend: the best trial's star and the selected trial's ring."""
    return " &nbsp;".join([legend_entry(BEST_COLOR, "&#9733;", "best"),
                           legend_entry(SELECTED_COLOR, "&#9711;", "selected")])


def legend_label(html: str = "") -> QLabel:
    """A legend line over a plot: wraps instead of widening the window, and keeps room for
    two lines so the loss curves and the scatter beside them start at the same height."""
    label = QLabel(html)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    label.setMinimumHeight(2 * label.fontMetrics().lineSpacing())
    return label


def style_plot(plot: pg.PlotWidget, palette: QPalette) -> None:
    """Give a plot the widget palette's background and text colours (light or dark theme)."""
    plot.setBackground(palette.color(QPalette.ColorRole.Base))
    text = palette.color(QPalette.ColorRole.Text)
    item = plot.getPlotItem()
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(text))
        axis.setTextPen(pg.mkPen(text))
        # "(x0.001)" beside a loss or a log axis misleads. No prefix range first: disabling
        # still computes a prefix scale from the current range and keeps it (0.1-0.6 read
        # 100-600 after a palette change restyled a plot with a label)
        axis.setSIPrefixEnableRanges(())
        axis.enableAutoSIPrefix(False)
    item.titleLabel.setAttr("color", text.name())
    # room above the top tick label and right of the last one, which would be clipped
    item.setContentsMargins(2, 10, 16, 2)
