"""Optuna samplers and pruners for our strategy and pruner names."""

from __future__ import annotations

import warnings

import numpy as np
import optuna
from optuna.pruners import (
    BasePruner,
    HyperbandPruner,
    MedianPruner,
    NopPruner,
    SuccessiveHalvingPruner,
)
from optuna.samplers import BaseSampler, QMCSampler, RandomSampler, TPESampler

optuna.logging.set_verbosity(optuna.logging.ERROR)  # users see our messages, not Optuna's


def sampler_seed(seed: int, resumed: int = 0) -> int:
    """A 32-bit sampler seed from the study seed; a resume after ``resumed`` trials gets its own."""
    if resumed == 0:
        return int(seed) % 2**32
    state = np.random.SeedSequence([int(seed) % 2**63, int(resumed)]).generate_state(1)
    return int(state[0])


def make_sampler(kind: str, seed: int) -> BaseSampler:
    """The sampler of a strategy: grid uses a random one only for what it does not fix."""
    if kind == "tpe":
        return TPESampler(seed=seed)
    if kind == "quasi_random":
        with warnings.catch_warnings():  # QMCSampler is marked experimental
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            return QMCSampler(
                qmc_type="sobol", scramble=True, seed=seed, warn_independent_sampling=False
            )
    return RandomSampler(seed=seed)


def make_pruner(name: str, max_epochs: int | None) -> BasePruner:
    """Early stopping of bad trials; every pruner is fed the metric after each epoch."""
    if name == "median":
        return MedianPruner(n_startup_trials=4, n_warmup_steps=1)
    if name == "asha":
        return SuccessiveHalvingPruner()
    if name == "hyperband":
        return HyperbandPruner(min_resource=1, max_resource=max_epochs or "auto")
    return NopPruner()
