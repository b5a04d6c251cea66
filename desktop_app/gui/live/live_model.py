"""Panda mode's model, live: the confusion matrix and decision boundary of the network being
babysat, redrawn as it trains.

The network trains in a worker thread, so its arrays are never read here: the babysitter
hands a :class:`~desktop_app.core.runner.babysitter.Snapshot` (the network's ``.npz`` bytes)
after an epoch, and :class:`LiveModel` rebuilds a network from the newest one on the GUI
thread at most every :data:`REDRAW_S` (snapshots that arrive meanwhile replace each other).
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from desktop_app.core.analysis import network_from_weights
from desktop_app.core.data import DataSpec, load_split
from desktop_app.core.errors import CaviarError
from desktop_app.core.runner.babysitter import Snapshot
from desktop_app.gui.views.model_panel import ModelPanel

REDRAW_S = 0.5
"""The model is redrawn at most this often."""
WAITING = ("<b>The model, live.</b><br><br>Press Start: after its first epoch the model's "
           "confusion matrix on the validation set shows here, and for data with two "
           "features its decision boundary, redrawn as it learns.")


class LiveModel:
    """A :class:`ModelPanel` (``panel``) fed with snapshots of one run on ``data``."""

    def __init__(self, data: DataSpec, parent: QWidget | None = None) -> None:
        self.panel = ModelPanel(None, parent, empty=WAITING)
        self.panel.setMinimumHeight(220)
        self.panel.setToolTip("The model as it is now: rows are the true classes of the "
                              "validation samples, columns what the model predicts; the "
                              "right plot colours the input space by the predicted class")
        self._data = data
        self._pending: Snapshot | None = None
        self._drawn_at = -math.inf
        self.drawn_epoch = 0
        """The epoch whose model is drawn (0: none yet)."""
        self._timer = QTimer(self.panel)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)

    def take(self, snapshot: Snapshot) -> None:
        """A newer model: drawn now, or when :data:`REDRAW_S` has passed since the last."""
        self._pending = snapshot
        wait = REDRAW_S - (time.perf_counter() - self._drawn_at)
        if wait <= 0:
            self.flush()
        elif not self._timer.isActive():
            self._timer.start(math.ceil(wait * 1000))

    def flush(self) -> None:
        """Draw the newest snapshot now (if one waits): the run ended, or the time came."""
        self._timer.stop()
        snapshot, self._pending = self._pending, None
        if snapshot is None:
            return
        self._drawn_at = time.perf_counter()
        try:
            net = network_from_weights(snapshot.weights, "the babysat model")
            split = load_split(self._data, dtype="float32")  # cached: the run's own arrays
        except CaviarError as exc:
            self.panel.clear(f"The model cannot be drawn: {exc}")
            return
        self.panel.show_network(net, split, f"After epoch {snapshot.epoch}")
        self.drawn_epoch = snapshot.epoch

    def clear(self) -> None:
        """A fresh run: forget the last one's model."""
        self._timer.stop()
        self._pending, self._drawn_at, self.drawn_epoch = None, -math.inf, 0
        self.panel.clear(WAITING)
