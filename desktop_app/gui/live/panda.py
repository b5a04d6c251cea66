"""Panda mode: babysit ONE model. Watch its curves live, pause, change the learning rate, go on.

The course contrasts "panda" (one model, nursed by hand when resources are scarce) with
"caviar" (many models in parallel). Training runs in a QThread through the core's ``train``;
:class:`Babysitter` is the thread-safe bridge: ``should_stop`` (called by ``train`` before every
mini-batch) applies a new learning rate to the live optimizer and blocks while paused, so a
change lands between two mini-batches and pausing never ends the run.
"""

from __future__ import annotations

import math
import threading
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QThread, Signal, Slot
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
from desktop_app.core.data import load_split
from desktop_app.core.nn import EpochRecord, build_model, train
from desktop_app.gui.style.plot_style import style_plot

PAUSE_POLL_S = 0.05


class Babysitter:
    """Thread-safe controls of one training run (no Qt: plain locks and events)."""

    def __init__(self, learning_rate: float, lr_decay: float = 0.0) -> None:
        self._lock = threading.Lock()
        self._running = threading.Event()
        self._running.set()
        self._stop = False
        self._base_rate = float(learning_rate)
        self._decay = float(lr_decay)
        self._epoch = 0
        self._pending: float | None = None

    def pause(self) -> None:
        """Hold training before the next mini-batch."""
        self._running.clear()

    def resume(self) -> None:
        """Continue after :meth:`pause`."""
        self._running.set()

    def stop(self) -> None:
        """End the run before the next mini-batch (also wakes a paused run)."""
        self._stop = True
        self._running.set()

    @property
    def paused(self) -> bool:
        """True while paused."""
        return not self._running.is_set()

    def set_learning_rate(self, rate: float) -> None:
        """Use ``rate`` (before decay) from the next mini-batch on."""
        with self._lock:
            self._pending = float(rate)

    def schedule(self, alpha0: float, epoch: int) -> float:
        """``train``'s schedule: inverse-time decay of the current base rate."""
        with self._lock:
            self._epoch = epoch
            return self._base_rate / (1.0 + self._decay * epoch)

    def should_stop(self, optimizer: Any) -> bool:
        """Called before each mini-batch: apply a new rate, wait while paused, say stop."""
        with self._lock:
            if self._pending is not None:
                self._base_rate, self._pending = self._pending, None
                optimizer.learning_rate = self._base_rate / (1.0 + self._decay * self._epoch)
        while not self._running.wait(PAUSE_POLL_S):
            pass
        return self._stop


class _PandaWorker(QObject):
    """Trains in the worker thread; reports each epoch and the final status."""

    epoch = Signal(object)
    done = Signal(str)

    def __init__(self, config: StudyConfig, hp: dict[str, Any], sitter: Babysitter) -> None:
        super().__init__()
        self.config, self.hp, self.sitter = config, hp, sitter

    @Slot()
    def run(self) -> None:
        status = "failed"
        try:
            split = load_split(self.config.data)
            net, optimizer = build_model(self.hp, split.n_features, split.n_classes,
                                         self.config.study.seed)
            result = train(
                net, optimizer, split.X_train.astype(np.float32), split.y_train,
                split.X_val.astype(np.float32), split.y_val,
                epochs=int(self.hp["epochs"]), batch_size=int(self.hp["batch_size"]),
                schedule=self.sitter.schedule, seed=self.config.study.seed,
                should_stop=lambda: self.sitter.should_stop(optimizer),
                on_epoch=self._report)
            status = result.status
        except Exception as exc:
            status = f"failed: {type(exc).__name__}: {exc}"
        finally:
            self.done.emit(status)
            QThread.currentThread().quit()

    def _report(self, record: EpochRecord) -> bool:
        """Send the epoch to the dialog; never ask ``train`` to stop (emit() returns True)."""
        self.epoch.emit(record)
        return False


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
        self._thread: QThread | None = None
        self._worker: _PandaWorker | None = None
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
        if self._thread is not None:
            return
        if self.records:  # a second run: a fresh model, curves and controls
            self.records.clear()
            self._train_curve.setData([], [])
            self._val_curve.setData([], [])
            self.sitter = Babysitter(self.rate.value(), self.hp["lr_decay"])
        thread = QThread()
        thread.setObjectName("caviar-panda")
        worker = _PandaWorker(self.config, self.hp, self.sitter)
        worker.moveToThread(thread)
        worker.epoch.connect(self._on_epoch)
        worker.done.connect(self._on_done)
        thread.started.connect(worker.run)
        self._thread, self._worker = thread, worker
        thread.start()
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
        if self._thread is None:
            return True
        ended = self._thread.wait(2000)
        if ended:
            from PySide6.QtCore import QCoreApplication

            QCoreApplication.sendPostedEvents(self)
        return ended

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

    @Slot(str)
    def _on_done(self, status: str) -> None:
        if self._thread is not None:
            self._thread.wait(2000)
        self._thread = self._worker = None
        self._set_running(False)
        self.pause_button.setText("Pause")
        self.start_button.setText("Start again")
        self.start_button.setToolTip("Train a fresh model with the learning rate in the box")
        self.info.setText(self.info.text().replace("  (paused)", "") + f"  — run {status}")

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.pause_button.setEnabled(running)
        self.stop_button.setEnabled(running)
