"""Helpers of the view tests: feed a trial to the model, and read what the views show through
Qt's and pyqtgraph's public API (visible texts, the items drawn and their pens and markers,
the tooltip or label under the mouse, the tick labels an axis paints), never a view's
private attributes."""

from __future__ import annotations

import time

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent, QPainter
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from desktop_app.core.events import TrialFinished, TrialStarted
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.style.plot_style import SELECTED_COLOR
from desktop_app.gui.views.loss_curves import LossCurves
from desktop_app.gui.views.sweep_scatter import SweepScatter
from tests.gui.helpers import epoch_event


def finish(model: StudyModel, number: int, state: str, epochs: list[float]) -> None:
    """Trial ``number`` runs ``epochs`` (val losses) and ends in ``state``."""
    model.apply(TrialStarted("s", number, {"learning_rate": 0.5, "beta_2": 0.9}, seed=number))
    model.apply_many([epoch_event(number, e + 1, value=v - 0.5) for e, v in enumerate(epochs)])
    model.apply(TrialFinished("s", number, state, epochs[-1], len(epochs), 0.1))


def visible_texts(widget: QWidget) -> list[str]:
    """The text of every label ``widget`` shows (hints, legends, the hover line)."""
    return [label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget)]


def view_range(plot: pg.PlotWidget) -> list[list[float]]:
    """[[x low, x high], [y low, y high]] the plot shows (log10 on a log axis)."""
    return plot.getPlotItem().getViewBox().viewRange()


def _color(pen: object) -> str:
    return pg.mkPen(pen).color().name()


def curve_in(curves: LossCurves, color: str) -> pg.PlotDataItem:
    """The one line drawn in ``color``: BEST_COLOR for the best trial, SELECTED_COLOR for
    the selected one."""
    found = [item for item in curves.plot.getPlotItem().listDataItems()
             if item.opts["pen"] is not None and _color(item.opts["pen"]) == color]
    assert len(found) == 1, f"{len(found)} lines in {color}"
    return found[0]


def markers(scatter: SweepScatter, symbol: str, edge: str | None = None) -> pg.PlotDataItem:
    """The one set of ``symbol`` markers (outlined in ``edge`` if given): "star" the best
    trial, "o" outlined in SELECTED_COLOR the selected one, "t1" diverged points drawn off
    the chart."""
    found = [item for item in scatter.plot.getPlotItem().listDataItems()
             if isinstance(item, pg.PlotDataItem) and item.opts["symbol"] == symbol
             and (edge is None or _color(item.opts["symbolPen"]) == edge)]
    assert len(found) == 1, f"{len(found)} sets of {symbol} markers"
    return found[0]


def best_star(scatter: SweepScatter) -> pg.PlotDataItem:
    """The best trial's star."""
    return markers(scatter, "star")


def selected_ring(scatter: SweepScatter) -> pg.PlotDataItem:
    """The selected trial's ring."""
    return markers(scatter, "o", SELECTED_COLOR)


def hover(plot: pg.PlotWidget, x: float, y: float) -> str:
    """Move the mouse onto view coordinates (x, y) of ``plot``; the tooltip it shows there."""
    view = plot.getPlotItem().getViewBox()
    target = QPointF(plot.mapFromScene(view.mapViewToScene(QPointF(x, y))))
    viewport = plot.viewport()
    rate = pg.getConfigOption("mouseRateLimit")  # moves closer in time are dropped
    for pos in (target + QPointF(3, 3), target):  # arrive from nearby, as a mouse does
        if rate > 0:
            time.sleep(1.5 / rate)
        event = QMouseEvent(QEvent.Type.MouseMove, pos, viewport.mapToGlobal(pos),
                            Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(viewport, event)
    return view.toolTip()


def tick_labels(axis: pg.AxisItem) -> list[tuple[float, str]]:
    """(view coordinate, text) of every tick label the axis paints, ascending: x for a
    bottom axis, y for a left one."""
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        _, _, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    view = axis.linkedView()
    vertical = axis.orientation in ("left", "right")
    points = [view.mapSceneToView(axis.mapToScene(rect.center())) for rect, _, _ in texts]
    found = [(p.y() if vertical else p.x(), text)
             for p, (_, _, text) in zip(points, texts, strict=True)]
    return sorted(found)
