"""Panda mode: babysit ONE model. Watch its curves live, pause, change the learning rate, go on.

The course contrasts "panda" (one model, nursed by hand when resources are scarce) with
"caviar" (many models in parallel). The training is the core's
:func:`~desktop_app.core.runner.babysitter.babysit` (the trials' training path) under a
:class:`~desktop_app.core.runner.babysitter.Babysitter`, the thread-safe bridge whose commands
land between two mini-batches; it runs in a generic
:class:`~desktop_app.gui.live.worker.Worker`, which hands every epoch to this dialog.

The learning rate changes only on purpose: the :class:`~desktop_app.gui.live.lr_box.
LearningRateBox` applies what is typed on Enter or Apply (and Continue applies a rate typed
while paused), never keystroke by keystroke. Each change that reached the model is marked on
the curves by a vertical line with the new rate, from the epoch it was used in.

Beside the curves, the model itself (:class:`~desktop_app.gui.live.live_model.LiveModel`): its
confusion matrix and, for two-feature data, its decision boundary, redrawn from snapshots the
training thread hands over (never from the live arrays) at most twice a second.

When a run ends (finished, stopped, diverged or failed, closing the dialog included), the
``keep`` callback the window passes saves it as a trial: in the shown study when it fits,
else in a ``<name>-panda`` study of the same file; see
:mod:`desktop_app.core.runner.panda_record`. Without ``keep`` nothing is saved.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.config import StudyConfig
from desktop_app.core.nn import EpochRecord, TrainResult
from desktop_app.core.runner.babysitter import Babysitter, Snapshot, babysit
from desktop_app.core.runner.panda_record import BabysatRun
from desktop_app.gui.live.live_model import LiveModel
from desktop_app.gui.live.lr_box import LearningRateBox, format_rate
from desktop_app.gui.live.worker import Worker
from desktop_app.gui.style.plot_style import style_plot

STOP_TIMEOUT_MS = 2000
MARK_COLOR = "#54a24b"

Keep = Callable[[BabysatRun], str]
"""Saves an ended run; returns a short note for the status line (where it went, or why not)."""


class PandaDialog(QDialog):
    """One model, its loss curves live, Pause / Continue / Stop and a learning-rate box.

    Hyperparameters: the config's fixed values, overlaid with those of the trial selected in
    ``study_model`` (else its best trial), so "babysit the best one" is a click away. A typed
    rate applies on Enter / Apply / Continue only. An ended run with at least one epoch goes to
    ``keep`` (the window's saver: the shown study when the run fits it and no sweep runs, else
    ``<name>-panda`` in the same file; see the module doc).
    """

    epoch_shown = Signal(object)

    def __init__(self, config: StudyConfig, study_model: Any = None,
                 parent: QWidget | None = None, keep: Keep | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Train one model (panda mode)")
        self.config = config
        self.keep = keep
        self.hp = dict(config.train)
        source = self._overlay_trial(study_model)
        self.sitter = Babysitter(self.hp["learning_rate"], self.hp["lr_decay"])
        self.records: list[EpochRecord] = []
        self._marks: list[pg.InfiniteLine] = []
        self._worker: Worker | None = None
        self._status, self._error, self._run_hp, self._started = "failed", "", self.hp, 0.0
        layout = QVBoxLayout(self)
        about = QLabel(f"One {self.hp['optimizer']} model on {config.data.source} with "
                       f"{source}: {int(self.hp['epochs'])} epochs, batch "
                       f"{int(self.hp['batch_size'])}. Pause it, change the learning rate, "
                       "and continue while watching the curves and the model.")
        about.setWordWrap(True)
        layout.addWidget(about)
        self.plot = self._make_plot()
        self.live = LiveModel(config.data)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(self.plot)
        split.addWidget(self.live.panel)
        split.setSizes([300, 330])  # the model keeps its room while it is not drawn yet
        layout.addWidget(split, 1)
        self.info = QLabel("Press Start")
        self.info.setToolTip("Last epoch's metrics, the learning rate in use, and where the "
                             "run was saved")
        self.info.setWordWrap(True)  # long news wraps: the dialog never widens for it
        self.info.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.info)
        layout.addLayout(self._make_controls())
        self.resize(720, 760)
        self._set_running(False)

    def _overlay_trial(self, study_model: Any) -> str:
        """Take the selected (else the best) trial's values; say where they came from."""
        if study_model is not None:
            for number, what in ((study_model.selected(), "the selected trial"),
                                 (study_model.best_number(), "the best trial")):
                if number is not None:
                    params = study_model.trial(number).params
                    self.hp.update({k: v for k, v in params.items() if k in self.hp})
                    return f"{what} ({number})"
        return "the fixed settings"

    def _make_plot(self) -> pg.PlotWidget:
        plot = pg.PlotWidget()
        style_plot(plot, self.palette())
        plot.addLegend(offset=(-10, 10))
        plot.setLabel("bottom", "epoch")
        plot.setLabel("left", "loss")
        plot.setRange(xRange=(1, 10), yRange=(0, 1))  # whole epochs before the first one
        plot.setToolTip("Training and validation loss after every epoch; a green line marks "
                        "where you changed the learning rate")
        self._train_curve = plot.plot([], [], pen=pg.mkPen("#4c78a8", width=1),
                                      name="train loss")
        self._val_curve = plot.plot([], [], pen=pg.mkPen("#f58518", width=1),
                                    name="validation loss")
        return plot

    def _make_controls(self) -> QHBoxLayout:
        controls = QHBoxLayout()
        self.start_button = QPushButton("Start")
        self.start_button.setToolTip("Start training this one model")
        self.pause_button = QPushButton("Pause")
        self.pause_button.setToolTip("Hold training between two mini-batches; Continue "
                                     "goes on from there")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("End the run here (it is kept as a trial)")
        self.rate = LearningRateBox(float(self.hp["learning_rate"]))
        self.apply_button = QPushButton("Apply")
        self.apply_button.setToolTip("Use the learning rate typed in the box from the next "
                                     "mini-batch (Enter in the box does the same)")
        for button in (self.start_button, self.pause_button, self.stop_button,
                       self.apply_button):
            button.setAutoDefault(False)  # Enter in the rate box only applies the rate
        for widget in (self.start_button, self.pause_button, self.stop_button):
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(QLabel("learning rate"))
        controls.addWidget(self.rate)
        controls.addWidget(self.apply_button)
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button.clicked.connect(self.stop)
        self.apply_button.clicked.connect(self.rate.apply)
        self.rate.applied.connect(self._use_rate)
        return controls

    def start(self) -> None:
        """Train a fresh model in a worker thread, from the learning rate in the box."""
        if self._worker is not None:
            return
        self.records.clear()
        self.live.clear()
        self.plot.setRange(xRange=(1, 10), yRange=(0, 1))
        self._train_curve.setData([], [])
        self._val_curve.setData([], [])
        for line in self._marks:
            self.plot.removeItem(line)
        self._marks.clear()
        self.hp["learning_rate"] = self.rate.value()
        self.sitter = Babysitter(self.rate.value(), self.hp["lr_decay"])
        sitter, hp = self.sitter, dict(self.hp)
        data, seed = self.config.data, self.config.study.seed
        # babysit reports through callbacks: the worker's emit relays each epoch and snapshot.
        worker = Worker(lambda: babysit(sitter, hp, data, seed, on_epoch=worker.emit,
                                        on_snapshot=worker.emit))
        worker.yielded.connect(self._on_yielded)
        worker.returned.connect(self._on_returned)
        worker.errored.connect(self._on_errored)
        worker.finished.connect(self._on_done)
        self._worker, self._status, self._error = worker, "failed", ""
        self._run_hp, self._started = hp, time.perf_counter()
        worker.start("caviar-panda")
        self._set_running(True)
        self.info.setText("Training…")

    def toggle_pause(self) -> None:
        """Pause, or continue a paused run (a usable rate typed meanwhile is applied first)."""
        if self.sitter.paused:
            if self.rate.is_pending():
                self.rate.apply()
            self.sitter.resume()
            self.pause_button.setText("Pause")
        else:
            self.sitter.pause()
            self.pause_button.setText("Continue")
            self.info.setText(self.info.text() + "  (paused)")

    def stop(self) -> bool:
        """End the run and wait for the thread (True when it ended within 2 s)."""
        self.sitter.stop()
        worker = self._worker
        if worker is None:
            return True
        return worker.wait(STOP_TIMEOUT_MS)  # delivers the last epochs and the end now

    def closeEvent(self, event: Any) -> None:
        """Closing stops the run first (and so keeps it)."""
        self.stop()
        super().closeEvent(event)

    @Slot(float)
    def _use_rate(self, rate: float) -> None:
        """An applied rate: the running model takes it at its next mini-batch; else the next
        Start begins with it."""
        if self._worker is None:
            return  # start() takes the box's rate
        self.sitter.set_learning_rate(rate)
        self.info.setText(self.info.text() + f"  → learning rate {format_rate(rate)} from "
                          "the next mini-batch")

    @Slot(object)
    def _on_yielded(self, value: EpochRecord | Snapshot) -> None:
        if isinstance(value, Snapshot):
            self.live.take(value)
        else:
            self._on_epoch(value)

    def _on_epoch(self, record: EpochRecord) -> None:
        self.records.append(record)
        if len(self.records) == 1:
            self.plot.enableAutoRange()  # from the 1..10 shown before
        epochs = np.arange(1, len(self.records) + 1)
        self._train_curve.setData(epochs, [r.train_loss for r in self.records])
        val = [r.val_loss for r in self.records]
        self._val_curve.setData(epochs, val, connect="finite")
        self._mark_changes()
        acc = record.val_accuracy
        self.info.setText(
            f"epoch {record.epoch}: train loss {record.train_loss:.4f}, validation loss "
            f"{record.val_loss:.4f}, validation accuracy "
            f"{'-' if math.isnan(acc) else f'{acc:.1%}'}, learning rate "
            f"{record.learning_rate:.3g}")
        self.epoch_shown.emit(record)

    def _mark_changes(self) -> None:
        """A vertical line, labelled with the new rate, for each change the model took."""
        for epoch, rate in self.sitter.changes[len(self._marks):]:
            line = pg.InfiniteLine(
                pos=epoch - 1, angle=90, pen=pg.mkPen(MARK_COLOR, style=Qt.PenStyle.DashLine),
                label=f"α {format_rate(rate)}",
                labelOpts={"position": 0.75, "color": MARK_COLOR})  # below the legend
            line.setToolTip(f"Learning rate {format_rate(rate)} (before decay) from epoch "
                            f"{epoch} on")
            self.plot.addItem(line, ignoreBounds=True)
            self._marks.append(line)

    @Slot(object)
    def _on_returned(self, result: TrainResult) -> None:
        self._status = result.status

    @Slot(object)
    def _on_errored(self, exc: BaseException) -> None:
        self._error = f"{type(exc).__name__}: {exc}"

    @Slot()
    def _on_done(self) -> None:
        self._worker = None
        self.live.flush()  # the model as the run left it
        self._set_running(False)
        self.pause_button.setText("Pause")
        self.start_button.setText("Start again")
        self.start_button.setToolTip("Train a fresh model with the learning rate in the box")
        status = f"failed: {self._error}" if self._error else self._status
        note = f"  — run {status}"
        if self.keep is not None and self.records:
            note += "; " + self.keep(BabysatRun(
                self._run_hp, self.config.study.seed, self.config.data, tuple(self.records),
                self._status, time.perf_counter() - self._started, self._error))
        self.info.setText(self.info.text().replace("  (paused)", "") + note)

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.pause_button.setEnabled(running)
        self.stop_button.setEnabled(running)
