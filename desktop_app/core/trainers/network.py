"""Caviar's numpy network as a trainer: hyperparameters + data spec + seed in, a run out.

:func:`train_network` is the network behind the same ``train(params, trial)`` contract as the
user's own code, so a sweep runs it through the one trainer path. Panda mode
(:mod:`~desktop_app.core.runner.babysitter`) calls :func:`fit` directly (it steers the live
optimizer), so both load the data, build the model and decay the learning rate the same way.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from typing import Any

from desktop_app.core.data import DataSpec, load_split
from desktop_app.core.events import epoch_values
from desktop_app.core.nn import (
    EpochRecord,
    InverseTimeDecay,
    Network,
    Optimizer,
    TrainResult,
    build_model,
    save_network,
)
from desktop_app.core.nn import train as train_model

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
    on_network: Callable[[Network], None] | None = None,
) -> TrainResult:
    """Load ``data``, build the network and optimiser that ``hp`` describe, train them.

    ``schedule`` defaults to :func:`default_schedule`. ``should_stop()`` runs before every
    mini-batch and ``on_epoch(record)`` after every epoch (True from either ends the run as
    "stopped"); ``on_optimizer(optimizer)`` runs once, before the first epoch, for a caller
    that steers the live optimizer (panda mode's learning-rate box), and ``on_network(net)``
    for one that looks at the network as it trains. Errors propagate.
    """
    split = load_split(data, dtype="float32")  # a big file's arrays are shared, not copied
    net, optimizer = build_model(hp, split.n_features, split.n_classes, seed)
    if on_optimizer is not None:
        on_optimizer(optimizer)
    if on_network is not None:
        on_network(net)
    return train_model(
        net, optimizer, split.X_train, split.y_train, split.X_val, split.y_val,
        epochs=int(hp["epochs"]),
        batch_size=int(hp["batch_size"]),
        schedule=default_schedule(hp) if schedule is None else schedule,
        seed=seed,
        should_stop=should_stop,
        on_epoch=on_epoch,
    )


def train_network(params: Mapping[str, Any], trial: Any) -> None:
    """The built-in trainer: :func:`fit` on ``trial.data`` with ``trial.seed``, every epoch
    reported through ``trial.report`` (its four metrics, learning rate and seconds)."""
    def on_epoch(record: EpochRecord) -> bool:
        trial.report(record.epoch, **epoch_values(record))
        return trial.should_stop()

    networks: list[Network] = []
    result = fit(params, trial.data, trial.seed, should_stop=trial.should_stop,
                 on_epoch=on_epoch, on_network=networks.append)
    if result.status == "diverged":  # a loss that exploded without reaching NaN
        trial.diverged = True
    elif result.history:
        buffer = io.BytesIO()
        save_network(networks[0], buffer)
        trial.weights = buffer.getvalue()
