"""What the command-line verbs share: the one-line user error, opening a study file and
picking a study in it. Both :mod:`desktop_app.cli` and :mod:`desktop_app.cli_optuna` use it,
so neither imports the other's helpers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop_app.core.study import Storage, StudyRecord


class UserError(Exception):
    """A problem the user can fix; printed as one line, exit status 2."""


def pick_study(storage: Storage, path: Path, name: str | None) -> StudyRecord:
    """The study called ``name`` in ``path`` (or its only one); one line if there is none."""
    studies = storage.list_studies()
    if name is not None:
        for study in studies:
            if study.name == name:
                return study
        raise UserError(f"{path}: no study named {name!r}; studies: "
                        + (", ".join(s.name for s in studies) or "none"))
    if len(studies) == 1:
        return studies[0]
    if not studies:
        raise UserError(f"{path}: no studies in this file")
    raise UserError(f"{path}: holds several studies, choose one with --study: "
                    + ", ".join(s.name for s in studies))


@contextmanager
def user_errors(prefix: str) -> Iterator[None]:
    """Turn the core's input errors into one line prefixed with the file name (a study
    file's errors name their file already)."""
    from desktop_app.core.errors import CaviarError
    from desktop_app.core.study import StorageError

    try:
        yield
    except StorageError as exc:
        raise UserError(str(exc)) from exc
    except CaviarError as exc:
        raise UserError(f"{prefix}: {exc}" if prefix else str(exc)) from exc


@contextmanager
def open_storage(path: Path, must_exist: bool = False) -> Iterator[Storage]:
    """The Caviar study file at ``path``, its problems as one :class:`UserError` line."""
    from desktop_app.core.study import SQLiteStorage, StorageError
    from desktop_app.core.study.schema import not_a_study

    if must_exist and not path.exists():
        raise UserError(f"{path}: no such file")
    if must_exist and (problem := not_a_study(path)) is not None:
        raise UserError(problem)  # opening it would write our tables into someone's file
    try:
        storage = SQLiteStorage(path)
    except StorageError as exc:  # its text starts with the file name already
        raise UserError(optuna_hint(path) or str(exc)) from exc
    except OSError as exc:
        raise UserError(f"{path}: {exc}") from exc
    try:
        with user_errors(str(path)):  # a damaged, read-only or full study file: one line
            yield storage
    finally:
        storage.close()


def optuna_hint(path: Path) -> str:
    """The line for an Optuna storage given where a Caviar study file was expected ('' for
    any other file)."""
    from desktop_app.core.optuna_bridge import kind_of

    if kind_of(path) not in ("optuna-rdb", "optuna-journal"):
        return ""
    return (f"{path}: is an Optuna storage, not a Caviar study file: view it with 'caviar gui "
            f"{path}' or copy a study with 'caviar import {path} -o study.db'")
