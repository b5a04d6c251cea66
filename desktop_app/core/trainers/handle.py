"""The ``trial`` a trainer gets: ``report(epoch, **metrics)``, ``should_stop()``, ``log()``.

The user's code needs no import from Caviar: it calls these methods on the object it is given
(the names are a fixed contract, ``docs/trainers.md``). Each report becomes one
:class:`~desktop_app.core.events.EpochEnded` on its way to the coordinator, so a user's
trainer gets the same live curves, pruning and crash-safe storage as Caviar's network.
"""

from __future__ import annotations

import io
import math
import re
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import numpy as np

from desktop_app.core.events import METRIC_NAMES, EpochEnded

MAX_LOG_CHARS = 64_000
"""What a trial keeps of its program's output: the last this many characters."""

_FIELDS = (*METRIC_NAMES, "learning_rate")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,63}$")


class TrainerFailed(Exception):
    """The trainer failed in a way we can say in one message (no traceback is shown)."""


class LogTail:
    """The last :data:`MAX_LOG_CHARS` characters of a trial's log, whole lines."""

    def __init__(self, limit: int = MAX_LOG_CHARS) -> None:
        self._lines: deque[str] = deque()
        self._chars = 0
        self._dropped = 0
        self._limit = limit

    def add(self, text: str) -> None:
        """Append ``text`` (one or more lines), dropping the oldest lines over the limit."""
        for line in str(text).splitlines() or [""]:
            self._lines.append(line)
            self._chars += len(line) + 1
        while self._chars > self._limit and len(self._lines) > 1:
            self._chars -= len(self._lines.popleft()) + 1
            self._dropped += 1

    def last(self, n: int) -> list[str]:
        """The last ``n`` lines."""
        return list(self._lines)[-n:]

    def text(self) -> str:
        """The kept lines, after a note of how many earlier ones were dropped."""
        head = [f"[... {self._dropped:,} earlier lines not kept ...]"] if self._dropped else []
        return "\n".join(head + list(self._lines))


class TrialHandle:
    """What ``train(params, trial)`` gets as ``trial``.

    ``number``, ``study``, ``seed`` and ``params`` describe the trial; ``data`` is the
    config's ``[data]`` (Caviar's network trains on it; your code may ignore it).
    """

    def __init__(
        self,
        study: str,
        number: int,
        params: dict[str, Any],
        seed: int,
        data: Any,
        report: Callable[[EpochEnded], None],
        should_stop: Callable[[], bool],
    ) -> None:
        self.study = study
        self.number = number
        self.params = dict(params)
        self.seed = seed
        self.data = data
        self._send = report
        self._stop = should_stop
        self._logged = LogTail()
        self._since = time.perf_counter()
        self.last: EpochEnded | None = None
        """The last epoch reported (None before the first)."""
        self.diverged = False
        """True once a reported metric was NaN or infinite (a trainer may also set it, as
        Caviar's network does when its loss explodes): the trial ends ``diverged``."""
        self.stop_asked = False
        """True once the sweep asked this trial to stop (Stop, a prune, shutdown)."""
        self.weights = b""
        """The ``.npz`` bytes of the trained model, if the trainer saved it."""

    def report(self, epoch: int, **metrics: float) -> None:
        """Record epoch ``epoch`` (1, 2, ... rising) with any metrics, e.g. ``val_loss=0.3``.

        ``learning_rate`` and ``seconds`` may be given too (``seconds`` defaults to the time
        since the previous report). ``ValueError`` for a bad epoch, name or value.
        """
        if isinstance(epoch, bool) or not isinstance(epoch, int | float) or epoch != int(epoch):
            raise ValueError(f"trial.report: epoch must be a whole number (got {epoch!r})")
        epoch = int(epoch)
        previous = self.last.epoch if self.last is not None else 0
        if epoch <= previous:
            raise ValueError(f"trial.report: epoch {epoch} must come after epoch {previous} "
                             "(count epochs 1, 2, 3, ...)")
        if not metrics:
            raise ValueError("trial.report: give at least one metric, e.g. "
                             "trial.report(epoch, val_loss=0.3)")
        now = time.perf_counter()
        fields = dict.fromkeys(_FIELDS, math.nan)
        fields["seconds"] = now - self._since
        extra: dict[str, float] = {}
        for name, value in metrics.items():
            number = _number(name, value)
            if name in fields:
                fields[name] = number
            else:
                if not _NAME.match(name):
                    raise ValueError(f"trial.report: metric name {name!r} must start with a "
                                     "letter and use letters, digits, '_', '.' or '-'")
                extra[name] = number
            if name not in ("learning_rate", "seconds") and not math.isfinite(number):
                self.diverged = True
        self._since = now
        self.last = EpochEnded(self.study, self.number, epoch, **fields, extra=extra)
        self._send(self.last)

    def should_stop(self) -> bool:
        """True once the trial should end: pruned, the sweep stopped, or a metric diverged."""
        if not self.stop_asked and self._stop():
            self.stop_asked = True
        return self.stop_asked or self.diverged

    def save_weights(self, **arrays: Any) -> None:
        """Keep the trained model's arrays (e.g. ``trial.save_weights(W1=w1, b1=b1)``): the
        study keeps them for its best trials as an ``.npz`` file (never a pickle)."""
        buffer = io.BytesIO()
        plain = {name: np.asarray(value) for name, value in arrays.items()}
        for name, value in plain.items():
            if value.dtype == object:
                raise ValueError(f"trial.save_weights: {name} must be an array of numbers")
        np.savez(buffer, **plain)
        self.weights = buffer.getvalue()

    def log(self, text: str) -> None:
        """Keep ``text`` in the trial's log (bounded; the trials table shows it)."""
        self._logged.add(text)

    @property
    def log_tail(self) -> LogTail:
        """The trial's log so far."""
        return self._logged


def _number(name: str, value: Any) -> float:
    """A reported value as a float; ``ValueError`` naming the metric otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"trial.report: {name} must be a number (got {value!r})")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"trial.report: {name} must be a number (got {value!r})") from None
