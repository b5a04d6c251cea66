"""What one trial needs, as a plain picklable value that any worker (thread, process,
another machine) can run without access to the coordinator's memory."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop_app.core.data import DataSpec
from desktop_app.core.trainers.spec import NETWORK, TrainerSpec

_MASK32 = 0xFFFFFFFF


def _fmix32(h: int) -> int:
    """MurmurHash3's 32-bit finaliser: a bijection on 32-bit integers that mixes all bits."""
    h &= _MASK32
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _MASK32
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _MASK32
    h ^= h >> 16
    return h


def trial_seed(study_seed: int, number: int) -> int:
    """The seed of trial ``number`` in a study seeded ``study_seed``.

    Stable across runs and platforms (pure integer arithmetic), and distinct for every trial
    number of one study (it is a bijection of ``number`` modulo 2**32), so neighbouring trials
    never share initial weights or mini-batch order.
    """
    offset = _fmix32(study_seed ^ 0x9E3779B9)
    return _fmix32(number + offset)


@dataclass(frozen=True)
class TrialTask:
    """One trial to run: the searched ``params`` over the fixed ``[train]`` values.

    ``study`` is the study name, ``metric`` the study metric (e.g. ``"val_accuracy"``) whose
    last-epoch value becomes the trial's value, ``trainer`` what trains it.
    """

    study: str
    number: int
    params: dict[str, Any]
    fixed: dict[str, Any]
    seed: int
    data: DataSpec
    metric: str
    trainer: TrainerSpec = NETWORK

    @property
    def hyperparameters(self) -> dict[str, Any]:
        """Every hyperparameter of the trial: the fixed values overridden by the searched ones."""
        return {**self.fixed, **self.params}
