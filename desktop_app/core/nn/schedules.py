"""Learning-rate schedules: ``schedule(alpha0, epoch) -> alpha`` with epoch counting from 0."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import ConfigError


def _positive(name: str, value: float) -> None:
    if not 0.0 < value < math.inf:
        raise ConfigError(name, f"must be a positive number (got {value})")


@dataclass(frozen=True)
class ConstantLR:
    """alpha = alpha0."""

    def __call__(self, alpha0: float, epoch: int) -> float:
        return float(alpha0)


@dataclass(frozen=True)
class InverseTimeDecay:
    """alpha = alpha0 / (1 + decay_rate * epoch)."""

    decay_rate: float

    def __post_init__(self) -> None:
        if not 0.0 <= self.decay_rate < math.inf:
            raise ConfigError("decay_rate", f"must be >= 0 (got {self.decay_rate})")

    def __call__(self, alpha0: float, epoch: int) -> float:
        return alpha0 / (1.0 + self.decay_rate * epoch)


@dataclass(frozen=True)
class ExponentialDecay:
    """alpha = alpha0 * rate ** epoch (rate in (0, 1] decays)."""

    rate: float

    def __post_init__(self) -> None:
        _positive("rate", self.rate)

    def __call__(self, alpha0: float, epoch: int) -> float:
        return alpha0 * self.rate**epoch


@dataclass(frozen=True)
class StepDecay:
    """alpha = alpha0 * drop ** (epoch // every): multiply by ``drop`` every ``every`` epochs."""

    drop: float
    every: int

    def __post_init__(self) -> None:
        _positive("drop", self.drop)
        if not (isinstance(self.every, int) and self.every >= 1):
            raise ConfigError("every", f"must be an integer >= 1 (got {self.every!r})")

    def __call__(self, alpha0: float, epoch: int) -> float:
        return alpha0 * self.drop ** (epoch // self.every)
