"""Bad input on the command line: one line naming the file and the fix, exit status 2, nothing
created and nothing lost. Real damaged files, a real full disk (a small tmpfs, as root) and a
real read-only file (``chattr +i``); skipped with the reason where the machine cannot."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from desktop_app.cli import main
from desktop_app.core.config import load_config
from desktop_app.core.study import SQLiteStorage
from tests.cli.helpers import finished_count, write_config
from tests.core.study.helpers import damage


def _one_line(capsys: pytest.CaptureFixture) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "Traceback" not in err[0]
    return err[0]


def _write_csv(path: Path, rows: int = 40, label: str | None = None) -> None:
    lines = ["a,b,label"] + [f"{i},{i % 7},{label or 'xy'[i % 2]}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _config_on(tmp_path: Path, dataset: str, trials: int = 2) -> Path:
    config = write_config(tmp_path, trials=trials, epochs=1)
    text = config.read_text().replace('dataset = "spiral"\nsamples = 150', f'dataset = "{dataset}"')
    config.write_text(text)
    return config


def _bad_data(tmp_path: Path, kind: str) -> str:
    """A data file with one problem; returns its name."""
    csv = tmp_path / f"{kind}.csv"
    if kind == "empty":
        csv.write_text("")
    elif kind == "ragged":
        csv.write_text("a,b,label\n1,2,x\n3,4\n")
    elif kind == "text":
        csv.write_text("a,b,label\n1,2,x\n3,foo,y\n")
    elif kind == "nan":
        csv.write_text("a,b,label\n1,2,x\n3,nan,y\n")
    elif kind == "one_class":
        _write_csv(csv, label="c")
    elif kind == "folder":
        csv.mkdir()
    elif kind == "inf":
        np.savez(tmp_path / "inf.npz", X=np.array([[1.0, np.inf]] * 20), y=np.arange(20) % 2)
        return "inf.npz"
    elif kind == "zip_of_text":
        with zipfile.ZipFile(tmp_path / "zip.npz", "w") as archive:
            archive.writestr("X.npy", "not an array")
            archive.writestr("y.npy", "nor this")
        return "zip.npz"
    return csv.name


@pytest.mark.parametrize(("kind", "said"), [
    ("missing", "file not found"), ("empty", "is empty"), ("ragged", "line 3: 2 values"),
    ("text", "line 3, column 'b': text 'foo'"), ("nan", "line 3, column 'b': missing value"),
    ("one_class", "one class only"), ("folder", "cannot be read"),
    ("inf", "row 0, column 1 (0-based): infinite value"),
    ("zip_of_text", "member 'X' is not a numpy array"),
])
def test_bad_data_stops_the_sweep_before_it_starts(tmp_path: Path, capsys, kind, said) -> None:
    name = _bad_data(tmp_path, kind)
    config = _config_on(tmp_path, name)
    assert main(["sweep", str(config)]) == 2
    line = _one_line(capsys)
    assert line.startswith(f"sweep.toml: {name}: ") and said in line
    assert not (tmp_path / "sweep.db").exists()  # no study, no budget used


def test_resume_checks_the_data_before_running_a_trial(tmp_path: Path, capsys) -> None:
    _write_csv(tmp_path / "mine.csv")
    config = _config_on(tmp_path, "mine.csv", trials=3)
    db = tmp_path / "sweep.db"
    with SQLiteStorage(db) as storage:
        storage.create_study("small", load_config(config).to_dict())
    (tmp_path / "mine.csv").write_text("a,b,label\n1,2,x\n3,4\n")
    assert main(["resume", str(db)]) == 2
    assert _one_line(capsys) == ("sweep.db: study 'small': mine.csv: line 3: 2 values, but the "
                                 "header (line 1) names 3 columns; make every row the same length")
    with SQLiteStorage(db) as storage:
        assert storage.get_trials(storage.get_study("small").study_id) == []


def test_when_every_trial_fails_the_first_reason_is_printed(tmp_path, capsys, monkeypatch):
    def broken_fit(*args: object, **kwargs: object) -> None:
        raise ValueError("the network refused to train")

    monkeypatch.setattr("desktop_app.core.trainers.network.fit", broken_fit)
    assert main(["sweep", str(write_config(tmp_path, trials=2, epochs=1))]) == 1
    out = capsys.readouterr().out
    assert "every trial failed; the first, trial 0: ValueError: the network refused to train" in out


def test_empty_params_is_said_and_the_summary_has_no_empty_brackets(tmp_path, capsys) -> None:
    config = tmp_path / "plain.toml"
    config.write_text('[study]\ntrials = 2\nworkers = 1\nexecutor = "thread"\n'
                      '[data]\nsamples = 150\n[train]\nepochs = 1\n')
    assert main(["sweep", str(config)]) == 0
    captured = capsys.readouterr()
    assert "plain.toml: params: none searched" in captured.err
    best = [line for line in captured.out.splitlines() if line.startswith("best trial")]
    assert len(best) == 1 and "()" not in best[0]


# --- damaged study files -----------------------------------------------------------------


@pytest.fixture
def study_db(tmp_path: Path) -> Path:
    assert main(["sweep", str(write_config(tmp_path, trials=3, epochs=1))]) == 0
    return tmp_path / "sweep.db"


@pytest.mark.parametrize(("how", "said"), [
    ("truncated", "is damaged (SQLite: database disk image is malformed)"),
    ("config", "is damaged: the config of study 'small' is not valid JSON"),
    ("params", "is damaged: the params of trial 1 is not valid JSON"),
    ("table", "is damaged: its table 'epochs' is missing"),
])
@pytest.mark.parametrize("verb", ["studies", "resume", "export"])
def test_a_damaged_study_file_is_one_line(study_db: Path, capsys, how, said, verb) -> None:
    capsys.readouterr()
    damage(study_db, how)
    assert main([verb, str(study_db)]) == 2
    line = _one_line(capsys)
    assert line.startswith(f"{study_db}: {said}") and "restore it from a backup" in line


@pytest.mark.parametrize("verb", ["studies", "resume", "export", "report", "weights"])
def test_an_empty_file_is_refused_and_left_empty(tmp_path: Path, capsys, verb) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()  # someone else's empty file: Caviar must not write its tables into it
    assert main([verb, str(empty), *(["-o", str(tmp_path / "out")] if verb in (
        "report", "weights") else [])]) == 2
    assert _one_line(capsys) == f"{empty}: is empty, not a Caviar study file; pick one Caviar wrote"
    assert empty.stat().st_size == 0 and sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]


# --- read-only and full disks ------------------------------------------------------------


@pytest.fixture
def immutable() -> Iterator[list[Path]]:
    """Files made immutable with ``chattr +i`` (root ignores permissions), undone after."""
    made: list[Path] = []
    yield made
    for path in made:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def _make_immutable(path: Path, made: list[Path]) -> None:
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed: cannot make a file read-only for root")
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("this file system does not support chattr +i")
    made.append(path)


def test_a_read_only_study_file_is_one_line(study_db: Path, tmp_path, capsys, immutable) -> None:
    other = tmp_path / "other.toml"
    other.write_text(write_config(tmp_path).read_text().replace('"small"', '"other"'))
    _make_immutable(study_db, immutable)
    capsys.readouterr()
    for args in (["resume", str(study_db)], ["sweep", str(other), "--storage", str(study_db)]):
        assert main(args) == 2
        assert _one_line(capsys) == (f"{study_db}: is read-only: make the file and its folder "
                                     "writable, or work on a copy")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MiB tmpfs mounted in ``tmp_path``: a disk that really fills up."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {done.stderr.decode()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path, leave: int = 0) -> None:
    """Fill the disk of ``folder``, leaving about ``leave`` bytes free."""
    free = shutil.disk_usage(folder).free - leave
    with open(folder / "filler", "wb") as out:
        try:
            out.write(b"\0" * max(free, 0))
            out.flush()
        except OSError:
            pass


def test_export_to_a_bad_place_is_one_line(study_db: Path, tmp_path, capsys) -> None:
    capsys.readouterr()
    assert main(["export", str(study_db), "-o", str(tmp_path / "no" / "r.csv")]) == 2
    assert _one_line(capsys) == (f"{tmp_path / 'no' / 'r.csv'}: no folder "
                                 f"'{tmp_path / 'no'}'; create it or write somewhere else")
    assert main(["export", str(study_db), "-o", str(tmp_path)]) == 2
    assert _one_line(capsys) == f"{tmp_path}: is a folder; give a file name, e.g. results.csv"


def test_export_to_a_full_disk_keeps_the_old_file(study_db: Path, small_disk, capsys) -> None:
    old = small_disk / "r.json"
    old.write_text("my earlier export\n")
    _fill(small_disk)
    capsys.readouterr()
    assert main(["export", str(study_db), "--format", "json", "-o", str(old)]) == 2
    assert _one_line(capsys) == (f"{old}: the disk is full; free some space and export again "
                                 "(nothing was written)")
    assert old.read_text() == "my earlier export\n"
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "r.json"]


def test_a_new_study_file_on_a_full_disk_is_not_left_behind(tmp_path, small_disk, capsys) -> None:
    _fill(small_disk)
    db = small_disk / "new.db"
    assert main(["sweep", str(write_config(tmp_path)), "--storage", str(db)]) == 2
    assert not db.exists()
    assert _one_line(capsys).startswith(f"{db}: the disk is full: free some space")



def test_a_full_disk_mid_sweep_stops_cleanly_and_resumes(tmp_path, small_disk, capsys) -> None:
    config = write_config(tmp_path, trials=30, epochs=4)
    db = small_disk / "sweep.db"
    _fill(small_disk, leave=175_000)  # room for some trials (measured: 150 kB 8, 200 kB 20)
    assert main(["sweep", str(config), "--storage", str(db)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(f"{db}: the disk is full: free some space")
    assert "Traceback" not in "".join(err)
    (small_disk / "filler").unlink()
    kept = finished_count(db)
    assert 1 <= kept < 30  # finished trials are kept
    assert main(["resume", str(db)]) == 0
    assert finished_count(db) == 30


def test_screenshot_refuses_a_config_with_bad_data(tmp_path: Path) -> None:
    pytest.importorskip("PySide6")
    config = _config_on(tmp_path, _bad_data(tmp_path, "ragged"))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, "-m", "desktop_app", "gui", str(config),
                             "--screenshot", str(tmp_path / "shot.png")],
                            capture_output=True, text=True, timeout=240, env=env, check=False)
    assert result.returncode == 2
    assert ("sweep.toml: ragged.csv: line 3: 2 values, but the header (line 1) names 3 columns; "
            "make every row the same length") in result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "shot.png").exists() and not (tmp_path / "sweep.db").exists()
