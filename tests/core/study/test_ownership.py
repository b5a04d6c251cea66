"""Study ownership on a study file: one live owner per study, readers free, a dead owner's
lock free again (real processes, real ``kill -9``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop_app.core.study import SQLiteStorage, StudyBusyError
from desktop_app.core.study.ownership import lock_path, take_file_ownership

ROOT = Path(__file__).resolve().parents[3]

_OWNER = textwrap.dedent(
    """
    import sys, time
    from desktop_app.core.study import SQLiteStorage

    storage = SQLiteStorage(sys.argv[1])
    storage.create_study("lr-search", {})
    ownership = storage.own("lr-search")
    print("owned", flush=True)
    time.sleep(60)
    """
)


def _start_owner(path: Path) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-c", _OWNER, str(path)], stdout=subprocess.PIPE,
                             text=True, cwd=ROOT)
    assert child.stdout is not None and child.stdout.readline().strip() == "owned"
    return child


def _lock_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.lock"))


def test_another_process_owning_the_study_is_named_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "runs.db"
    child = _start_owner(path)
    try:
        with SQLiteStorage(path) as storage:
            with pytest.raises(StudyBusyError) as err:
                storage.own("lr-search")
            text = str(err.value)
            assert "\n" not in text
            assert text.startswith(f"{path}: study 'lr-search' is being run by process "
                                   f"{child.pid} on ")
            assert f"-c {path}" in text  # its command line
            assert storage.get_study("lr-search").name == "lr-search"  # reading works meanwhile
    finally:
        child.kill()
        child.wait()
        child.stdout.close()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_an_owner_killed_9_leaves_the_study_free(tmp_path: Path) -> None:
    path = tmp_path / "runs.db"
    child = _start_owner(path)
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL
    child.stdout.close()
    assert len(_lock_files(tmp_path)) == 1  # left behind, but no process holds it
    with SQLiteStorage(path) as storage, storage.own("lr-search"):
        pass
    assert _lock_files(tmp_path) == []  # the owner that releases deletes it


def test_two_connections_in_one_process_are_two_owners(tmp_path: Path) -> None:
    with SQLiteStorage(tmp_path / "a.db") as one, SQLiteStorage(tmp_path / "a.db") as two:
        with one.own("s"):
            with pytest.raises(StudyBusyError, match=f"process {os.getpid()} on "):
                two.own("s")
            with two.own("t"):
                assert len(_lock_files(tmp_path)) == 2
        with two.own("s"):
            pass
    assert _lock_files(tmp_path) == []


@pytest.mark.skipif(os.name == "nt", reason="flock")
def test_a_refusal_waits_for_the_owner_to_say_who_it_is(tmp_path) -> None:
    """Another program locked the file and has not written its name yet: the refusal still
    names it once it does (it writes right after locking)."""
    import fcntl
    import json
    import threading

    db = tmp_path / "s.db"
    path = lock_path(db, "s")
    with open(path, "a+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

        def write() -> None:
            held.write(json.dumps({"pid": 4242, "host": "h", "command": "caviar"}).encode())
            held.flush()
        timer = threading.Timer(0.2, write)
        timer.start()
        with pytest.raises(StudyBusyError, match="being run by process 4242 on h"):
            take_file_ownership(db, "s")
        timer.join()
