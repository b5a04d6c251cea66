"""Sweep configuration: the TOML file <-> :class:`StudyConfig`.

A config has four parts (documented with examples in ``docs/config.md``):
``[study]`` (how to search), ``[data]`` (what to train on), ``[train]`` (fixed values for every
hyperparameter that is not searched) and one ``[params.NAME]`` table per searched one.
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
    validate_value,
)
from desktop_app.core.study import METRIC_NAMES, Direction

# The dataset (a built-in name or a .csv/.npz path) may be given under any of these keys.
DATASET_KEYS = ("dataset", "source", "name", "path", "file")
MINIMIZED_METRICS = ("train_loss", "val_loss")
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\- ]{0,79}$")


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

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _NAME_RE.match(self.name):
            raise ConfigError(
                "study.name",
                f"{self.name!r} is not a usable name: use 1-80 letters, digits, spaces, "
                "'_', '-' or '.'",
            )
        _one_of("study.metric", self.metric, METRIC_NAMES)
        if self.direction == "":
            derived = Direction.MINIMIZE if self.metric in MINIMIZED_METRICS else Direction.MAXIMIZE
            object.__setattr__(self, "direction", derived.value)
        _one_of("study.direction", self.direction, tuple(Direction))
        _one_of("study.strategy", self.strategy, STRATEGIES)
        _one_of("study.executor", self.executor, EXECUTOR_KINDS)
        _one_of("study.pruner", self.pruner, PRUNERS)
        _positive_int("study.trials", self.trials, upper=1_000_000)
        _positive_int("study.workers", self.workers, upper=1024)
        if not _is_int(self.seed) or self.seed < 0:
            raise ConfigError("study.seed", f"must be a whole number >= 0 (got {self.seed!r})")
        if not isinstance(self.scheduler, str):
            raise ConfigError("study.scheduler", "must be an address such as 'tcp://host:8786'")


@dataclass(frozen=True)
class StudyConfig:
    """A whole sweep: settings, data, fixed training values and the search space."""

    study: StudySettings
    data: DataSpec
    train: dict[str, Any]
    space: SearchSpace

    @property
    def epochs(self) -> int:
        """Epochs per trial (searched or fixed): the upper bound pruners plan with."""
        if "epochs" in self.space.names:
            param = self.space["epochs"]
            return int(param.high if param.is_ranged else max(param.values))
        return int(self.train["epochs"])

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
        return {"study": study, "data": data, "train": train, "params": self.space.to_dict()}

    def replace(self, **study_changes: Any) -> StudyConfig:
        """A copy with some ``[study]`` values changed (command-line overrides)."""
        settings = {f.name: getattr(self.study, f.name) for f in fields(self.study)}
        settings.update(study_changes)
        return StudyConfig(StudySettings(**settings), self.data, self.train, self.space)


def parse_config(raw: dict[str, Any], base_dir: Path | None = None) -> StudyConfig:
    """Build a config from TOML-shaped data; raise only :class:`CaviarError` subclasses."""
    if not isinstance(raw, dict):
        raise ConfigError("", "the config must be a table of [study], [data], [train], [params]")
    # [optuna]: what 'caviar import' kept of an Optuna study (docs/optuna.md); sweeps skip it
    unknown = sorted(set(raw) - {"study", "data", "train", "params", "optuna"})
    if unknown:
        raise ConfigError(
            unknown[0], "unknown section: the sections are [study], [data], [train], [params.NAME]"
        )
    study = StudySettings(**_table(raw, "study", StudySettings))
    data_table = _data_table(raw)
    source = data_table.get("source")
    if isinstance(source, str) and base_dir is not None and source.lower().endswith(
        (".csv", ".npz")
    ) and not Path(source).is_absolute():
        data_table["source"] = str((base_dir / source).resolve())
    data = DataSpec(**data_table)
    train = _train_table(raw.get("train", {}))
    params = raw.get("params", {})
    if not isinstance(params, dict):
        raise ConfigError("params", "must be tables such as [params.learning_rate]")
    space = build_space(params)
    both = sorted(set(space.names) & set(raw.get("train", {})))
    if both:
        raise ConfigError(
            f"train.{both[0]}", "is also searched in [params]: keep it in one place only"
        )
    if study.strategy == "grid":
        space.check_grid()  # refuses a grid over the limit, saying how big it is
    return StudyConfig(study, data, train, space)


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


def _train_table(table: Any) -> dict[str, Any]:
    """Registry defaults overlaid with the fixed values of ``[train]``, each validated."""
    if not isinstance(table, dict):
        raise ConfigError("train", "must be a table [train] of fixed hyperparameter values")
    train = {name: hp.default for name, hp in REGISTRY.items()}
    for name, value in table.items():
        if name not in REGISTRY:
            known = ", ".join(REGISTRY)
            raise ConfigError(f"train.{name}", f"unknown hyperparameter; known: {known}")
        train[name] = validate_value(name, value)
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
    "dump_config",
    "load_config",
    "parse_config",
]
