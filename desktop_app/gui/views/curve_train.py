"""The training curve beside the validation one, on request: while the loss curves show a
``val_X`` series, the option draws ``train_X`` dashed for the best, the selected and the
running trials, in each one's colour (val_loss solid beside train_loss dashed: a gap that
widens means the model starts to overfit).

Three items in all, whatever the study's size: one for the best trial, one for the selected
one, and one for every running trial together (their curves joined with NaN gaps). They are
in the plot only while shown, so the plot's other items are untouched when the option is off.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QCheckBox

from desktop_app.core.study import TrialState
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.style.plot_style import BEST_COLOR, SELECTED_COLOR, legend_entry, state_color

RUNNING_LINES = 64
"""Running trials whose training curve is drawn at most (a sweep runs a few at a time)."""
DASHES = (5.0, 3.0)
"""The training curves' dash pattern, in pen widths: longer than a pruned trial's dashes."""
TRAIN_GLYPH = "\u254c\u254c"
"""A training curve in a legend (a pruned trial's dashes are shorter and fainter)."""
LABEL = "Training dashed"


def train_partner(key: str, names: Iterable[str]) -> str | None:
    """The training series paired with validation series ``key`` ("val_loss" ->
    "train_loss", an own "val_f1" -> "train_f1") when it is among ``names``, else None."""
    if not key.startswith("val_"):
        return None
    partner = "train_" + key[len("val_"):]
    return partner if partner in set(names) else None


def dashed_pen(color: str | object, width: float) -> QPen:
    """A cosmetic dashed pen: how a training curve is drawn."""
    pen = pg.mkPen(color, width=width)
    pen.setCosmetic(True)
    pen.setStyle(Qt.PenStyle.CustomDashLine)
    pen.setDashPattern(list(DASHES))
    return pen


class TrainCurves:
    """The option's check box (``box``) and the dashed items of the training curves."""

    def __init__(self, plot_item: pg.PlotItem, study: StudyModel) -> None:
        self._plot, self._study = plot_item, study
        self.key: str | None = None
        """The training series drawn now (None while the option is off or unavailable)."""
        self.box = QCheckBox(LABEL)
        self.box.setToolTip(self._tip(None, ""))
        self.best = pg.PlotDataItem(pen=dashed_pen(BEST_COLOR, 2.0), connect="finite")
        self.selected = pg.PlotDataItem(pen=dashed_pen(SELECTED_COLOR, 1.6), connect="finite")
        self.running = pg.PlotDataItem(pen=dashed_pen(state_color(TrialState.RUNNING), 1.0),
                                       connect="finite")
        for z, item in ((9, self.running), (10, self.best), (11, self.selected)):
            item.setZValue(z)

    def items(self) -> list[pg.PlotDataItem]:
        """The dashed items (in the plot only while a training series is drawn)."""
        return [self.running, self.best, self.selected]

    def drawn(self) -> dict[str, pg.PlotDataItem]:
        """The items by role ("best", "selected", "running") while drawn, else empty."""
        if self.key is None:
            return {}
        return {"best": self.best, "selected": self.selected, "running": self.running}

    def follow(self, series: str) -> bool:
        """The curves show ``series``: offer the option when its training pair arrived, and
        draw that pair when the box is checked. True when what is drawn changed."""
        partner = train_partner(series, self._study.metric_names())
        self.box.setEnabled(partner is not None)
        self.box.setToolTip(self._tip(partner, series))
        key = partner if self.box.isChecked() else None
        if key == self.key:
            return False
        if key is None:
            for item in self.items():
                self._plot.removeItem(item)
        elif self.key is None:
            for item in self.items():
                self._plot.addItem(item, ignoreBounds=True)
        self.key = key
        return True

    def update(self, best: int | None, selected: int | None, running: Iterable[int]) -> None:
        """Give the items the training series of these trials (nothing while off)."""
        if self.key is None:
            return
        for item, number in ((self.best, best), (self.selected, selected)):
            if number is None or number not in self._study:
                item.setData([], [])
            else:
                trial = self._study.trial(number)
                item.setData(trial.epoch_numbers(), trial.series(self.key))
        xs: list[np.ndarray] = []
        ys: list[np.ndarray] = []
        for number in list(running)[:RUNNING_LINES]:
            trial = self._study.trial(number)
            xs += [trial.epoch_numbers(), np.array([math.nan])]
            ys += [trial.series(self.key), np.array([math.nan])]
        if xs:
            self.running.setData(np.concatenate(xs), np.concatenate(ys))
        else:
            self.running.setData([], [])

    def widen(self, view: tuple[float, float, float] | None,
              log_y: bool) -> tuple[float, float, float] | None:
        """``view`` (last epoch, y low, y high) grown to take in the training curves drawn:
        down to their lowest value, up by at most the view's own height (a training loss
        that explodes does not flatten the rest)."""
        if self.key is None or view is None:
            return view
        values = [item.getOriginalDataset()[1] for item in self.items()]
        y = np.concatenate([np.asarray(v, dtype=float) for v in values if v is not None and
                            len(v)] or [np.empty(0)])
        if log_y:
            with np.errstate(divide="ignore", invalid="ignore"):
                y = np.log10(y)
        y = y[np.isfinite(y)]
        if not y.size:
            return view
        last, low, high = view
        return last, min(low, float(y.min())), max(high, min(float(y.max()), 2 * high - low))

    def legend(self) -> str:
        """Legend entries saying which line is which (empty while off)."""
        if self.key is None:
            return ""
        return " &nbsp;" + " &nbsp;".join([
            legend_entry("#888888", "\u2501\u2501", "validation"),
            legend_entry("#888888", TRAIN_GLYPH, "training")])

    def axis_label(self, series: str) -> str:
        """The y axis' title: the series, and its training pair while drawn."""
        label = series.replace("_", " ")
        return label if self.key is None else f"{label}, {self.key.replace('_', ' ')} dashed"

    @staticmethod
    def _tip(partner: str | None, series: str) -> str:
        if partner is not None:
            return (f"Draw {partner} dashed beside {series} (solid) for the best, the selected "
                    "and the running trials, in the same colour: training far below "
                    "validation means the model fits its training data better than new data "
                    "(overfitting)")
        return ("Shows the training curve dashed beside a validation series (val_loss, "
                "val_accuracy, or an own val_X whose train_X was reported too); pick one "
                "of those above")
