"""One trainer path: a :class:`TrainerSpec` becomes the callable ``train(params, trial)``."""

from __future__ import annotations

import functools

from desktop_app.core.trainers.command import run_command
from desktop_app.core.trainers.function import Trainer, load_function
from desktop_app.core.trainers.network import train_network
from desktop_app.core.trainers.spec import TrainerSpec


def trainer_for(spec: TrainerSpec) -> Trainer:
    """The function that trains one trial for ``spec``: Caviar's network, the user's function
    (loaded once per worker) or their program."""
    if spec.kind == "function":
        return load_function(spec)
    if spec.kind == "command":
        return functools.partial(run_command, spec)
    return train_network
