"""An Optuna RDB study's trials read by columns: the fast path of Caviar's Optuna reads.

Optuna's ``RDBStorage.get_all_trials`` builds an ORM object for every row of six tables
(10,000 trials x 20 intermediate values: ~7 s on the development machine), then a
``FrozenTrial`` from them. :class:`ColumnReader` reads the same tables through the same
storage's engine (opened read-only by :mod:`.locate`), named by Optuna's own table definitions
(``optuna.storages._rdb.models``), selecting plain columns, and builds the very
``FrozenTrial`` objects Optuna does, with Optuna's own conversions (``stored_repr_to_value``,
``stored_repr_to_intermediate_value``, ``json_to_distribution``, the trial model's datetime
properties). It reads only the trials asked for, by trial id, so a block of a big study or a
refresh (the new and the unfinished trials) costs what it reads.

Nothing here re-implements Optuna's schema: an Optuna that renamed a model or a column makes
this raise (``AttributeError``, ``KeyError``, SQLAlchemy's errors), and the caller
(:mod:`.trial_feed`) then reads through ``get_all_trials`` instead.
``tests/core/optuna_bridge/test_rdb_reader.py`` checks on real studies that both give the same
trials.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from typing import Any, NamedTuple

from optuna import distributions
from optuna.distributions import BaseDistribution
from optuna.storages import RDBStorage
from optuna.trial import FrozenTrial, TrialState

CHUNK = 500
"""Trial ids per ``IN (...)`` list: far below every database's limit of bound parameters."""


class TrialRow(NamedTuple):
    """One row of Optuna's ``trials`` table (datetimes as stored: naive UTC)."""

    trial_id: int
    number: int
    state: TrialState
    start_utc: Any
    complete_utc: Any


class Outline(NamedTuple):
    """What a study's plan needs of one trial (as a ``FrozenTrial`` has it)."""

    number: int
    state: TrialState
    distributions: dict[str, BaseDistribution]


class _Stored:
    """What the trial model's datetime properties read (``_datetime_*_utc``)."""

    __slots__ = ("_datetime_complete_utc", "_datetime_start_utc")

    def __init__(self, start: Any, complete: Any) -> None:
        self._datetime_start_utc = start
        self._datetime_complete_utc = complete


class ColumnReader:
    """Trials of study ``study_id`` of ``storage``, read by columns (see the module text)."""

    def __init__(self, storage: RDBStorage, study_id: int) -> None:
        from optuna.storages._rdb import models  # Optuna's own table definitions

        self._engine = storage.engine
        self._study_id = study_id
        self._models = models
        self._start = models.TrialModel.datetime_start.fget
        self._complete = models.TrialModel.datetime_complete.fget
        self._value_types = models.TrialValueModel.TrialValueType
        self._step_types = models.TrialIntermediateValueModel.TrialIntermediateValueType
        self._dists: dict[str, BaseDistribution] = {}

    def trial_rows(self, after: int = -1, include: Collection[int] = ()) -> list[TrialRow]:
        """The study's trials with a trial id above ``after`` or in ``include``, by trial id."""
        import sqlalchemy as sa

        trial = self._models.TrialModel
        columns = (trial.trial_id, trial.number, trial.state, trial._datetime_start_utc,
                   trial._datetime_complete_utc)
        mine = trial.study_id == self._study_id
        rows: dict[int, TrialRow] = {}
        with self._engine.connect() as conn:  # each fetched whole: no read lock outlives it
            found = conn.execute(sa.select(*columns).where(mine, trial.trial_id > after)).all()
            for chunk in _chunks(sorted(i for i in include if i <= after)):
                found += conn.execute(sa.select(*columns).where(
                    mine, trial.trial_id.in_(chunk))).all()
        for row in found:
            rows[row[0]] = TrialRow(*row)
        return [rows[i] for i in sorted(rows)]

    def outline(self, rows: Sequence[TrialRow]) -> list[Outline]:
        """Number, state and distributions of each trial row, from one query of the study's
        parameters: what :func:`~.reading.read_plan` needs before the trials are read."""
        import sqlalchemy as sa

        param, trial = self._models.TrialParamModel, self._models.TrialModel
        found: defaultdict[int, list] = defaultdict(list)
        with self._engine.connect() as conn:
            for row in conn.execute(sa.select(
                    param.trial_id, param.param_id, param.param_name, param.distribution_json)
                    .join(trial, trial.trial_id == param.trial_id)
                    .where(trial.study_id == self._study_id)).all():
                found[row[0]].append(row)
        return [Outline(r.number, r.state, {
            name: self._distribution(text)
            for _id, _pid, name, text in sorted(found[r.trial_id], key=lambda p: p[1])})
            for r in rows]

    def trials(self, rows: Sequence[TrialRow]) -> list[FrozenTrial]:
        """The ``FrozenTrial`` of each trial row, as ``RDBStorage.get_all_trials`` builds it
        (its children read by trial id, :data:`CHUNK` ids a query)."""
        import sqlalchemy as sa

        m = self._models
        ids = [r.trial_id for r in rows]
        as_name = sa.String  # an enum column read as the member's name, not converted per row
        with self._engine.connect() as conn:
            params = _grouped(conn, ids, m.TrialParamModel.trial_id, m.TrialParamModel.param_id,
                              m.TrialParamModel.param_name, m.TrialParamModel.param_value,
                              m.TrialParamModel.distribution_json)
            values = _grouped(conn, ids, m.TrialValueModel.trial_id, m.TrialValueModel.objective,
                              m.TrialValueModel.value,
                              sa.type_coerce(m.TrialValueModel.value_type, as_name))
            steps = _grouped(conn, ids, m.TrialIntermediateValueModel.trial_id,
                             m.TrialIntermediateValueModel.step,
                             m.TrialIntermediateValueModel.intermediate_value,
                             sa.type_coerce(
                                 m.TrialIntermediateValueModel.intermediate_value_type, as_name))
            user = _grouped(conn, ids, m.TrialUserAttributeModel.trial_id,
                            m.TrialUserAttributeModel.key, m.TrialUserAttributeModel.value_json)
            system = _grouped(conn, ids, m.TrialSystemAttributeModel.trial_id,
                              m.TrialSystemAttributeModel.key,
                              m.TrialSystemAttributeModel.value_json)
        return [self._frozen(r, params[r.trial_id], values[r.trial_id], steps[r.trial_id],
                             user[r.trial_id], system[r.trial_id]) for r in rows]

    def _frozen(self, row: TrialRow, params: list[Any], values: list[Any], steps: list[Any],
                user: list[Any], system: list[Any]) -> FrozenTrial:
        """One ``FrozenTrial`` as ``RDBStorage._build_frozen_trial_from_trial_model`` makes it."""
        m = self._models
        objectives: list[float] | None = None
        if values:
            objectives = [0 for _ in values]
            to_value = m.TrialValueModel.stored_repr_to_value
            for _id, objective, value, kind in values:
                objectives[objective] = to_value(value, self._value_types[kind])
        to_step = m.TrialIntermediateValueModel.stored_repr_to_intermediate_value
        types = self._step_types
        params = sorted(params, key=lambda p: p[1])  # by param_id, as Optuna sorts them
        dists = {name: self._distribution(text) for _id, _pid, name, _v, text in params}
        stored = _Stored(row.start_utc, row.complete_utc)
        return FrozenTrial(
            number=row.number,
            state=row.state,
            value=None,
            values=objectives,
            datetime_start=self._start(stored),
            datetime_complete=self._complete(stored),
            params={name: dists[name].to_external_repr(value)
                    for _id, _pid, name, value, _t in params},
            distributions=dists,
            user_attrs={key: json.loads(text) for _id, key, text in user},
            system_attrs={key: json.loads(text) for _id, key, text in system},
            intermediate_values={step: to_step(value, types[kind])
                                 for _id, step, value, kind in steps},
            trial_id=row.trial_id,
        )

    def _distribution(self, text: str) -> BaseDistribution:
        """``json_to_distribution(text)``, parsed once per distinct text (a study has few).
        Trials share the object, as nothing changes a distribution."""
        dist = self._dists.get(text)
        if dist is None:
            dist = self._dists[text] = distributions.json_to_distribution(text)
        return dist


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield list(ids[i:i + CHUNK])


def _grouped(conn: Any, ids: Sequence[int], key: Any, *columns: Any) -> defaultdict[int, list]:
    """The rows ``(key, *columns)`` of one child table for trials ``ids``, grouped by trial
    id, each trial's in the order the database gives them (as for Optuna's own query)."""
    import sqlalchemy as sa

    found: defaultdict[int, list] = defaultdict(list)
    for chunk in _chunks(ids):
        for row in conn.execute(sa.select(key, *columns).where(key.in_(chunk))).all():
            found[row[0]].append(row)
    return found

