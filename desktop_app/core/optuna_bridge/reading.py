"""An Optuna study read as a Caviar study: its config and each trial as Caviar's records.

One translation serves the window (which shows the study, live) and ``caviar import`` (which
stores it): :func:`read_plan` says what the study is, :func:`translate` turns one
``FrozenTrial`` into a :class:`CaviarTrial`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import optuna
from optuna.distributions import BaseDistribution
from optuna.trial import FrozenTrial
from optuna.trial import TrialState as OptunaState

from desktop_app.core.config import StudySettings, parse_config
from desktop_app.core.errors import CaviarError
from desktop_app.core.events import EPOCH_VALUES
from desktop_app.core.optuna_bridge.mapping import (
    CAVIAR_ATTRS,
    CONFIG_ATTR,
    EPOCHS_ATTR,
    ERROR_ATTR,
    OPTUNA_SECTION,
    SCALES_ATTR,
    SEED_ATTR,
    STATE_ATTR,
    ParamSpec,
    merge_specs,
    to_caviar_state,
)
from desktop_app.core.study import EpochRow, TrialState

_NAME_BAD = re.compile(r"[^A-Za-z0-9_.\- ]")


@dataclass(frozen=True)
class CaviarTrial:
    """One Optuna trial as Caviar stores it."""

    number: int
    state: TrialState
    params: dict[str, Any]
    seed: int
    rows: tuple[EpochRow, ...]
    error: str = ""


class PlanTrial(Protocol):
    """What a plan needs of a trial: a ``FrozenTrial`` or a quick outline of one."""

    @property
    def number(self) -> int: ...

    @property
    def state(self) -> OptunaState: ...

    @property
    def distributions(self) -> dict[str, BaseDistribution]: ...


@dataclass(frozen=True)
class StudyPlan:
    """What an Optuna study is for Caviar: its config (restored or built from the
    distributions), the objective shown, every parameter's spec and the notes to show."""

    name: str
    config: dict[str, Any]
    metric: str
    direction: str
    objective: int
    objectives: tuple[str, ...]
    specs: dict[str, ParamSpec]
    notes: tuple[str, ...] = ()
    resume_problem: str = ""
    extras: dict[str, Any] = field(default_factory=dict)


def objective_names(study: optuna.Study) -> tuple[str, ...]:
    """One name per objective: the study's metric names, else ``objective 0``, ..."""
    names = study.metric_names
    n = len(study.directions)
    return tuple(names) if names else tuple(f"objective {i}" for i in range(n))


def read_plan(study: optuna.Study, trials: Sequence[PlanTrial], objective: int = 0
              ) -> StudyPlan:
    """The plan for ``study`` (``trials``: its trials) showing objective ``objective``; a
    config kept by Caviar (:data:`CONFIG_ATTR`) is restored, else one is built."""
    objectives = objective_names(study)
    if not 0 <= objective < len(objectives):
        raise CaviarError(f"study {study.study_name!r}", f"has no objective {objective} "
                          f"(objectives: {', '.join(objectives)})")
    scales = study.user_attrs.get(SCALES_ATTR)
    scales = scales if isinstance(scales, dict) else {}
    specs, notes = merge_specs(((t.number, t.distributions) for t in trials), scales)
    direction = study.directions[objective].name.lower()
    kept = study.user_attrs.get(CONFIG_ATTR)
    if isinstance(kept, dict) and len(objectives) == 1:
        config = {k: v for k, v in kept.items() if k != OPTUNA_SECTION}
        settings = config.get("study", {})
        metric = settings.get("metric", "val_loss")
        direction = settings.get("direction") or direction
    else:
        metric = "val_loss" if direction == "minimize" else "val_accuracy"
        finished = sum(t.state.is_finished() for t in trials)
        config = {
            "study": {"name": caviar_name(study.study_name), "metric": metric,
                      "direction": direction, "strategy": "tpe",
                      "trials": finished + StudySettings.trials},
            "data": {"dataset": "spiral"},
            "train": {},
            "params": {name: spec.table() for name, spec in specs.items()},
        }
    if len(objectives) > 1:
        notes.append(f"{len(objectives)} objectives ({', '.join(objectives)}): showing "
                     f"{objectives[objective]!r} as {metric}")
    user_attrs = {k: v for k, v in study.user_attrs.items() if k not in CAVIAR_ATTRS}
    extras = {"study": study.study_name, "directions": [d.name.lower() for d in study.directions],
              "objectives": list(objectives), "objective": objective, "user_attrs": user_attrs}
    config, problem = _checked(config)
    return StudyPlan(str(config.get("study", {}).get("name", study.study_name)), config, metric,
                     direction, objective, objectives, specs, tuple(notes), problem, extras)


def caviar_name(name: str) -> str:
    """``name`` as a usable Caviar study name (other characters become ``-``)."""
    cleaned = _NAME_BAD.sub("-", name).strip()[:80]
    return cleaned if cleaned[:1].isalnum() else f"s{cleaned}"[:80]


def _checked(config: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """``config`` as Caviar stores a valid one (every default written out, so a resume finds
    it unchanged), and '' ; or ``config`` as it is and why Caviar's strategies cannot
    continue it."""
    try:
        return parse_config(config).to_dict(), ""
    except CaviarError as exc:
        return config, str(exc)


def translate(trial: FrozenTrial, plan: StudyPlan, live: bool = False) -> CaviarTrial:
    """One Optuna trial as a Caviar trial.

    Intermediate values become epochs 1, 2, ... in step order, holding the study metric; the
    other epoch columns come back from :data:`EPOCHS_ATTR` when Caviar wrote the trial, else
    they are NaN. A final value that differs from the last intermediate value (or with none)
    becomes one more epoch, so the trial's value is its last epoch's, as in every Caviar trial.
    """
    attrs = trial.user_attrs
    steps = sorted(trial.intermediate_values)
    metric_values = [float(trial.intermediate_values[s]) for s in steps]
    columns = attrs.get(EPOCHS_ATTR)
    columns = columns if isinstance(columns, dict) else None
    value = _value(trial, plan.objective)
    if columns is None and value is not None and (
            not metric_values or not _same(metric_values[-1], value)):
        metric_values.append(value)
    rows = _rows(trial.number, plan.metric, metric_values, columns)
    seed = attrs.get(SEED_ATTR)
    error = attrs.get(ERROR_ATTR)
    return CaviarTrial(
        number=trial.number,
        state=to_caviar_state(trial.state, attrs.get(STATE_ATTR), live),
        params=dict(trial.params),
        seed=seed if isinstance(seed, int) else trial.number,
        rows=rows,
        error=error if isinstance(error, str) else "",
    )


def trial_extras(trial: FrozenTrial) -> dict[str, Any]:
    """What Caviar's records have no room for: the user attrs and all the values."""
    extras: dict[str, Any] = {}
    attrs = {k: v for k, v in trial.user_attrs.items() if k not in CAVIAR_ATTRS}
    if attrs:
        extras["user_attrs"] = attrs
    if trial.values is not None and len(trial.values) > 1:
        extras["values"] = list(trial.values)
    return extras


def _value(trial: FrozenTrial, objective: int) -> float | None:
    if trial.values is None or len(trial.values) <= objective:
        return None
    return float(trial.values[objective])


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


_NO_VALUES = {**dict.fromkeys(EPOCH_VALUES, math.nan), "seconds": 0.0}
"""An epoch's values before any is known (NaN, seconds 0)."""


def _rows(number: int, metric: str, metric_values: list[float],
          columns: dict[str, Any] | None) -> tuple[EpochRow, ...]:
    """Epoch rows 1, 2, ... holding ``metric_values`` as the metric (its column, or an own
    metric's ``extra``) and the other values from ``columns`` (Caviar's export of every epoch
    value; NaN where missing, seconds 0)."""
    if not columns and metric in _NO_VALUES:  # an Optuna study's trial: the metric only
        return tuple(EpochRow(number, i + 1, **{**_NO_VALUES, metric: value})
                     for i, value in enumerate(metric_values))
    columns = columns or {}
    rows = []
    for i, value in enumerate(metric_values):
        values = dict(_NO_VALUES)
        extra: dict[str, float] = {}
        for name, column in columns.items():
            if isinstance(column, list) and i < len(column) and column[i] is not None:
                (values if name in values else extra)[str(name)] = float(column[i])
        (values if metric in values else extra)[metric] = value
        rows.append(EpochRow(number, i + 1, **values, extra=extra))
    return tuple(rows)
