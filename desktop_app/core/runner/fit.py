"""The one training path: hyperparameters + data spec + seed in, a trained run out.

A sweep's trial (:mod:`~desktop_app.core.runner.trial`) and panda mode
(:mod:`~desktop_app.core.runner.babysitter`) both train through :func:`fit`, so they load the
data, build the model and decay the learning rate the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from desktop_app.core.data import DataSpec, load_split
from desktop_app.core.nn import EpochRecord, InverseTimeDecay, Optimizer, TrainResult, build_model
from desktop_app.core.nn import train as train_network

Schedule = Callable[[float, int], float]
"""``schedule(alpha0, epoch) -> alpha``, epoch counting from 0 (see :mod:`core.nn.schedules`)."""


def default_schedule(hp: Mapping[str, Any]) -> Schedule:
    """Inverse-time decay of the learning rate by ``hp["lr_decay"]`` per epoch."""
    return InverseTimeDecay(float(hp["lr_decay"]))


def fit(
    hp: Mapping[str, Any],
    data: DataSpec,
    seed: int,
    *,
    schedule: Schedule | None = None,
    should_stop: Callable[[], bool] | None = None,
    on_epoch: Callable[[EpochRecord], bool | None] | None = None,
    on_optimizer: Callable[[Optimizer], None] | None = None,
) -> TrainResult:
    """Load ``data``, build the network and optimiser that ``hp`` describe, train them.

    ``schedule`` defaults to :func:`default_schedule`. ``should_stop()`` runs before every
    mini-batch and ``on_epoch(record)`` after every epoch (True from either ends the run as
    "stopped"); ``on_optimizer(optimizer)`` runs once, before the first epoch, for a caller
    that steers the live optimizer (panda mode's learning-rate box). Errors propagate.
    """
    split = load_split(data, dtype="float32")  # a big file's arrays are shared, not copied
    net, optimizer = build_model(hp, split.n_features, split.n_classes, seed)
    if on_optimizer is not None:
        on_optimizer(optimizer)
    return train_network(
        net, optimizer, split.X_train, split.y_train, split.X_val, split.y_val,
        epochs=int(hp["epochs"]),
        batch_size=int(hp["batch_size"]),
        schedule=default_schedule(hp) if schedule is None else schedule,
        seed=seed,
        should_stop=should_stop,
        on_epoch=on_epoch,
    )
