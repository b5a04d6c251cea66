"""The fast read of an Optuna RDB study (its tables by columns) gives exactly what Optuna's
own ``RDBStorage.get_all_trials`` gives, on studies grown by real ``study.optimize`` runs: the
test that catches an Optuna that changed underneath Caviar. And every surprise on that path
falls back to Optuna's public read, with the same answer."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import optuna
import pytest
import sqlalchemy.exc
from optuna.trial import FrozenTrial, TrialState

from desktop_app.core.optuna_bridge import Watcher, open_source, trial_feed
from desktop_app.core.optuna_bridge.locate import open_read_only
from desktop_app.core.optuna_bridge.rdb_reader import ColumnReader
from desktop_app.core.optuna_bridge.trial_feed import FIRST_BLOCK
from tests.core.optuna_bridge.helpers import journal, optuna_study

SPECIAL = (math.inf, -math.inf, math.nan)


@pytest.fixture
def not_utc(monkeypatch) -> Iterator[None]:
    """Local time 5:30 h off UTC (where tzset exists), so a datetime left in UTC shows."""
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    if hasattr(time, "tzset"):
        time.tzset()
    yield
    monkeypatch.undo()
    if hasattr(time, "tzset"):
        time.tzset()


def _objective(trial: optuna.Trial) -> float:
    """Every kind of parameter (one only some trials have), nested user attrs, intermediate
    values that are inf, -inf and NaN, values that are inf; some trials fail or are pruned."""
    x = trial.suggest_float("x", 1e-3, 1.0, log=True)
    n = trial.suggest_int("n", 1, 9, step=2)
    c = trial.suggest_categorical("c", ["a", None, 3, True])
    if c == "a":
        trial.suggest_float("depth", 0.0, 1.0, step=0.25)
    trial.set_user_attr("tag", {"nested": [1, 2.5, None], "text": "é", "n": n})
    for step in range(4):
        trial.report(SPECIAL[trial.number % 3] if step == 1 else x * step + n, step * 10)
    if trial.number % 5 == 3:
        raise ValueError("fails")
    if trial.number % 5 == 4:
        raise optuna.TrialPruned()
    return math.inf if trial.number % 7 == 6 else x + n


def _two_objectives(trial: optuna.Trial) -> tuple[float, float]:
    lr = trial.suggest_float("lr", 1e-4, 1.0, log=True)
    return (-math.inf if trial.number == 2 else lr), float(trial.suggest_int("width", 1, 9))


def _grown(url: str) -> tuple[optuna.Study, optuna.Study, optuna.trial.Trial]:
    """Two studies grown in turns (their trial ids interleave), then a running trial with
    intermediate values, a waiting one (enqueued: system attrs) and a system attr set."""
    one = optuna.create_study(storage=url, study_name="one",
                              sampler=optuna.samplers.RandomSampler(seed=3))
    two = optuna.create_study(storage=url, study_name="two", directions=["minimize", "maximize"],
                              sampler=optuna.samplers.RandomSampler(seed=4))
    for _ in range(12):
        one.optimize(_objective, n_trials=1, catch=(ValueError,))
        two.optimize(_two_objectives, n_trials=1)
    running = one.ask()
    running.suggest_float("x", 1e-3, 1.0, log=True)
    running.report(0.5, 0)
    running.report(math.nan, 1)
    one.enqueue_trial({"x": 0.25, "n": 3}, user_attrs={"queued": True})
    one._storage.set_trial_system_attr(running._trial_id, "mark", {"k": [1, 2]})
    return one, two, running


def _plain(trial: FrozenTrial) -> list[tuple[str, Any]]:
    """Every attribute of a trial (one Optuna adds is compared too), comparable: NaN equals
    NaN, 1 differs from 1.0 and True; the parameters' order counts (Optuna orders them by
    param_id), other dicts' order does not."""
    return [(name, _comparable(value, ordered=name in ("_params", "_distributions")))
            for name, value in sorted(vars(trial).items())]


def _comparable(value: Any, ordered: bool = False) -> Any:
    if isinstance(value, dict):
        items = [(repr(k), _comparable(v)) for k, v in value.items()]
        return items if ordered else sorted(items)
    if isinstance(value, list | tuple):
        return [_comparable(v) for v in value]
    return repr(value) if isinstance(value, float | int) else value


def _optuna_reads(spec: str, name: str) -> list[list[tuple[str, Any]]]:
    """What Optuna's own ``get_all_trials`` reads (a storage of its own, read-only)."""
    storage = open_read_only(spec)
    try:
        trials = storage.get_all_trials(storage.get_study_id_from_name(name), deepcopy=False)
    finally:
        storage.engine.dispose()
    return [_plain(t) for t in sorted(trials, key=lambda t: t.number)]


def _read(spec: str, name: str) -> tuple[Any, list[list[tuple[str, Any]]]]:
    source = open_source(spec, name)
    return source, [_plain(t) for t in source.trials()]


def test_the_fast_read_is_optuna_s_own(tmp_path: Path, not_utc: None) -> None:
    url = f"sqlite:///{tmp_path / 'o.db'}"
    _grown(url)
    for name in ("one", "two"):
        source, trials = _read(url, name)
        assert source.feed.fast  # the columns were read, not Optuna's get_all_trials
        assert trials == _optuna_reads(url, name)
        source.close()
    source = open_source(url, "one")
    frozen = source.trials()
    assert {t.state for t in frozen} == {TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL,
                                         TrialState.RUNNING, TrialState.WAITING}
    assert {repr(v) for t in frozen for v in t.intermediate_values.values()} >= {
        "inf", "-inf", "nan"}
    assert any(t.values == [math.inf] for t in frozen)
    assert any(t.system_attrs.get("fixed_params") for t in frozen)
    assert not hasattr(time, "tzset") or time.localtime().tm_gmtoff == 19800
    source.close()


def test_a_refresh_reads_the_new_and_the_unfinished(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'o.db'}"
    one, _two, running = _grown(url)
    source = open_source(url, "one")
    first = [t.number for block in source.changed() for t in block]
    assert first == list(range(14))
    assert [t.number for block in source.changed() for t in block] == [12, 13]
    running.report(0.25, 2)
    one.tell(running, 0.75)
    one.optimize(_objective, n_trials=2, catch=(ValueError,))  # the enqueued 13, then 14
    assert sorted(t.number for block in source.changed() for t in block) == [12, 13, 14]
    assert [_plain(t) for t in source.feed.trials()] == _optuna_reads(url, "one")
    assert [t.number for block in source.changed() for t in block] == []
    source.close()


def test_a_surprise_reads_through_optuna(tmp_path: Path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'o.db'}"
    _grown(url)
    expected = _optuna_reads(url, "one")

    def new_schema(*_: Any) -> None:
        raise sqlalchemy.exc.OperationalError("SELECT", {}, Exception("no such column"))

    monkeypatch.setattr(ColumnReader, "trials", new_schema)
    source, trials = _read(url, "one")
    assert trials == expected
    watcher = Watcher(source)
    assert len(watcher.first().trials) == len(expected) and watcher.poll() == []
    source.close()

    def other_optuna(*_: Any) -> None:
        raise ImportError("optuna.storages._rdb.models")

    monkeypatch.setattr(trial_feed, "ColumnReader", other_optuna)
    source, trials = _read(url, "one")
    assert not source.feed.fast and trials == expected
    assert source.outline() is None
    source.close()


def test_a_surprise_after_the_first_blocks_loses_and_repeats_nothing(tmp_path: Path,
                                                                     monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'o.db'}"
    optuna_study(url, trials=12)
    expected = _optuna_reads(url, "opt")
    fast = ColumnReader.trials
    calls = []

    def once(self: ColumnReader, rows: Any) -> list[FrozenTrial]:
        calls.append(len(rows))
        if len(calls) > 1:
            raise AttributeError("a model changed")
        return fast(self, rows)

    monkeypatch.setattr(ColumnReader, "trials", once)
    source = open_source(url, "opt")
    blocks = list(source.feed.read(block=5, first=5))
    assert [len(b) for b in blocks] == [5, 7]  # the first block, then Optuna's read of the rest
    assert sorted(_plain(t) for b in blocks for t in b) == expected
    assert [_plain(t) for t in source.feed.trials()] == expected
    source.close()


def test_the_first_read_comes_in_blocks(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'b.db'}"
    study = optuna_study(url, trials=2)
    study.add_trials([optuna.trial.create_trial(
        params={"x": 0.5},
        distributions={"x": optuna.distributions.FloatDistribution(1e-3, 1.0, log=True)},
        value=float(i), intermediate_values={0: float(i)}) for i in range(FIRST_BLOCK + 8)])
    for spec in (url, None):
        source = open_source(url, "opt") if spec else _journal_copy(tmp_path, study)
        watcher = Watcher(source)
        blocks = list(watcher.blocks())
        assert watcher.total == FIRST_BLOCK + 10
        assert [len(b.trials) for b in blocks] == [FIRST_BLOCK, 10]
        assert [t.number for b in blocks for t in b.trials] == list(range(FIRST_BLOCK + 10))
        assert all(b.plan is watcher.plan for b in blocks)
        assert set(watcher.plan.specs) == {"x", "n", "c"}
        source.close()


def _journal_copy(tmp_path: Path, study: optuna.Study) -> Any:
    """The study copied into a journal file (the public path), opened as a source."""
    path = tmp_path / "copy.log"
    optuna.copy_study(from_study_name=study.study_name,
                      from_storage=study._storage, to_storage=journal(path))
    source = open_source(str(path), "opt")
    assert not source.feed.fast
    return source
