"""Panda mode's training: ONE model, nursed by hand (pause, change the learning rate, go on).

The course contrasts "panda" (one model, babysat when resources are scarce) with "caviar"
(many models in parallel). :class:`Babysitter` holds the thread-safe controls (plain locks and
events, no Qt) and :func:`babysit` trains through the shared :func:`~.fit.fit` under them:
``should_stop`` (run before every mini-batch) applies a new learning rate to the live
optimizer and blocks while paused, so a change lands between two mini-batches and pausing
never ends the run. The rate decays as in a sweep's trial (inverse-time, from
``lr_decay``), applied to the base rate the user set last.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping
from typing import Any

from desktop_app.core.data import DataSpec
from desktop_app.core.nn import EpochRecord, InverseTimeDecay, Optimizer, TrainResult
from desktop_app.core.trainers.network import fit

PAUSE_POLL_S = 0.05


class Babysitter:
    """Thread-safe controls of one training run: pause, resume, stop, a new learning rate.

    The GUI thread calls the commands; the training thread calls :meth:`schedule` (at every
    epoch's start) and :meth:`should_stop` (before every mini-batch).
    """

    def __init__(self, learning_rate: float, lr_decay: float = 0.0) -> None:
        self._lock = threading.Lock()
        self._running = threading.Event()
        self._running.set()
        self._stop = threading.Event()
        self._base_rate = float(learning_rate)
        self._decay = InverseTimeDecay(float(lr_decay))
        self._epoch = 0
        self._pending: float | None = None
        self._changes: list[tuple[int, float]] = []
        self._optimizer: Optimizer | None = None

    # --- commands (any thread) --------------------------------------------------------------
    def pause(self) -> None:
        """Hold training before the next mini-batch."""
        self._running.clear()

    def resume(self) -> None:
        """Continue after :meth:`pause`."""
        self._running.set()

    def stop(self) -> None:
        """End the run before the next mini-batch (also wakes a paused run)."""
        self._stop.set()
        self._running.set()

    @property
    def paused(self) -> bool:
        """True while paused."""
        return not self._running.is_set()

    @property
    def stopped(self) -> bool:
        """True once :meth:`stop` was called."""
        return self._stop.is_set()

    def set_learning_rate(self, rate: float) -> None:
        """Use ``rate`` (before decay) from the next mini-batch on; ``ValueError`` unless it
        is a finite number above 0."""
        rate = float(rate)
        if not math.isfinite(rate) or rate <= 0:
            raise ValueError(f"a learning rate must be a number above 0 (got {rate})")
        with self._lock:
            self._pending = rate

    @property
    def changes(self) -> list[tuple[int, float]]:
        """The user's rate changes that reached the optimizer, as ``(epoch, rate)``: the rate
        (before decay) was in use from the named epoch on (counting from 1; mid-epoch when
        set while the epoch ran)."""
        with self._lock:
            return list(self._changes)

    # --- hooks of the training loop (training thread) ---------------------------------------
    def attach(self, optimizer: Optimizer) -> None:
        """Steer ``optimizer``: :meth:`should_stop` sets its rate when the user changes it."""
        with self._lock:
            self._optimizer = optimizer

    def schedule(self, alpha0: float, epoch: int) -> float:
        """The training schedule: inverse-time decay of the current base rate (``alpha0``,
        the optimizer's starting rate, is ignored: the user's rate wins)."""
        with self._lock:
            self._epoch = epoch
            return self._decay(self._base_rate, epoch)

    def should_stop(self) -> bool:
        """Before each mini-batch: apply a new rate, wait while paused, say whether to stop."""
        with self._lock:
            if self._pending is not None:
                if self._pending != self._base_rate:
                    self._changes.append((self._epoch + 1, self._pending))
                self._base_rate, self._pending = self._pending, None
                if self._optimizer is not None:
                    self._optimizer.learning_rate = self._decay(self._base_rate, self._epoch)
        while not self._running.wait(PAUSE_POLL_S):
            pass
        return self._stop.is_set()


def babysit(
    sitter: Babysitter,
    hp: Mapping[str, Any],
    data: DataSpec,
    seed: int,
    on_epoch: Callable[[EpochRecord], None] | None = None,
) -> TrainResult:
    """Train the one model ``hp`` describe under ``sitter``'s controls; errors propagate.

    ``on_epoch(record)`` gets every finished epoch (a frozen
    :class:`~desktop_app.core.nn.EpochRecord`); the stop flag is checked before every
    mini-batch, so :meth:`Babysitter.stop` ends the run within one mini-batch.
    """

    def report(record: EpochRecord) -> bool:
        if on_epoch is not None:
            on_epoch(record)
        return False  # only the sitter stops the run (before the next mini-batch)

    return fit(hp, data, seed, schedule=sitter.schedule, should_stop=sitter.should_stop,
               on_epoch=report, on_optimizer=sitter.attach)
