"""Optuna study -> Caviar study: load one study of a storage read-only, store it in a
Caviar :class:`~desktop_app.core.study.Storage` (``caviar import``; the window's view)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import optuna
from optuna.storages import BaseStorage
from optuna.trial import FrozenTrial

from desktop_app.core.errors import CaviarError
from desktop_app.core.optuna_bridge.locate import OptunaStorageError, open_read_only
from desktop_app.core.optuna_bridge.mapping import OPTUNA_SECTION
from desktop_app.core.optuna_bridge.rdb_reader import Outline
from desktop_app.core.optuna_bridge.reading import (
    CaviarTrial,
    PlanTrial,
    StudyPlan,
    read_plan,
    translate,
    trial_extras,
)
from desktop_app.core.optuna_bridge.trial_feed import TrialFeed
from desktop_app.core.study import Storage, StudyRecord, TrialState

STORE_BATCH = 1000
"""Trials stored per transaction by :func:`store_study`."""


@dataclass
class OptunaSource:
    """One study of an Optuna storage, opened read-only. Each read takes only what can have
    changed since the one before (:class:`~.trial_feed.TrialFeed`)."""

    spec: str
    storage: BaseStorage
    study: optuna.Study
    feed: TrialFeed = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.feed = TrialFeed(self.storage, self.study)

    def trials(self) -> list[FrozenTrial]:
        """Every trial as stored now, by number."""
        for _ in self.changed():
            pass
        return self.feed.trials()

    def changed(self) -> Iterator[list[FrozenTrial]]:
        """The trials that can have changed since the last read (all the first time), in
        blocks (:func:`~.trial_feed.spans`; the public path: one list)."""
        try:
            yield from self.feed.read()
        except Exception as exc:  # a database gone or a journal cut short mid-line
            raise OptunaStorageError(self.spec, f"cannot be read ({exc})") from None

    def outline(self) -> list[Outline] | None:
        """Number, state and distributions of every trial, read quickly before the trials
        (None where only the public path reads this storage)."""
        return self.feed.outline()

    def close(self) -> None:
        """Release the database connections."""
        close_storage(self.storage)


def close_storage(storage: BaseStorage) -> None:
    """Release an Optuna storage's database connections (a journal file holds none)."""
    engine = getattr(storage, "engine", None)
    if engine is not None:
        engine.dispose()


def study_names(spec: str) -> list[str]:
    """The names of the studies in the Optuna storage ``spec`` (opened read-only)."""
    storage = open_read_only(spec)
    try:
        return optuna.get_all_study_names(storage)
    except Exception as exc:
        raise OptunaStorageError(spec, f"cannot be read ({exc})") from None
    finally:
        close_storage(storage)


def open_source(spec: str, name: str) -> OptunaSource:
    """Study ``name`` of the Optuna storage ``spec``, read-only; one line naming the storage
    and the studies it has when there is no such study."""
    storage = open_read_only(spec)
    try:
        names = optuna.get_all_study_names(storage)
        if name not in names:
            raise OptunaStorageError(spec, f"no study named {name!r}; studies: "
                                           + (", ".join(names) or "none"))
        return OptunaSource(spec, storage, optuna.load_study(study_name=name, storage=storage))
    except OptunaStorageError:
        close_storage(storage)
        raise
    except Exception as exc:
        close_storage(storage)
        raise OptunaStorageError(spec, f"cannot be read ({exc})") from None


@dataclass(frozen=True)
class Imported:
    """What a read produced: the plan (config, notes) and the trials as Caviar's."""

    plan: StudyPlan
    trials: list[CaviarTrial]
    extras: dict[str, Any]


def read_study(source: OptunaSource, objective: int = 0, live: bool = False) -> Imported:
    """The whole study as Caviar's records (``live``: running trials stay running); one
    line naming the storage and the study for an objective it does not have."""
    frozen = source.trials()
    plan = study_plan(source, frozen, objective)
    extras = {str(t.number): e for t in frozen if (e := trial_extras(t))}
    return Imported(plan, [translate(t, plan, live) for t in frozen], extras)


def study_plan(source: OptunaSource, trials: Sequence[PlanTrial], objective: int) -> StudyPlan:
    """:func:`~.reading.read_plan` of the source's study over ``trials``; its problem (an
    objective the study lacks) as one line naming the storage."""
    try:
        return read_plan(source.study, trials, objective)
    except CaviarError as exc:
        raise OptunaStorageError(source.spec, str(exc)) from None


def store_study(storage: Storage, imported: Imported, name: str | None = None) -> StudyRecord:
    """Create the study in ``storage`` (``name`` or the plan's) with every trial; the config
    keeps what Caviar's records cannot in its ``[optuna]`` section. ``ValueError`` if the
    name is taken."""
    plan = imported.plan
    config = dict(plan.config)
    config["study"] = {**config.get("study", {}), "name": name or plan.name}
    config[OPTUNA_SECTION] = {**plan.extras, "trials": imported.extras}
    record = storage.create_study(name or plan.name, config)
    trials = imported.trials
    for first in range(0, len(trials), STORE_BATCH):
        with storage.batch():  # one commit per block instead of two per trial
            for trial in trials[first:first + STORE_BATCH]:
                add_trial(storage, record.study_id, trial)
    return record


def add_trial(storage: Storage, study_id: int, trial: CaviarTrial) -> None:
    """Store one translated trial with its epochs and final state."""
    created = storage.create_trial(study_id, trial.params, trial.seed)
    if created.number != trial.number:
        raise ValueError(f"trial {trial.number} would be stored as {created.number}")
    if trial.state is TrialState.WAITING:
        return
    storage.set_trial_running(study_id, trial.number)
    for row in trial.rows:
        storage.add_epoch(study_id, row)
    if trial.state is not TrialState.RUNNING:
        storage.finish_trial(study_id, trial.number, trial.state, trial.error)
