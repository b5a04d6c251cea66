"""OpenStudy: the study file a session works on, without any window."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.config import parse_config
from desktop_app.core.open_study import OpenStudy, StudyFileError
from desktop_app.core.study import SQLiteStorage, TrialState


def _raw(name: str = "lr", trials: int = 4) -> dict[str, Any]:
    return {
        "study": {"name": name, "strategy": "random", "trials": trials, "workers": 1,
                  "executor": "thread"},
        "data": {"dataset": "spiral", "samples": 150},
        "train": {"epochs": 2},
        "params": {"learning_rate": {"scale": "log", "low": 1e-3, "high": 1e-1}},
    }


def _study_file(path: Path, name: str = "lr", states: tuple[TrialState, ...] = (),
                trials: int = 4) -> Path:
    """A .db holding study ``name`` (budget ``trials``) with one trial per state."""
    with SQLiteStorage(path) as storage:
        study = storage.create_study(name, parse_config(_raw(name, trials)).to_dict())
        for state in states:
            storage.create_trial(study.study_id, {"learning_rate": 0.01}, seed=0, state=state)
    return path


@pytest.fixture
def opened():
    study = OpenStudy()
    yield study
    study.close()


def test_nothing_is_open_at_first(opened):
    assert not opened.is_open and not opened.has_study and not opened.resumable
    assert (opened.storage, opened.path, opened.name) == (None, None, None)


def test_open_a_db_gives_its_name_path_config_and_counts(opened, tmp_path):
    done = (TrialState.COMPLETE, TrialState.PRUNED, TrialState.INTERRUPTED)
    db = _study_file(tmp_path / "s.db", states=done)
    stored = opened.open(db)
    assert stored is not None
    assert (opened.path, opened.name) == (db, "lr")
    assert opened.is_open and opened.has_study
    assert stored.config == parse_config(_raw())
    assert (stored.trials, stored.finished, stored.budget) == (3, 2, 4)
    assert stored.study_id == opened.storage.get_study("lr").study_id


def test_short_of_the_budget_is_resumable_and_a_done_budget_is_not(tmp_path):
    short = OpenStudy()
    short.open(_study_file(tmp_path / "short.db", states=(TrialState.COMPLETE,)))
    done = OpenStudy()
    done.open(_study_file(tmp_path / "done.db", states=(TrialState.COMPLETE,) * 2, trials=2))
    assert short.resumable and not done.resumable
    short.sweep_ended(finished=4, budget=4)
    done.sweep_ended(finished=1, budget=3)  # e.g. a stopped run
    assert not short.resumable and done.resumable
    short.close()
    done.close()


def test_choose_picks_among_several_studies_and_none_cancels(opened, tmp_path):
    db = _study_file(tmp_path / "two.db", name="first")
    with SQLiteStorage(db) as storage:
        storage.create_study("second", parse_config(_raw("second")).to_dict())
    seen: list[list[str]] = []
    assert opened.open(db, lambda names: seen.append(names)) is None
    assert seen == [["first", "second"]] and not opened.is_open
    assert opened.open(db).name == "second"  # by default the last
    assert opened.open(db, lambda names: "first").name == "first"
    assert opened.name == "first"


def test_files_that_cannot_be_opened_say_why_and_keep_what_was_open(opened, tmp_path):
    db = _study_file(tmp_path / "good.db")
    opened.open(db)
    with pytest.raises(StudyFileError, match="no such file"):
        opened.open(tmp_path / "gone.db")
    SQLiteStorage(tmp_path / "empty.db").close()
    with pytest.raises(StudyFileError, match=r"^empty\.db: holds no study yet$"):
        opened.open(tmp_path / "empty.db")
    with SQLiteStorage(tmp_path / "bad.db") as storage:
        storage.create_study("broken", {"study": {"trials": 0}})
    with pytest.raises(StudyFileError, match=r"^bad\.db: study 'broken': study\.trials"):
        opened.open(tmp_path / "bad.db")
    assert (opened.path, opened.name) == (db, "lr") and opened.storage.list_studies()


def test_stored_reads_the_shown_study_again(opened, tmp_path):
    db = _study_file(tmp_path / "s.db", states=(TrialState.COMPLETE,))
    opened.open(db)
    opened.storage.create_trial(opened.stored().study_id, {"learning_rate": 0.02}, seed=1,
                                state=TrialState.COMPLETE)
    assert opened.stored().finished == 2
    opened.close()
    with pytest.raises(StudyFileError):
        opened.stored()


def test_a_run_creates_its_file_where_asked_and_names_the_study(opened, tmp_path):
    target = tmp_path / "new" / "sweep.db"
    opened.use_file(target)
    assert opened.path == target and not opened.is_open
    storage = opened.create(opened.path)
    assert target.exists() and opened.storage is storage and opened.path == target
    assert not opened.has_study
    opened.started("sweep")
    assert opened.has_study and opened.name == "sweep"


def test_closing_forgets_everything(opened, tmp_path):
    opened.open(_study_file(tmp_path / "s.db", states=(TrialState.INTERRUPTED,)))
    storage = opened.storage
    opened.close()
    assert not opened.is_open and not opened.has_study and not opened.resumable
    assert (opened.storage, opened.path, opened.name) == (None, None, None)
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        storage.list_studies()
    opened.close()  # closing twice is harmless
