"""Live loss curves: loss per epoch, redrawn at ~30 Hz.

Up to 300 finished trials (``finished_curves.BAND_ABOVE``) every trial is a line. Past that,
lines stop being readable (and 100,000 of them cost seconds per frame), so the finished
trials become a quantile band per epoch (``CurveBand``: 10-90 %, 25-75 %, median) and only
the 5 best complete trials (``BEST_LINES``), the running ones, the best and the selected
stay lines (:class:`FinishedCurves`).

Speed rules (measured): a running trial has a PlotDataItem of its own (taken from a pool, so
``addItem``, which walks every item of the plot, runs a few times, not once per trial) updated
with ``setData``; finished lines are painted by one cached :class:`CurveLayer`, so a live
frame strokes only the running curves; only trials marked dirty since the last tick are
touched; 1-px cosmetic pens without antialiasing. The best and the selected trial are drawn
again by two overlay items with wider pens.
Non-finite losses (a diverging trial) are gaps thanks to ``connect="finite"``.
"""

from __future__ import annotations

import itertools

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop_app.core.study import METRIC_NAMES, TrialState
from desktop_app.gui.frame import frame_timer
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.style.plot_style import (
    BEST_COLOR,
    SELECTED_COLOR,
    curve_legend_html,
    curve_pen,
    legend_label,
    overlay_pen,
    style_plot,
)
from desktop_app.gui.views.curve_hit import curve_under
from desktop_app.gui.views.curve_train import TrainCurves
from desktop_app.gui.views.finished_curves import BEST_LINES, FinishedCurves
from desktop_app.gui.views.loss_extent import LossExtent
from desktop_app.gui.views.metric_choices import (
    CURVE_BUILTINS,
    curve_metrics,
    is_loss_like,
    refill,
)
from desktop_app.gui.views.param_axis import ParamAxis
from desktop_app.gui.views.plot_caption import CaptionedPlot
from desktop_app.gui.views.plot_hint import with_hint

FLUSH_TRIALS = 2000
"""Dirty trials redrawn per frame at most (~20 ms): a new series, a log axis or a block of a
big study being opened is drawn over several frames instead of in one stall."""
EMPTY_HINT = (
    "<b>No trials yet.</b><br><br>Press <b>Run</b> (Ctrl+R) to start the sweep. Each trial "
    "trains one network with its own hyperparameters; its loss after every epoch is drawn "
    "here as one line, live. A line that keeps falling is still learning; the lowest "
    "validation loss generalises best."
)


class LossCurves(QWidget):
    """Loss per epoch of every trial, with a series selector (train/validation loss and any
    metric a trainer of the user's own reports) and a log-y option."""

    def __init__(self, study_model: StudyModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._study = study_model
        self._running: dict[int, pg.PlotDataItem] = {}
        self._spare: list[pg.PlotDataItem] = []
        self._dirty: set[int] = set()
        self._build_controls()
        self._build_plot()
        self._timer = frame_timer(self, self.flush)
        study_model.reset.connect(self._on_reset)
        study_model.trials_added.connect(self._on_added)
        study_model.trials_changed.connect(self._mark_dirty)
        study_model.selection_changed.connect(self._schedule)
        study_model.best_changed.connect(self._schedule)
        study_model.metrics_changed.connect(self._on_metrics)
        self._on_reset()

    # --- construction -------------------------------------------------------------------
    def _build_controls(self) -> None:
        self._series_box = QComboBox()
        self._series_box.setToolTip(
            "Validation loss shows how well each trial generalises; training loss how well "
            "it fits the data it learns from. A trainer of your own: every metric it reports"
        )
        self._series_box.currentIndexChanged.connect(self._redraw_all)
        self._log_box = QCheckBox("Log scale")
        self._log_box.setToolTip("Logarithmic loss axis: small differences near 0 become visible")
        self._log_box.toggled.connect(self._on_log_toggled)
        legend = self._legend = legend_label(curve_legend_html())
        legend.setToolTip(
            "One line per trial. Running trials are bright orange; pruned trials (dashed) "
            "were stopped early by the pruner because they looked worse than others at the "
            "same epoch; diverged (dotted) had an exploding or NaN loss and are cut off at "
            "the top instead of squeezing the other curves flat. Green: the best trial; "
            "magenta: the one selected in the table or the scatter. With 'Training dashed', "
            "the best, selected and running trials' training curves are long dashes"
        )
        self._hover_label = QLabel(" ")
        self._hover_label.setToolTip("The trial under the mouse; click a curve to select it")
        bar = self._bar = QHBoxLayout()
        bar.addWidget(self._series_box)
        bar.addWidget(self._log_box)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(legend)

    def _build_plot(self) -> None:
        self._y_axis = ParamAxis("left")  # log ticks 0.1, 0.2, 0.5 that never overlap
        self.plot = CaptionedPlot(self.caption, axisItems={"left": self._y_axis})
        self.plot.setToolTip("Hover a curve to name its trial; click it to select the trial")
        item = self.plot.getPlotItem()
        item.setLabel("bottom", "epoch")
        item.setMenuEnabled(False)
        item.hideButtons()  # the view follows the data; see _fit_view
        style_plot(self.plot, self.palette())
        self._best_item = pg.PlotDataItem(pen=overlay_pen(BEST_COLOR, 2.5), connect="finite")
        self._selected_item = pg.PlotDataItem(
            pen=overlay_pen(SELECTED_COLOR, 2.0), connect="finite"
        )
        self._same_shown = False
        self._finished = FinishedCurves(item, self._study)
        self._layer = self._finished.layer
        self._train = TrainCurves(item, self._study)  # the training curves, dashed
        self._train.box.toggled.connect(self._follow_series)
        self._bar.insertWidget(2, self._train.box)
        for z, overlay in ((10, self._best_item), (11, self._selected_item)):
            overlay.setZValue(z)
            item.addItem(overlay, ignoreBounds=True)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.plot.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        box, self._hint = with_hint(self.plot, EMPTY_HINT)
        layout = self.layout()
        layout.addWidget(box, 1)
        layout.addWidget(self._hover_label)

    def changeEvent(self, event: QEvent) -> None:
        """Follow light/dark palette switches."""
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "plot"):
            style_plot(self.plot, self.palette())
        super().changeEvent(event)

    # --- public -------------------------------------------------------------------------
    def series_key(self) -> str:
        """The plotted series: ``"val_loss"``, ``"train_loss"`` or another metric offered."""
        return str(self._series_box.currentData())

    def caption(self) -> tuple[str, str]:
        """Title and legend of an exported image: the series shown, the window's legend."""
        if self._finished.band_trials():
            shape = (f"10-90 % and 25-75 % of {len(self._finished)} finished trials, median; "
                     f"lines: the best {BEST_LINES} and the running trials")
        else:
            shape = "one line per trial"
        title = f"{self._series_box.currentText()} per epoch, {shape}"
        return title, self._legend.text()

    def set_series(self, key: str) -> None:
        """Show the series ``key`` (one of :meth:`series_choices`)."""
        self._series_box.setCurrentIndex(self._series_box.findData(key))

    def series_choices(self) -> list[str]:
        """The metrics the selector offers, in order."""
        return [self._series_box.itemData(i) for i in range(self._series_box.count())]

    def set_train_shown(self, on: bool) -> None:
        """Draw the training series dashed beside the validation one (when it arrived)."""
        self._train.box.setChecked(on)

    def train_lines(self) -> dict[str, pg.PlotDataItem]:
        """The dashed training curves drawn: "best", "selected" and "running" (all running
        trials in one item, NaN between two); empty while the option is off."""
        return self._train.drawn()

    def set_log_y(self, on: bool) -> None:
        """Switch the logarithmic loss axis."""
        self._log_box.setChecked(on)

    def curve_count(self) -> int:
        """Number of trials drawn as lines (overlays not counted)."""
        return len(self._layer) + len(self._running)

    def line_numbers(self) -> list[int]:
        """Trials drawn as lines: finished ones (all, or the best few beside the band) and
        the running ones."""
        return [*self._layer.numbers(), *self._running]

    def band_trials(self) -> int:
        """Finished trials summarised by the quantile band (0 while it is not shown)."""
        return self._finished.band_trials()

    def line_pen(self, number: int) -> QPen:
        """The pen of trial ``number``'s line (``KeyError`` when it is not a line)."""
        if number in self._running:
            return self._running[number].opts["pen"]
        return self._layer.pen(number)

    def curve_points(self, number: int) -> int:
        """Finite points trial ``number``'s line holds (NaN/inf epochs are not drawn)."""
        y = self.curve_data(number)
        return int(np.isfinite(y).sum())

    def curve_data(self, number: int) -> np.ndarray:
        """The y values of trial ``number``'s line as drawn (log10 on a log axis in the
        finished trials' layer; ``KeyError`` when it is not a line)."""
        if number in self._running:
            _, y = self._running[number].getOriginalDataset()
        else:
            _, y = self._layer.data(number)
        return np.empty(0) if y is None else np.asarray(y, dtype=float)

    def flush(self) -> None:
        """Redraw the dirty trials (at most :data:`FLUSH_TRIALS`; the rest next frame) and
        the overlays now (the 30 Hz timer calls this)."""
        self._timer.stop()
        key = self.series_key()
        batch, self._dirty = self._dirty, set()
        if len(batch) > FLUSH_TRIALS:
            self._dirty = set(itertools.islice(batch, len(batch) - FLUSH_TRIALS))
            batch -= self._dirty
            self._timer.start()
        for number in batch:
            if number not in self._study:
                continue
            trial = self._study.trial(number)
            values = trial.series(key)
            self._extent.add(number, values, trial.state)
            if trial.state is TrialState.RUNNING:
                self._finished.forget(number)
                self._show_running(number, trial.epoch_numbers(), values)
            else:
                self._release_running(number)
                self._finished.finish(number, values)
        if batch:
            self._finished.update(key, self._log_box.isChecked())
            self._show_legend()
        best, selected = self._study.best_number(), self._study.selected()
        self._show_best_is_selected(best is not None and best == selected)
        for overlay, number in ((self._best_item, best), (self._selected_item, selected)):
            if number is None:
                overlay.setData([], [])
            else:
                trial = self._study.trial(number)
                overlay.setData(trial.epoch_numbers(), trial.series(key))
        self._train.update(best, selected, self._running)
        self._fit_view()

    def _show_running(self, number: int, x: np.ndarray, y: np.ndarray) -> None:
        item = self._running.get(number)
        if item is None:
            item = self._running[number] = self._spare.pop() if self._spare else self._new_item()
            item.setPen(curve_pen(TrialState.RUNNING))
            item.show()
        item.setData(x, y)

    def _new_item(self) -> pg.PlotDataItem:
        item = pg.PlotDataItem(connect="finite", antialias=False, skipFiniteCheck=False)
        item.setZValue(1)  # above the finished curves' layer
        self.plot.getPlotItem().addItem(item, ignoreBounds=True)
        return item

    def _release_running(self, number: int) -> None:
        item = self._running.pop(number, None)
        if item is not None:
            item.setData([], [])
            item.hide()
            self._spare.append(item)

    def _show_best_is_selected(self, same: bool) -> None:
        """When the selected trial is the best one, the best line shows as a wide green
        edge around the magenta one and the legend says so."""
        if same == self._same_shown:
            return
        self._same_shown = same
        self._best_item.setPen(overlay_pen(BEST_COLOR, 6.0 if same else 2.5))
        self._show_legend()

    def _show_legend(self) -> None:
        """The states' lines, the best and selected trial, and the band when it is shown."""
        text = (curve_legend_html(best_is_selected=self._same_shown)
                + self._finished.legend() + self._train.legend())
        if text != self._legend.text():
            self._legend.setText(text)

    def _fit_view(self) -> None:
        """Show every epoch and the losses' range, changing the view only when it grows.

        Cheaper than pyqtgraph's autorange (which asks all curves for bounds on every
        change) and saner: see :class:`LossExtent` for the cap that keeps one exploding trial
        from flattening all the others.
        """
        view = self._train.widen(self._extent.view(), self._log_box.isChecked())
        if view is not None and view != self._shown:
            self._shown = view
            x_max, y_low, y_high = view
            self.plot.getPlotItem().getViewBox().setRange(
                xRange=(1, x_max), yRange=(y_low, y_high), padding=0.03
            )

    # --- model signals ------------------------------------------------------------------
    def _on_reset(self) -> None:
        for number in list(self._running):
            self._release_running(number)
        # until the first loss arrives: whole epochs on x, not 0.1 .. 0.9
        self.plot.getPlotItem().getViewBox().setRange(xRange=(1, 10), yRange=(0, 1))
        metric = self._study.metric
        if metric in METRIC_NAMES and metric not in CURVE_BUILTINS:  # an accuracy: its loss
            metric = "train_loss" if metric.startswith("train") else "val_loss"
        refill(self._series_box, curve_metrics(self._study), metric)
        self._forget_all()
        self._follow_series()
        self._on_added(self._study.numbers())

    def _on_metrics(self, _names: list[str]) -> None:
        """Metrics arrived: offer them, keeping the series shown."""
        key = self.series_key()
        refill(self._series_box, curve_metrics(self._study), key)
        if self.series_key() != key:
            self._redraw_all()
        else:
            self._follow_series()

    def _forget_all(self) -> None:
        """Forget what was drawn of finished trials (they are redrawn when marked dirty)."""
        self._finished.clear()
        self._dirty.clear()
        self._extent = LossExtent(self._log_box.isChecked(),
                                  capped=is_loss_like(self._study, self.series_key()))
        self._shown: tuple[float, float, float] | None = None

    def _on_added(self, numbers: list[int]) -> None:
        self._hint.setVisible(len(self._study) == 0)
        self._mark_dirty(numbers)

    def _mark_dirty(self, numbers: list[int]) -> None:
        self._dirty.update(numbers)
        self._schedule()

    def _schedule(self, *_: object) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def _redraw_all(self) -> None:
        self._forget_all()
        self._mark_dirty(self._study.numbers())
        self._follow_series()

    def _follow_series(self, *_: object) -> None:
        """The series or the training option changed: label the axis, draw the pair."""
        key = self.series_key()
        if self._train.follow(key):
            self._show_legend()
            self._schedule()
        self.plot.getPlotItem().setLabel("left", self._train.axis_label(key))

    def _on_log_toggled(self, on: bool) -> None:
        self._y_axis.set_scale("log" if on else "linear")
        self.plot.setLogMode(y=on)
        self._redraw_all()

    # --- hover and click ----------------------------------------------------------------
    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        hit = self._hit(scene_pos)
        if hit is None:
            self._hover_label.setText(" ")
            return
        number, epoch, value = hit
        self._hover_label.setText(
            f"trial {number}: {self.series_key()} {value:.3g} @ epoch {epoch}"
            f"  ({self._study.trial(number).state.value})"
        )

    def _on_mouse_clicked(self, event: object) -> None:
        if event.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            return
        hit = self._hit(event.scenePos())  # type: ignore[attr-defined]
        if hit is not None:
            self._study.select(hit[0])

    def _hit(self, scene_pos: QPointF) -> tuple[int, int, float] | None:
        """The trial whose curve passes within a few pixels of ``scene_pos``."""
        key = self.series_key()
        lines = ((n, self._study.trial(n).series(key)) for n in self.line_numbers())
        return curve_under(self.plot.getPlotItem().getViewBox(), scene_pos, lines,
                           self._log_box.isChecked())
