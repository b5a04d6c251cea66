"""Storages the bridge refuses, each with one line naming the file (and study), and never a
write into a storage it only reads."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import optuna
import pytest

from desktop_app.core.optuna_bridge import (
    OptunaStorageError,
    export_study,
    kind_of,
    open_source,
    study_names,
)
from desktop_app.core.study import SQLiteStorage
from tests.core.optuna_bridge.helpers import journal, optuna_study


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line(exc: pytest.ExceptionInfo, start: str) -> str:
    text = str(exc.value)
    assert text.startswith(start) and "\n" not in text
    return text


def test_kinds_are_told_apart_by_contents(tmp_path: Path) -> None:
    optuna.create_study(storage=f"sqlite:///{tmp_path / 'o.db'}")
    optuna.create_study(storage=journal(tmp_path / "o.txt"))
    SQLiteStorage(tmp_path / "c.db").close()
    (tmp_path / "notes.db").write_text("hello\n")
    sqlite3.connect(tmp_path / "other.db").execute("CREATE TABLE t (x)").connection.close()
    assert [kind_of(tmp_path / n) for n in ("o.db", "o.txt", "c.db", "notes.db", "other.db",
                                            "missing.db")] == [
        "optuna-rdb", "optuna-journal", "caviar", "", "", ""]


@pytest.mark.parametrize("name, problem", [
    ("notes.log", "is neither an Optuna storage"),
    ("other.db", "is neither an Optuna storage"),
    ("c.db", "is a Caviar study file, not an Optuna storage"),
    ("missing.db", "no such file"),
])
def test_not_an_optuna_storage(tmp_path: Path, name: str, problem: str) -> None:
    (tmp_path / "notes.log").write_text("not json\n")
    sqlite3.connect(tmp_path / "other.db").execute("CREATE TABLE t (x)").connection.close()
    SQLiteStorage(tmp_path / "c.db").close()
    with pytest.raises(OptunaStorageError) as exc:
        study_names(str(tmp_path / name))
    assert problem in _one_line(exc, str(tmp_path / name))


def test_unknown_study_names_the_studies(tmp_path: Path) -> None:
    path = tmp_path / "o.db"
    optuna_study(f"sqlite:///{path}", trials=2)
    with pytest.raises(OptunaStorageError) as exc:
        open_source(str(path), "nope")
    assert _one_line(exc, f"{path}: ").endswith("no study named 'nope'; studies: opt")


def test_a_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    optuna_study(f"sqlite:///{path}", trials=2)
    with sqlite3.connect(path) as conn:  # as a future Optuna would stamp it
        conn.execute("UPDATE alembic_version SET version_num = 'v9.9.9.a'")
    conn.close()
    before = _digest(path)
    with pytest.raises(OptunaStorageError) as exc:
        open_source(str(path), "opt")
    assert "newer schema than Optuna" in _one_line(exc, str(path))
    assert _digest(path) == before


def test_reading_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "o.db"
    optuna_study(f"sqlite:///{path}", trials=3)
    files, before = sorted(tmp_path.iterdir()), _digest(path)
    source = open_source(f"sqlite:///{path}", "opt")
    assert len(source.trials()) == 3
    study_id = source.storage.get_study_id_from_name("opt")
    with pytest.raises(optuna.exceptions.StorageInternalError) as exc:  # SQLite refuses
        source.storage.set_study_user_attr(study_id, "x", 1)
    assert "readonly" in str(exc.value.__cause__)
    source.close()
    assert sorted(tmp_path.iterdir()) == files and _digest(path) == before


def test_export_refuses_a_taken_name_and_a_caviar_file(tmp_path: Path) -> None:
    caviar = SQLiteStorage(tmp_path / "c.db")
    caviar.create_study("s", {"study": {"name": "s", "metric": "val_loss"}, "params": {}})
    out = tmp_path / "out.db"
    optuna.create_study(storage=f"sqlite:///{out}", study_name="s")
    with pytest.raises(OptunaStorageError) as exc:
        export_study(caviar, "s", str(out))
    assert "holds a study named 's' already" in _one_line(exc, str(out))
    with pytest.raises(OptunaStorageError) as exc:
        export_study(caviar, "s", str(tmp_path / "c.db"))
    assert "is not an Optuna storage" in _one_line(exc, str(tmp_path / "c.db"))
    with pytest.raises(OptunaStorageError) as exc:
        export_study(caviar, "s", str(tmp_path / "no" / "o.log"))
    assert "no such folder" in _one_line(exc, str(tmp_path / "no" / "o.log"))
    caviar.close()
