"""Caviar study -> Optuna study, written through Optuna's public API (``create_study``,
``add_trials`` with ``FrozenTrial``s), so ``optuna.load_study`` and optuna-dashboard read it
with params, distributions, values, intermediate values and states."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import warnings
from collections.abc import Iterable
from typing import Any

import optuna
from optuna.distributions import (
    BaseDistribution,
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
)
from optuna.trial import FrozenTrial
from optuna.trial import TrialState as OptunaState

from desktop_app.core.config import direction_for
from desktop_app.core.events import EPOCH_VALUES, metric_of
from desktop_app.core.optuna_bridge.importing import close_storage
from desktop_app.core.optuna_bridge.locate import OptunaStorageError, open_for_writing
from desktop_app.core.optuna_bridge.mapping import (
    CONFIG_ATTR,
    EPOCHS_ATTR,
    ERROR_ATTR,
    OPTUNA_SECTION,
    SCALES_ATTR,
    SEED_ATTR,
    STATE_ATTR,
    to_optuna_state,
)
from desktop_app.core.search.registry import REGISTRY
from desktop_app.core.study import Direction, EpochRow, Storage, TrialRecord


def export_study(storage: Storage, name: str, spec: str, target: str | None = None) -> int:
    """Write Caviar study ``name`` into the Optuna storage ``spec`` as study ``target``
    (default: the same name); return the number of trials written. One line naming the
    storage when it cannot be written or already holds a study of that name; a storage file
    this call created is removed again when it fails."""
    record = storage.get_study(name)
    trials = storage.get_trials(record.study_id)
    rows: dict[int, list[EpochRow]] = {}
    for row in storage.get_epochs(record.study_id):
        rows.setdefault(row.number, []).append(row)
    config = {k: v for k, v in record.config.items() if k != OPTUNA_SECTION}
    kept = record.config.get(OPTUNA_SECTION, {})
    kept = kept if isinstance(kept, dict) else {}
    settings = config.get("study", {})
    metric = settings.get("metric", "val_accuracy")
    direction = settings.get("direction") or (direction_for(metric) or Direction.MAXIMIZE).value
    dists, scales = distributions(config.get("params", {}), trials)
    kept_trials = kept.get("trials", {})
    frozen = [_frozen(t, rows.get(t.number, []), metric, dists,
                      kept_trials.get(str(t.number), {})) for t in trials]
    optuna_storage, created = open_for_writing(spec)
    target = target or name
    try:
        study = optuna.create_study(storage=optuna_storage, study_name=target,
                                    direction=direction)
    except optuna.exceptions.DuplicatedStudyError:
        close_storage(optuna_storage)
        raise OptunaStorageError(spec, f"holds a study named {target!r} already; choose "
                                       "another file or delete that study") from None
    try:
        study.set_user_attr(CONFIG_ATTR, config)
        if scales:
            study.set_user_attr(SCALES_ATTR, scales)
        for key, value in kept.get("user_attrs", {}).items():
            study.set_user_attr(key, value)
        with warnings.catch_warnings():  # experimental since Optuna 3.2, still there in 5
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            study.set_metric_names([metric])
        study.add_trials(frozen)
    except BaseException as exc:
        with contextlib.suppress(Exception):
            optuna.delete_study(study_name=target, storage=optuna_storage)
        close_storage(optuna_storage)
        if created is not None:
            created.unlink(missing_ok=True)
        if isinstance(exc, Exception):
            raise OptunaStorageError(spec, f"cannot be written ({exc})") from None
        raise
    close_storage(optuna_storage)
    return len(frozen)


def distributions(
    params: dict[str, Any], trials: Iterable[TrialRecord]
) -> tuple[dict[str, BaseDistribution], dict[str, str]]:
    """One distribution per parameter over a whole study, in the user's units, and the
    scales Optuna has no word for (:data:`SCALES_ATTR`). The config's range or values come
    first; a trial value outside them widens the range (or joins the values), and a
    parameter the config does not search (a panda run's ``panda``) takes every value seen."""
    seen: dict[str, list[Any]] = {}
    for trial in trials:
        for key, value in trial.params.items():
            seen.setdefault(key, []).append(value)
    dists: dict[str, BaseDistribution] = {}
    scales: dict[str, str] = {}
    for key in dict.fromkeys([*params, *seen]):
        table = params.get(key)
        values = seen.get(key, [])
        if isinstance(table, dict) and "values" in table:
            dists[key] = _choices([*table["values"], *values])
            continue
        numbers = [v for v in values if _is_number(v)]
        if len(numbers) < len(values):
            dists[key] = _choices(values)
            continue
        if isinstance(table, dict):
            scale = table.get("scale") or _default_scale(key)
            low, high = table["low"], table["high"]
        elif numbers:
            scale, low, high = "linear", min(numbers), max(numbers)
        else:
            continue
        integer = scale == "pow2" or _is_integer(key, [low, high, *numbers])
        low, high = min([low, *numbers]), max([high, *numbers])
        log = scale in ("log", "pow2") and low > 0
        if scale in ("reverse_log", "pow2"):
            scales[key] = scale
        dists[key] = (IntDistribution(int(low), int(high), log=log) if integer
                      else FloatDistribution(float(low), float(high), log=log))
    return dists, scales


def _choices(values: list[Any]) -> CategoricalDistribution:
    unique: list[Any] = []
    for value in values:
        if not any(type(u) is type(value) and u == value for u in unique):
            unique.append(value)
    return CategoricalDistribution(unique)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_integer(key: str, numbers: list[Any]) -> bool:
    if key in REGISTRY:
        return REGISTRY[key].kind == "int"
    return all(isinstance(v, int) for v in numbers)


def _default_scale(key: str) -> str:
    hp = REGISTRY.get(key)
    return hp.scales[0] if hp is not None and hp.scales else "linear"


def _frozen(trial: TrialRecord, rows: list[EpochRow], metric: str,
            dists: dict[str, BaseDistribution], kept: dict[str, Any]) -> FrozenTrial:
    value = float(trial.metrics.get(metric, math.nan))
    state, keep_state = to_optuna_state(trial.state, value)
    attrs: dict[str, Any] = dict(kept.get("user_attrs", {})) if isinstance(kept, dict) else {}
    attrs[SEED_ATTR] = trial.seed
    if keep_state:
        attrs[STATE_ATTR] = trial.state.value
    if trial.error:
        attrs[ERROR_ATTR] = trial.error
    if rows:
        names = [*EPOCH_VALUES, *sorted({k for r in rows for k in r.extra})]
        attrs[EPOCHS_ATTR] = {name: [None if math.isnan(v := metric_of(r, name)) else v
                                     for r in rows] for name in names if name != metric}
    keep_value = state is OptunaState.COMPLETE or (
        state is OptunaState.PRUNED and not math.isnan(value))
    start = _when(trial.started if trial.started is not None else trial.finished)
    finished = state.is_finished()
    return FrozenTrial(
        number=trial.number,
        state=state,
        value=value if keep_value else None,
        datetime_start=None if state is OptunaState.WAITING else start,
        datetime_complete=(_when(trial.finished) or start) if finished else None,
        params={k: _optuna_value(v, dists[k]) for k, v in trial.params.items()},
        distributions={k: dists[k] for k in trial.params},
        user_attrs=attrs,
        system_attrs={},
        intermediate_values={r.epoch: metric_of(r, metric) for r in rows},
        trial_id=trial.number,
    )


def _when(seconds: float | None) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds if seconds is not None else 0.0)


def _optuna_value(value: Any, dist: BaseDistribution) -> Any:
    if isinstance(dist, IntDistribution):
        return int(value)
    if isinstance(dist, FloatDistribution):
        return float(value)
    return value
