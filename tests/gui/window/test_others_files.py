"""Study files the window did not write itself: one another process (``caviar sweep``) is
writing while the window opens it -- shown as far as it is written, no hang, no traceback,
small or big -- and some other program's SQLite database (or an empty file) -- refused in
one line naming it, its bytes unchanged and nothing left beside it."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from benchmarks.make_big_study import STUDY_NAME
from tests.cli.helpers import finished_count, write_config
from tests.gui.helpers import BIG_TRIALS


@contextmanager
def sweeping(config: Path, storage: Path) -> Iterator[subprocess.Popen]:
    """``caviar sweep config --storage storage`` in a process of its own, stopped at the end
    as a terminal would (SIGTERM: its running trials end interrupted)."""
    sweep = subprocess.Popen([sys.executable, "-m", "desktop_app", "sweep", str(config),
                              "--storage", str(storage)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        yield sweep
    finally:
        if sweep.poll() is None:
            os.killpg(sweep.pid, signal.SIGTERM)
        sweep.communicate(timeout=60)


def test_a_study_being_swept_opens_with_what_is_written(window, qtbot, tmp_path) -> None:
    config = write_config(tmp_path, trials=200, epochs=40, samples=300)
    db = tmp_path / "sweep.db"
    with sweeping(config, db) as sweep:
        qtbot.waitUntil(lambda: finished_count(db) >= 2, timeout=120_000)
        assert window.open_study(db), window.errors
        qtbot.waitUntil(lambda: not window.opening.loader.is_loading(), timeout=30_000)
        assert sweep.poll() is None, sweep.stderr.read()  # it was writing all along
        assert window.errors == []
        assert window.table.model().rowCount() >= 2
        assert window.study_model.best_number() is not None


def test_a_big_study_loads_while_another_process_writes_its_file(window, qtbot, tmp_path,
                                                                 big_file) -> None:
    db = tmp_path / "shared.db"
    shutil.copy(big_file, db)
    config = write_config(tmp_path, trials=200, epochs=40, samples=300)
    with sweeping(config, db) as sweep:  # another study, in the same file
        qtbot.waitUntil(lambda: finished_count(db) > BIG_TRIALS, timeout=120_000)
        with qtbot.waitSignal(window.opening.loader.done, timeout=60_000):
            assert window.open_study(db, STUDY_NAME), window.errors
        assert sweep.poll() is None, sweep.stderr.read()
    assert window.errors == []
    assert window.table.model().rowCount() == BIG_TRIALS


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _other_programs_db(path: Path, wal: bool) -> None:
    with sqlite3.connect(path) as conn:
        if wal:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE bookmarks (url TEXT, title TEXT)")
        conn.executemany("INSERT INTO bookmarks VALUES (?, ?)",
                         [(f"https://example.org/{i}", f"page {i}") for i in range(100)])
    conn.close()


@pytest.mark.parametrize("kind", ["rollback journal", "WAL", "not SQLite", "empty"])
def test_another_programs_file_is_refused_and_left_as_it_was(window, tmp_path, kind) -> None:
    folder = tmp_path / "theirs"
    folder.mkdir()
    path = folder / "places.db"
    if kind == "not SQLite":
        path.write_bytes(b"\x00\x01not a database at all\n" * 200)
    elif kind == "empty":
        path.touch()
    else:
        _other_programs_db(path, wal=kind == "WAL")
    before, files = _digest(path), sorted(folder.iterdir())
    assert not window.open_path(path)
    assert len(window.errors) == 1, window.errors
    line = window.errors[0]
    assert path.name in line and "\n" not in line and "Traceback" not in line
    assert "not a Caviar study" in line or "holds no study" in line
    assert _digest(path) == before
    assert sorted(folder.iterdir()) == files  # no -wal, -shm or journal left beside it
    assert not window.study.is_open
