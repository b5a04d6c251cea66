"""Panda mode's training: ONE model, nursed by hand (pause, change the learning rate, go on).

The course contrasts "panda" (one model, babysat when resources are scarce) with "caviar"
(many models in parallel). :class:`Babysitter` holds the thread-safe controls (plain locks and
events, no Qt) and :func:`babysit` trains through the shared :func:`~.fit.fit` under them:
``should_stop`` (run before every mini-batch) applies a new learning rate to the live
optimizer and blocks while paused, so a change lands between two mini-batches and pausing
never ends the run. The rate decays as in a sweep's trial (inverse-time, from
``lr_decay``), applied to the base rate the user set last.

The network trains in the caller's worker thread, so a viewer must never read its arrays
while they change: :func:`babysit` hands out snapshots (:class:`Snapshot`) instead, the
network saved (``save_network``'s ``.npz`` bytes) on the training thread after an epoch, at
most every :data:`SNAPSHOT_EVERY_S` and once more when the run ends.
"""

from __future__ import annotations

import io
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from desktop_app.core.data import DataSpec
from desktop_app.core.nn import (
    EpochRecord,
    InverseTimeDecay,
    Network,
    Optimizer,
    TrainResult,
    save_network,
)
from desktop_app.core.trainers.network import fit

PAUSE_POLL_S = 0.05
SNAPSHOT_EVERY_S = 0.2
"""A snapshot of the network at most this often (saving one costs about an epoch of a
small network; the window redraws the model twice a second at most)."""


@dataclass(frozen=True)
class Snapshot:
    """The network after ``epoch`` (counting from 1), as ``save_network`` writes it: load it
    with ``desktop_app.core.analysis.network_from_weights`` on any thread."""

    epoch: int
    weights: bytes


def snapshot(net: Network, epoch: int) -> Snapshot:
    """A copy of ``net``'s parameters now (call it on the thread that trains ``net``)."""
    buffer = io.BytesIO()
    save_network(net, buffer)
    return Snapshot(epoch, buffer.getvalue())


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
    on_snapshot: Callable[[Snapshot], None] | None = None,
) -> TrainResult:
    """Train the one model ``hp`` describe under ``sitter``'s controls; errors propagate.

    ``on_epoch(record)`` gets every finished epoch (a frozen
    :class:`~desktop_app.core.nn.EpochRecord`); the stop flag is checked before every
    mini-batch, so :meth:`Babysitter.stop` ends the run within one mini-batch.
    ``on_snapshot(snapshot)`` gets the network after the first epoch, then at most every
    :data:`SNAPSHOT_EVERY_S` after an epoch, and after the run's last epoch.
    """
    nets: list[Network] = []
    last = taken = 0  # the last epoch reported, the last one snapped
    taken_at = -math.inf

    def take(epoch: int) -> None:
        nonlocal taken, taken_at
        if on_snapshot is not None and nets:
            on_snapshot(snapshot(nets[0], epoch))
            taken, taken_at = epoch, time.perf_counter()

    def report(record: EpochRecord) -> bool:
        nonlocal last
        last = record.epoch
        if on_epoch is not None:
            on_epoch(record)
        if time.perf_counter() - taken_at >= SNAPSHOT_EVERY_S:
            take(record.epoch)
        return False  # only the sitter stops the run (before the next mini-batch)

    result = fit(hp, data, seed, schedule=sitter.schedule, should_stop=sitter.should_stop,
                 on_epoch=report, on_optimizer=sitter.attach, on_network=nets.append)
    if last and taken != last:
        take(last)
    return result
