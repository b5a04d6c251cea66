"""Sweep configuration: the TOML file <-> :class:`StudyConfig`.

A config has five parts (documented with examples in ``docs/config.md``):
``[study]`` (how to search), ``[data]`` (what to train on), ``[train]`` (fixed values for every
hyperparameter that is not searched), one ``[params.NAME]`` table per searched one, and
``[trainer]`` (the user's own code; absent: Caviar's network, see ``docs/trainers.md``).
With a trainer of the user's own, ``[params]`` and ``[train]`` may name any hyperparameter and
``study.metric`` may be any metric it reports.
Every problem raises :class:`~desktop_app.core.errors.ConfigError` (or one of its siblings)
whose text starts with the dotted field, e.g. ``params.learning_rate: scale 'log' needs low > 0
(got 0)``; the command line prefixes the file name.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import tomli_w

from desktop_app.core.data import DataSpec, load_split
from desktop_app.core.errors import CaviarError, ConfigError
from desktop_app.core.kinds import EXECUTOR_KINDS
from desktop_app.core.search import (
    PRUNERS,
    REGISTRY,
    STRATEGIES,
    SearchSpace,
    build_space,
    own_value,
    validate_value,
)
from desktop_app.core.study import METRIC_NAMES, Direction
from desktop_app.core.trainers import NETWORK, TRIAL_NUMBER, TrainerSpec, parse_trainer

# The dataset (a built-in name or a .csv/.npz path) may be given under any of these keys.
DATASET_KEYS = ("dataset", "source", "name", "path", "file")
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\- ]{0,79}$")
_METRIC_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,63}$")
# Words in a metric's name that say which way is better ("val_loss", "top1_acc", "f1").
_LOWER_IS_BETTER = frozenset({"loss", "error", "err", "mse", "mae", "rmse", "nll",
                              "perplexity", "ppl", "wer", "cer", "regret"})
_HIGHER_IS_BETTER = frozenset({"accuracy", "acc", "f1", "auc", "roc_auc", "precision",
                               "recall", "r2", "score", "iou", "dice", "bleu", "map", "reward"})
_SECTIONS = ("study", "data", "train", "params", "trainer")


def direction_for(metric: str) -> Direction | None:
    """The direction a metric's name says (``val_loss``: minimize, ``f1``: maximize), or None
    when it says neither (the config must then give ``study.direction``)."""
    words = set(re.split(r"[_.\-]", metric.lower()))
    words.add(metric.lower())
    if words & _LOWER_IS_BETTER:
        return Direction.MINIMIZE
    if words & _HIGHER_IS_BETTER or any(w.startswith(("acc", "top")) for w in words):
        return Direction.MAXIMIZE
    return None


def default_workers() -> int:
    """One worker per core: trials are single-threaded (BLAS is limited to one thread)."""
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class StudySettings:
    """The ``[study]`` table: how the sweep searches."""

    name: str = "study"
    metric: str = "val_accuracy"
    direction: str = ""  # "" = derived from the metric (loss: minimize, accuracy: maximize)
    strategy: str = "random"
    trials: int = 20
    workers: int = field(default_factory=default_workers)
    executor: str = "process"
    seed: int = 0
    pruner: str = "none"
    scheduler: str = ""
    keep_weights: int = 5  # the trained models of this many best trials are kept

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _NAME_RE.match(self.name):
            raise ConfigError(
                "study.name",
                f"{self.name!r} is not a usable name: use 1-80 letters, digits, spaces, "
                "'_', '-' or '.'",
            )
        if not isinstance(self.metric, str) or not _METRIC_RE.match(self.metric):
            raise ConfigError("study.metric", f"{self.metric!r} is not a metric name: use "
                                              "letters, digits, '_', '.' or '-', e.g. val_loss")
        if self.direction == "":
            derived = direction_for(self.metric)
            if derived is None:
                raise ConfigError("study.direction", f"the metric {self.metric!r} does not say "
                                  "which way is better: add direction = \"maximize\" or "
                                  "\"minimize\" to [study]")
            object.__setattr__(self, "direction", derived.value)
        _one_of("study.direction", self.direction, tuple(Direction))
        _one_of("study.strategy", self.strategy, STRATEGIES)
        _one_of("study.executor", self.executor, EXECUTOR_KINDS)
        _one_of("study.pruner", self.pruner, PRUNERS)
        _positive_int("study.trials", self.trials, upper=1_000_000)
        _positive_int("study.workers", self.workers, upper=1024)
        if not _is_int(self.seed) or self.seed < 0:
            raise ConfigError("study.seed", f"must be a whole number >= 0 (got {self.seed!r})")
        if not _is_int(self.keep_weights) or not 0 <= self.keep_weights <= 1000:
            raise ConfigError("study.keep_weights", "must be a whole number from 0 (keep no "
                              f"model) to 1000 (got {self.keep_weights!r})")
        if not isinstance(self.scheduler, str):
            raise ConfigError("study.scheduler", "must be an address such as 'tcp://host:8786'")


@dataclass(frozen=True)
class StudyConfig:
    """A whole sweep: settings, data, fixed training values, the search space and trainer."""

    study: StudySettings
    data: DataSpec
    train: dict[str, Any]
    space: SearchSpace
    trainer: TrainerSpec = NETWORK

    @property
    def epochs(self) -> int | None:
        """Epochs per trial (searched or fixed): the upper bound pruners plan with; None when
        a trainer of the user's own has no ``epochs`` hyperparameter."""
        if "epochs" in self.space.names:
            param = self.space["epochs"]
            if param.is_ranged:
                return int(param.high)
            numbers = [v for v in param.values if isinstance(v, int | float)]
            return int(max(numbers)) if numbers else None
        epochs = self.train.get("epochs")
        return int(epochs) if isinstance(epochs, int | float) and epochs >= 1 else None

    def budget(self) -> int:
        """Finished trials the sweep aims for (a grid runs at most its own size)."""
        if self.study.strategy == "grid":
            return min(self.study.trials, self.space.grid_size())
        return self.study.trials

    def to_dict(self) -> dict[str, Any]:
        """Plain data in the TOML file's shape (what the study table stores)."""
        study = {f.name: getattr(self.study, f.name) for f in fields(self.study)}
        if not study["scheduler"]:
            del study["scheduler"]
        data = {f.name: getattr(self.data, f.name) for f in fields(self.data)}
        data = {("dataset" if k == "source" else k): v for k, v in data.items() if v is not None}
        train = {k: v for k, v in self.train.items() if k not in self.space.names}
        table = {"study": study, "data": data, "train": train, "params": self.space.to_dict()}
        if self.trainer.is_own:
            table["trainer"] = self.trainer.to_dict()
        return table

    def replace(self, **study_changes: Any) -> StudyConfig:
        """A copy with some ``[study]`` values changed (command-line overrides)."""
        settings = {f.name: getattr(self.study, f.name) for f in fields(self.study)}
        settings.update(study_changes)
        return StudyConfig(StudySettings(**settings), self.data, self.train, self.space,
                           self.trainer)


def parse_config(raw: dict[str, Any], base_dir: Path | None = None) -> StudyConfig:
    """Build a config from TOML-shaped data; raise only :class:`CaviarError` subclasses."""
    if not isinstance(raw, dict):
        raise ConfigError("", "the config must be a table of [study], [data], [train], [params]")
    # [optuna]: what 'caviar import' kept of an Optuna study (docs/optuna.md); sweeps skip it
    unknown = sorted(set(raw) - {*_SECTIONS, "optuna"})
    if unknown:
        raise ConfigError(unknown[0], "unknown section: the sections are [study], [data], "
                                      "[train], [params.NAME] and [trainer]")
    trainer = parse_trainer(raw.get("trainer", {}), base_dir)
    study = StudySettings(**_table(raw, "study", StudySettings))
    if not trainer.is_own and study.metric not in METRIC_NAMES:
        raise ConfigError("study.metric", f"Caviar's network reports {', '.join(METRIC_NAMES)} "
                          f"(got {study.metric!r}); other metrics need a [trainer] of your own")
    data_table = _data_table(raw)
    source = data_table.get("source")
    if isinstance(source, str) and base_dir is not None and source.lower().endswith(
        (".csv", ".npz")
    ) and not Path(source).is_absolute():
        data_table["source"] = str((base_dir / source).resolve())
    data = DataSpec(**data_table)
    train = _train_table(raw.get("train", {}), own=trainer.is_own)
    params = raw.get("params", {})
    if not isinstance(params, dict):
        raise ConfigError("params", "must be tables such as [params.learning_rate]")
    space = build_space(params, own=trainer.is_own)
    both = sorted(set(space.names) & set(raw.get("train", {})))
    if both:
        raise ConfigError(
            f"train.{both[0]}", "is also searched in [params]: keep it in one place only"
        )
    _check_placeholders(trainer, {*space.names, *train})
    if study.strategy == "grid":
        space.check_grid()  # refuses a grid over the limit, saying how big it is
    return StudyConfig(study, data, train, space, trainer)


def _check_placeholders(trainer: TrainerSpec, names: set[str]) -> None:
    """Every ``{name}`` of a command must be a hyperparameter (or ``{trial_number}``)."""
    for name in trainer.placeholders():
        if name not in names and name != TRIAL_NUMBER:
            known = ", ".join(f"{{{n}}}" for n in [*sorted(names), TRIAL_NUMBER])
            raise ConfigError("trainer.command", f"{{{name}}} is not a hyperparameter of this "
                              f"config; add it to [params] or [train], or use one of: {known}")


def load_config(path: str | Path) -> StudyConfig:
    """Read and validate a TOML sweep config (callers prefix messages with the file name)."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError("", "no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError("", f"cannot read it ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("", f"not valid TOML: {exc}") from exc
    return parse_config(raw, base_dir=path.parent)


def check_data(config: StudyConfig) -> None:
    """Load and split the config's data once, as every trial will; :class:`DataError` naming
    the file, line and column when it is unusable.

    Parsing stays pure (no file is read); whoever starts a sweep (``caviar sweep`` and
    ``resume``, the window's Run and Resume, ``gui --screenshot``) calls this first, so a bad
    data file stops the sweep before a study, a trial or a file is created.
    """
    if not config.trainer.is_own:  # the user's own code loads its own data
        load_split(config.data, dtype="float32")  # what trials map: prepared once, here


def dump_config(config: StudyConfig, path: str | Path) -> None:
    """Write a config as TOML that :func:`load_config` reads back to an equal config."""
    Path(path).write_text(tomli_w.dumps(_toml_safe(config.to_dict())), encoding="utf-8")


def _toml_safe(value: Any) -> Any:
    """TOML has no null: drop None values (they mean 'the default')."""
    if isinstance(value, dict):
        return {k: _toml_safe(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_toml_safe(v) for v in value]
    return value


def _table(raw: dict[str, Any], section: str, cls: type) -> dict[str, Any]:
    table = raw.get(section, {})
    if not isinstance(table, dict):
        raise ConfigError(section, f"must be a table [{section}]")
    allowed = [f.name for f in fields(cls)]
    for key in table:
        if key not in allowed:
            raise ConfigError(f"{section}.{key}", f"unknown key; known keys: {', '.join(allowed)}")
    return dict(table)


def _data_table(raw: dict[str, Any]) -> dict[str, Any]:
    """``[data]`` with the dataset under ``dataset`` (or its aliases) mapped to ``source``."""
    table = raw.get("data", {})
    if not isinstance(table, dict):
        raise ConfigError("data", "must be a table [data]")
    table = dict(table)
    given = [key for key in DATASET_KEYS if key in table]
    if len(given) > 1:
        raise ConfigError(f"data.{given[1]}", f"give the dataset once (also given as {given[0]})")
    if given:
        table["source"] = table.pop(given[0])
    return _table({"data": table}, "data", DataSpec)


def _train_table(table: Any, own: bool) -> dict[str, Any]:
    """The fixed values of ``[train]``, each validated: over the registry's defaults for
    Caviar's network; as written for the user's own trainer (any names, registry names
    checked against the registry)."""
    if not isinstance(table, dict):
        raise ConfigError("train", "must be a table [train] of fixed hyperparameter values")
    train = {} if own else {name: hp.default for name, hp in REGISTRY.items()}
    for name, value in table.items():
        if name in REGISTRY:
            train[name] = validate_value(name, value)
        elif own:
            train[name] = own_value(name, value)
        else:
            known = ", ".join(REGISTRY)
            raise ConfigError(f"train.{name}", f"unknown hyperparameter; known: {known} (any "
                                               "name works with a [trainer] of your own)")
    return train


def _one_of(field_name: str, value: Any, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ConfigError(field_name, f"{value!r} is not one of: {', '.join(allowed)}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _positive_int(field_name: str, value: Any, upper: int) -> None:
    if not _is_int(value) or not 1 <= value <= upper:
        raise ConfigError(field_name, f"must be a whole number from 1 to {upper} (got {value!r})")


__all__ = [
    "CaviarError",
    "ConfigError",
    "StudyConfig",
    "StudySettings",
    "check_data",
    "default_workers",
    "direction_for",
    "dump_config",
    "load_config",
    "parse_config",
]
