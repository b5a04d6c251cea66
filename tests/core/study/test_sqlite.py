"""SQLiteStorage: the shared contract, plus files, connections, schema checks and kill -9."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop_app.core.study import (
    EpochRow,
    SQLiteStorage,
    Storage,
    StorageError,
    TrialState,
    open_storage,
)
from desktop_app.core.study.schema import SCHEMA_VERSION
from tests.core.study.helpers import damage
from tests.core.study.storage_contract import StorageContract

ROOT = Path(__file__).resolve().parents[3]


class TestSQLiteStorage(StorageContract):
    @pytest.fixture
    def make_storage(self, tmp_path: Path) -> Callable[[], Storage]:
        return lambda: SQLiteStorage(tmp_path / "study.db")


def _row(number: int, epoch: int) -> EpochRow:
    return EpochRow(number, epoch, 1.0 / epoch, 0.5, 2.0 / epoch, 0.25, 0.01, 0.1)


def _fill(storage: Storage) -> int:
    sid = storage.create_study("s", {"study": {"trials": 2}}).study_id
    storage.create_trial(sid, {"lr": 0.1}, seed=1)
    storage.set_trial_running(sid, 0)
    storage.add_epoch(sid, _row(0, 1))
    storage.finish_trial(sid, 0, TrialState.FAILED, error="boom")
    storage.create_trial(sid, {"lr": 0.2}, seed=2)
    return sid


def test_open_storage_with_a_path_is_sqlite(tmp_path: Path) -> None:
    for path in (tmp_path / "a.db", str(tmp_path / "b.db")):
        with open_storage(path) as storage:
            assert isinstance(storage, SQLiteStorage)
            assert storage.path == Path(path)


def test_reopen_shows_the_same_data(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with SQLiteStorage(path) as storage:
        sid = _fill(storage)
        before = (storage.list_studies(), storage.get_trials(sid), storage.get_epochs(sid))
    assert not Path(f"{path}-wal").exists()  # a clean close folds the WAL into the file
    with SQLiteStorage(path) as storage:
        assert (storage.list_studies(), storage.get_trials(sid), storage.get_epochs(sid)) == before
        assert storage.get_trial(sid, 0).error == "boom"


def test_file_holds_our_schema_as_json(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with SQLiteStorage(path) as storage:
        _fill(storage)
        conn = sqlite3.connect(path)
        try:
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
            assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
            params = conn.execute("SELECT params FROM trials ORDER BY number").fetchall()
            assert params == [('{"lr":0.1}',), ('{"lr":0.2}',)]
            assert conn.execute("SELECT config FROM studies").fetchone() == (
                '{"study":{"trials":2}}',
            )
        finally:
            conn.close()


def test_two_connections_see_each_others_writes(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with SQLiteStorage(path) as one, SQLiteStorage(path) as two:
        sid = one.create_study("s", {}).study_id
        assert two.get_study("s").study_id == sid
        numbers = [one.create_trial(sid, {}, 0).number, two.create_trial(sid, {}, 0).number]
        assert numbers == [0, 1]
        two.set_trial_running(sid, 1)
        two.add_epoch(sid, _row(1, 1))
        assert two.get_trial(sid, 1).epochs == 1  # a read (or any write) commits waiting epochs
        assert one.get_trial(sid, 1).epochs == 1
        assert one.get_epochs(sid) == [_row(1, 1)]
        assert one.interrupt_running(sid) == [1]
        assert two.get_trial(sid, 1).state is TrialState.INTERRUPTED


def test_reads_go_on_while_another_connection_holds_the_write_lock(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with SQLiteStorage(path) as storage:
        sid = _fill(storage)
        writer = sqlite3.connect(path, isolation_level=None)
        try:
            writer.execute("BEGIN IMMEDIATE")
            writer.execute("UPDATE trials SET state = 'complete'")
            assert [t.state.value for t in storage.get_trials(sid)] == ["failed", "waiting"]
            writer.execute("COMMIT")
            assert [t.state.value for t in storage.get_trials(sid)] == ["complete", "complete"]
        finally:
            writer.close()


def test_writers_on_two_connections_wait_for_each_other(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with SQLiteStorage(path) as one, SQLiteStorage(path) as two:
        sid = one.create_study("s", {}).study_id
        for store in (one, two):
            store.create_trial(sid, {}, seed=0, state=TrialState.RUNNING)
        errors: list[BaseException] = []

        def write(store: SQLiteStorage, number: int) -> None:
            try:
                for epoch in range(1, 101):
                    store.add_epoch(sid, _row(number, epoch))
                    store.get_trial(sid, number)  # a read commits the waiting epoch: a write
            except BaseException as exc:  # the main thread reports it
                errors.append(exc)

        threads = [threading.Thread(target=write, args=pair) for pair in ((one, 0), (two, 1))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []  # no "database is locked": the busy timeout makes writers queue
        assert [t.epochs for t in one.get_trials(sid)] == [100, 100]


def test_get_trials_is_one_query(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[sqlite3.Connection] = []
    real_connect = sqlite3.connect

    def connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        opened.append(real_connect(*args, **kwargs))  # the store's own connection
        return opened[-1]

    monkeypatch.setattr(sqlite3, "connect", connect)
    with SQLiteStorage(tmp_path / "s.db") as storage:
        sid = storage.create_study("s", {}).study_id
        for i in range(1000):
            storage.create_trial(sid, {"lr": 10.0**-i}, seed=i)
        statements: list[str] = []
        for conn in opened:
            conn.set_trace_callback(statements.append)
        trials = storage.get_trials(sid)
        for conn in opened:
            conn.set_trace_callback(None)
    assert len(opened) == 1
    assert [t.number for t in trials] == list(range(1000))
    assert len(statements) == 1


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    SQLiteStorage(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StorageError, match="newer Caviar") as err:
        SQLiteStorage(path)
    assert err.value.field == str(path)
    assert f"schema version {SCHEMA_VERSION + 1}" in str(err.value)


@pytest.mark.parametrize("kind", ["text", "other_sqlite", "directory", "missing_folder"])
def test_files_that_are_not_ours_are_refused(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "thing.db"
    if kind == "text":
        path.write_text("name,value\n" * 200)
    elif kind == "other_sqlite":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.close()
    elif kind == "directory":
        path.mkdir()
    else:
        path = tmp_path / "nowhere" / "thing.db"
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(StorageError) as err:
        SQLiteStorage(path)
    assert err.value.field == str(path)
    assert str(err.value).startswith(f"{path}: ")
    if before is not None:
        assert path.read_bytes() == before  # refused without touching the file


def _damaged(path: Path, how: str) -> None:
    """A filled study file at ``path``, then damaged the way ``how`` says."""
    with SQLiteStorage(path) as storage:
        _fill(storage)
    damage(path, how)


@pytest.mark.parametrize(("how", "said"), [
    ("truncated", "is damaged (SQLite: database disk image is malformed)"),
    ("config", "is damaged: the config of study 's' is not valid JSON"),
    ("params", "is damaged: the params of trial 1 is not valid JSON"),
    ("table", "is damaged: its table 'epochs' is missing"),
])
def test_a_damaged_file_is_one_storage_error_naming_it(tmp_path: Path, how: str,
                                                        said: str) -> None:
    path = tmp_path / "s.db"
    _damaged(path, how)
    with pytest.raises(StorageError) as err, SQLiteStorage(path) as storage:
        storage.get_trials(storage.get_study("s").study_id)
    assert str(err.value).startswith(f"{path}: {said}")
    assert "restore it from a backup" in str(err.value)


_WRITER = textwrap.dedent(
    """
    import sys
    from desktop_app.core.study import EpochRow, SQLiteStorage, TrialState
    storage = SQLiteStorage(sys.argv[1])
    sid = storage.create_study("k", {}).study_id
    while True:
        number = storage.create_trial(sid, {"lr": 0.1}, seed=0).number
        storage.set_trial_running(sid, number)
        for epoch in range(1, 6):
            storage.add_epoch(sid, EpochRow(number, epoch, 1.0 / epoch, 0.5, 2.0, 0.25, 0.01))
        storage.finish_trial(sid, number, TrialState.COMPLETE)
        print(number, flush=True)
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kill_9_keeps_every_finished_trial_with_its_epochs(tmp_path: Path) -> None:
    path = tmp_path / "killed.db"
    child = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert child.stdout is not None
        acknowledged = 0
        while acknowledged < 200:
            acknowledged = int(child.stdout.readline())
        os.kill(child.pid, signal.SIGKILL)  # while it keeps writing trials
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
    assert Path(f"{path}-wal").exists()  # the commits were still only in the WAL
    with SQLiteStorage(path) as storage:
        sid = storage.get_study("k").study_id
        finished = storage.get_trials(sid, [TrialState.COMPLETE])
        assert [t.number for t in finished][: acknowledged + 1] == list(range(acknowledged + 1))
        for trial in finished:
            assert [r.epoch for r in storage.get_epochs(sid, trial.number)] == [1, 2, 3, 4, 5]
            assert trial.epochs == 5 and trial.metrics["train_loss"] == 1.0 / 5
        for trial in storage.get_trials(sid, [TrialState.RUNNING]):  # at most the last one
            epochs = [r.epoch for r in storage.get_epochs(sid, trial.number)]
            assert epochs == list(range(1, trial.epochs + 1))


@pytest.mark.parametrize("epoch", [False, True])
def test_a_start_or_an_epoch_reaches_other_connections_without_another_write(
        tmp_path: Path, epoch: bool) -> None:
    path = tmp_path / "s.db"
    with SQLiteStorage(path) as writer, SQLiteStorage(path) as reader:
        sid = writer.create_study("s", {}).study_id
        writer.create_trial(sid, {}, 0)
        writer.set_trial_running(sid, 0)
        if epoch:
            writer.add_epoch(sid, _row(0, 1))
        deadline = time.monotonic() + 30  # a wait, not a timing: EPOCH_FLUSH_SECONDS is 0.1
        while (reader.get_trial(sid, 0).epochs, reader.get_trial(sid, 0).state) != (
                int(epoch), TrialState.RUNNING):
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert reader.get_epochs(sid) == ([_row(0, 1)] if epoch else [])


def test_a_batch_is_one_commit_other_connections_see_when_it_ends(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with SQLiteStorage(path) as writer, SQLiteStorage(path) as reader:
        sid = writer.create_study("s", {}).study_id
        with writer.batch():
            writer.create_trial(sid, {}, 0)
            writer.set_trial_running(sid, 0)
            writer.add_epoch(sid, _row(0, 1))
            writer.finish_trial(sid, 0, TrialState.COMPLETE)
            assert reader.get_trials(sid) == []  # not committed yet
        assert reader.get_trial(sid, 0).state is TrialState.COMPLETE
        assert reader.get_epochs(sid) == [_row(0, 1)]


def test_a_batch_that_raises_is_rolled_back_whole(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with SQLiteStorage(path) as writer:
        sid = writer.create_study("s", {}).study_id
        writer.create_trial(sid, {}, 0)
        with pytest.raises(RuntimeError), writer.batch():
            writer.create_trial(sid, {}, 1)
            writer.finish_trial(sid, 0, TrialState.FAILED, "x")
            raise RuntimeError("the caller failed")
        writer.create_trial(sid, {}, 2)  # the store goes on: the next number is 1 again
    with SQLiteStorage(path) as reader:
        assert [(t.number, t.state) for t in reader.get_trials(sid)] == [
            (0, TrialState.WAITING), (1, TrialState.WAITING)]
