"""Panda mode: babysit ONE model. Watch its curves live, pause, change the learning rate, go on.

The course contrasts "panda" (one model, nursed by hand when resources are scarce) with
"caviar" (many models in parallel). The training is the core's
:func:`~desktop_app.core.runner.babysitter.babysit` (the trials' training path) under a
:class:`~desktop_app.core.runner.babysitter.Babysitter`, the thread-safe bridge whose commands
land between two mini-batches; it runs in a generic
:class:`~desktop_app.gui.live.worker.Worker`, which hands every epoch to this dialog.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.config import StudyConfig
from desktop_app.core.nn import EpochRecord, TrainResult
from desktop_app.core.runner.babysitter import Babysitter, babysit
from desktop_app.gui.live.worker import Worker
from desktop_app.gui.style.plot_style import style_plot

STOP_TIMEOUT_MS = 2000


class PandaDialog(QDialog):
    """One model, its loss curves live, Pause / Continue / Stop and a learning-rate box.

    Hyperparameters: the config's fixed values, overlaid with those of the trial selected in
    ``study_model`` (else its best trial), so "babysit the best one" is a click away.
    """

    epoch_shown = Signal(object)

    def __init__(self, config: StudyConfig, study_model: Any = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Train one model (panda mode)")
        self.config = config
        self.hp = dict(config.train)
        chosen, source = None, "the fixed settings"
        if study_model is not None:
            for number, what in ((study_model.selected(), "the selected trial"),
                                 (study_model.best_number(), "the best trial")):
                if number is not None:
                    chosen, source = number, f"{what} ({number})"
                    break
        if chosen is not None:
            self.hp.update(study_model.trial(chosen).params)
        self.sitter = Babysitter(self.hp["learning_rate"], self.hp["lr_decay"])
        self.records: list[EpochRecord] = []
        self._worker: Worker | None = None
        self._status = "failed"
        layout = QVBoxLayout(self)
        about = QLabel(f"One {self.hp['optimizer']} model on {config.data.source} with "
                       f"{source}: {int(self.hp['epochs'])} epochs, batch "
                       f"{int(self.hp['batch_size'])}. Pause it, change the learning rate, "
                       "and continue while watching the curves.")
        about.setWordWrap(True)
        layout.addWidget(about)
        self.plot = pg.PlotWidget()
        style_plot(self.plot, self.palette())
        self.plot.addLegend(offset=(-10, 10))
        self.plot.setLabel("bottom", "epoch")
        self.plot.setLabel("left", "loss")
        self.plot.setToolTip("Training and validation loss after every epoch")
        self._train_curve = self.plot.plot([], [], pen=pg.mkPen("#4c78a8", width=1),
                                           name="train loss")
        self._val_curve = self.plot.plot([], [], pen=pg.mkPen("#f58518", width=1),
                                         name="validation loss")
        layout.addWidget(self.plot, 1)
        self.info = QLabel("Press Start")
        self.info.setToolTip("Last epoch's metrics and the learning rate in use")
        layout.addWidget(self.info)
        controls = QHBoxLayout()
        self.start_button = QPushButton("Start")
        self.start_button.setToolTip("Start training this one model")
        self.pause_button = QPushButton("Pause")
        self.pause_button.setToolTip("Hold training between two mini-batches; Continue "
                                     "goes on from there")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("End the run here")
        self.rate = QDoubleSpinBox()
        self.rate.setDecimals(6)
        self.rate.setRange(1e-6, 10.0)
        self.rate.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.rate.setValue(float(self.hp["learning_rate"]))
        self.rate.setToolTip("Learning rate: applied to the live optimizer before the next "
                             "mini-batch (try dividing it by 3 when the loss plateaus)")
        controls.addWidget(self.start_button)
        controls.addWidget(self.pause_button)
        controls.addWidget(self.stop_button)
        controls.addStretch(1)
        controls.addWidget(QLabel("learning rate"))
        controls.addWidget(self.rate)
        layout.addLayout(controls)
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button.clicked.connect(self.stop)
        self.rate.valueChanged.connect(lambda rate: self.sitter.set_learning_rate(rate))
        self.resize(640, 460)
        self._set_running(False)

    def start(self) -> None:
        """Train the model in a worker thread."""
        if self._worker is not None:
            return
        if self.records:  # a second run: a fresh model, curves and controls
            self.records.clear()
            self._train_curve.setData([], [])
            self._val_curve.setData([], [])
            self.sitter = Babysitter(self.rate.value(), self.hp["lr_decay"])
        sitter, hp = self.sitter, dict(self.hp)
        data, seed = self.config.data, self.config.study.seed
        # babysit reports through a callback: the worker's emit relays each epoch.
        worker = Worker(lambda: babysit(sitter, hp, data, seed, on_epoch=worker.emit))
        worker.yielded.connect(self._on_epoch)
        worker.returned.connect(self._on_returned)
        worker.errored.connect(self._on_errored)
        worker.finished.connect(self._on_done)
        self._worker, self._status = worker, "failed"
        worker.start("caviar-panda")
        self._set_running(True)
        self.info.setText("Training…")

    def toggle_pause(self) -> None:
        """Pause, or continue a paused run."""
        if self.sitter.paused:
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
        """Closing stops the run first."""
        self.stop()
        super().closeEvent(event)

    @Slot(object)
    def _on_epoch(self, record: EpochRecord) -> None:
        self.records.append(record)
        epochs = np.arange(1, len(self.records) + 1)
        self._train_curve.setData(epochs, [r.train_loss for r in self.records])
        val = [r.val_loss for r in self.records]
        self._val_curve.setData(epochs, val, connect="finite")
        acc = record.val_accuracy
        self.info.setText(
            f"epoch {record.epoch}: train loss {record.train_loss:.4f}, validation loss "
            f"{record.val_loss:.4f}, validation accuracy "
            f"{'-' if math.isnan(acc) else f'{acc:.1%}'}, learning rate "
            f"{record.learning_rate:.3g}")
        self.epoch_shown.emit(record)

    @Slot(object)
    def _on_returned(self, result: TrainResult) -> None:
        self._status = result.status

    @Slot(object)
    def _on_errored(self, exc: BaseException) -> None:
        self._status = f"failed: {type(exc).__name__}: {exc}"

    @Slot()
    def _on_done(self) -> None:
        status, self._worker = self._status, None
        self._set_running(False)
        self.pause_button.setText("Pause")
        self.start_button.setText("Start again")
        self.start_button.setToolTip("Train a fresh model with the learning rate in the box")
        self.info.setText(self.info.text().replace("  (paused)", "") + f"  — run {status}")

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.pause_button.setEnabled(running)
        self.stop_button.setEnabled(running)
