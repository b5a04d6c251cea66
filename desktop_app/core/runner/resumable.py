"""Resuming a study: whether a config may resume the study of its name already in a file (the
same data, fixed values, search space, trainer and goal, or a ConfigError saying what differs),
and its finished trials as the strategy learns from them."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

from desktop_app.core.config import StudyConfig
from desktop_app.core.errors import ConfigError
from desktop_app.core.search.history import recent_history
from desktop_app.core.study import Storage, StudyRecord, TrialRecord

_SAME_ON_RESUME = ("data", "train", "params", "trainer")
_SAME_STUDY_KEYS = ("metric", "direction", "strategy", "seed")


def check_resumable(storage: Storage, config: StudyConfig) -> StudyRecord | None:
    """The stored study of the config's name, if any; it must have the same data, fixed
    values, search space and goal (ConfigError otherwise)."""
    try:
        record = storage.get_study(config.study.name)
    except KeyError:
        return None
    wanted = _plain(config.to_dict())
    stored = _plain(record.config)
    for section in _SAME_ON_RESUME:
        if stored.get(section) != wanted.get(section):
            _refuse(config.study.name, f"[{section}]")
    for key in _SAME_STUDY_KEYS:
        if stored.get("study", {}).get(key) != wanted["study"][key]:
            _refuse(config.study.name, f"study.{key}")
    return record


def _refuse(name: str, what: str) -> None:
    raise ConfigError(
        "study.name",
        f"a study named {name!r} already exists in this file with a different {what}: "
        "resume it unchanged, or give this sweep another name",
    )


def _plain(value: Any) -> Any:
    """JSON round trip, so tuples and lists (and int-valued floats) compare as stored."""
    return json.loads(json.dumps(value))


def strategy_history(storage: Storage, study_id: int, config: StudyConfig,
                     finished: list[TrialRecord]) -> list[tuple]:
    """Finished trials as the strategy wants them: (params, state, value, {epoch: value}).

    Whole curves matter only to a pruner, and are read only for the trials Optuna will see
    (``recent_history``: the others get none); without a pruner, a trial's curve is its
    last epoch (what TPE ranks a pruned trial by)."""
    metric = config.study.metric
    values = [t.metrics.get(metric, math.nan) for t in finished]
    if config.study.pruner == "none":
        return [(t.params, t.state, v, {t.epochs: v} if t.epochs else {})
                for t, v in zip(finished, values, strict=True)]
    numbered = [(t.params, t.state, v, t.number) for t, v in zip(finished, values, strict=True)]
    kept = recent_history(numbered, config.study.direction)
    curves: dict[int, dict[int, float]] = {}
    for first, stop in _runs(sorted(number for *_, number in kept)):
        for row in storage.get_metric_array(study_id, metric, first, stop):
            curves.setdefault(int(row[0]), {})[int(row[1])] = float(row[2])
    return [(params, state, v, curves.get(number, {})) for params, state, v, number in numbered]


def _runs(numbers: list[int]) -> Iterator[tuple[int, int]]:
    """Sorted trial numbers as ``(first, stop)`` ranges of consecutive numbers."""
    start = 0
    for i in range(1, len(numbers) + 1):
        if i == len(numbers) or numbers[i] != numbers[i - 1] + 1:
            yield numbers[start], numbers[i - 1] + 1
            start = i
