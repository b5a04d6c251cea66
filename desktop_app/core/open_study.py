"""The study file a session works on: its storage, path and study name, and whether Resume
can continue it (finished trials counted against the budget). No Qt: the window holds one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.config import StudyConfig, parse_config
from desktop_app.core.errors import CaviarError
from desktop_app.core.study import FINISHED_STATES, SQLiteStorage, Storage, StorageError
from desktop_app.core.study.schema import not_a_study


class StudyFileError(CaviarError):
    """A study file cannot be opened; ``str(err)`` is the whole message."""

    def __init__(self, problem: str) -> None:
        super().__init__("", problem)


@dataclass(frozen=True)
class StoredStudy:
    """A study as stored: its validated config, its id and how far its trials got."""

    name: str
    study_id: int
    config: StudyConfig
    trials: int
    finished: int

    @property
    def budget(self) -> int:
        """Finished trials the study aims for."""
        return self.config.budget()

    @property
    def resumable(self) -> bool:
        """True while fewer trials finished than the budget asks."""
        return self.finished < self.budget


def _read(storage: Storage, name: str) -> StoredStudy:
    """The stored study ``name`` of ``storage``; its config is checked by the core."""
    record = storage.get_study(name)
    config = parse_config(record.config)
    trials = storage.count_trials(record.study_id)
    done = storage.count_trials(record.study_id, FINISHED_STATES)
    return StoredStudy(name, record.study_id, config, trials, done)


class OpenStudy:
    """Which study file is open, under which study name, and whether Resume may continue it.

    ``path`` may be set with nothing open yet: the file the next run creates. ``name`` is the
    study shown: the one opened, or the one a run started.
    """

    def __init__(self) -> None:
        self.storage: Storage | None = None
        self.path: Path | None = None
        self.name: str | None = None
        self._resumable = False

    @property
    def is_open(self) -> bool:
        """True while a study file is open."""
        return self.storage is not None

    @property
    def has_study(self) -> bool:
        """True when an open file and a study name say which study is shown."""
        return self.storage is not None and self.name is not None

    @property
    def resumable(self) -> bool:
        """True when the open study has not finished its budget (Resume continues it)."""
        return self._resumable and self.storage is not None

    def open(self, path: str | Path,
             choose: Callable[[list[str]], str | None] | None = None) -> StoredStudy | None:
        """Open the study file ``path`` and one of its studies (``choose`` picks among the
        names; by default the last). None when the choice is cancelled; a file that cannot be
        opened raises :class:`StudyFileError`. What was open is closed only on success."""
        path = Path(path)
        if not path.exists():
            raise StudyFileError(f"{path}: no such file")
        if (problem := not_a_study(path)) is not None:
            raise StudyFileError(problem)
        try:
            storage = SQLiteStorage(path)
        except (CaviarError, OSError) as exc:
            raise StudyFileError(str(exc)) from exc
        try:
            stored = self._pick(storage, path, choose or (lambda names: names[-1]))
        except BaseException:
            storage.close()
            raise
        if stored is None:
            storage.close()
            return None
        self.close()
        self.storage, self.path, self.name = storage, path, stored.name
        self._resumable = stored.resumable
        return stored

    @staticmethod
    def _pick(storage: Storage, path: Path,
              choose: Callable[[list[str]], str | None]) -> StoredStudy | None:
        try:
            names = [s.name for s in storage.list_studies()]
        except CaviarError as exc:  # a damaged file: its error names it
            raise StudyFileError(str(exc)) from exc
        if not names:
            raise StudyFileError(f"{path.name}: holds no study yet")
        name = choose(names)
        if name is None:
            return None
        try:
            return _read(storage, name)
        except StorageError as exc:
            raise StudyFileError(str(exc)) from exc
        except CaviarError as exc:
            raise StudyFileError(f"{path.name}: study {name!r}: {exc}") from exc

    def stored(self) -> StoredStudy:
        """The shown study as stored now (raises :class:`CaviarError` for a bad config)."""
        if self.storage is None or self.name is None:
            raise StudyFileError("no study is open")
        return _read(self.storage, self.name)

    def use_file(self, path: Path | None) -> None:
        """Close what is open; the next run stores its study in ``path`` (None: anywhere)."""
        self.close()
        self.path = path

    def create(self, path: Path) -> Storage:
        """Open (creating it and its folder) the study file ``path`` for a new run, closing
        what was open; raises :class:`CaviarError` or :class:`OSError` when it cannot be
        (and then nothing changes)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        storage = SQLiteStorage(path)
        self.close()
        self.storage, self.path = storage, path
        return storage

    def started(self, name: str) -> None:
        """A run of study ``name`` started: it is the study shown now."""
        self.name = name

    def sweep_ended(self, finished: int, budget: int) -> None:
        """A run ended with ``finished`` of ``budget`` trials: resumable while short of it."""
        self._resumable = finished < budget

    def close(self) -> None:
        """Close the study file and forget it (path, name, resumability)."""
        if self.storage is not None:
            self.storage.close()
        self.storage = self.path = self.name = None
        self._resumable = False
