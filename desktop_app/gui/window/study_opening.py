"""Opening a stored study in the window: its trials arrive in the background.

A study of at most :data:`~desktop_app.gui.live.stored_blocks.BLOCK_TRIALS` trials (one
block, well under a second) is shown at once. A bigger one shows the panel, axes and columns
at once while a :class:`StudyLoader` fills the views block by block, the status bar counting
the trials read. A file that cannot be read to its end (damaged, cut short) keeps the trials
read so far and says so in one line naming the file; showing another study, running or
closing the window stops the loading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QObject, QTimer

from desktop_app.core.open_study import StoredStudy
from desktop_app.core.study import StorageError
from desktop_app.gui.live.stored_blocks import BLOCK_TRIALS
from desktop_app.gui.live.study_loader import StudyLoader
from desktop_app.gui.window import status_panel

if TYPE_CHECKING:
    from desktop_app.gui.window.main_window import MainWindow


class StudyOpening(QObject):
    """The window's background loading of the study it opened."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._stored: StoredStudy | None = None
        self.loader = StudyLoader(window.study_model, self)
        self.loader.progress.connect(self._on_progress)
        self.loader.failed.connect(self._on_failed)
        self.loader.done.connect(self._on_done)
        window.table.read_output = self.read_output

    def read_output(self, number: int) -> tuple[str, str] | None:
        """Trial ``number``'s ``(error, log)`` as the shown study's file holds it (None: no
        file, e.g. an Optuna study, or it cannot be read)."""
        storage, name = self._window.study.storage, self._window.study.name
        if storage is None or name is None or self._window.optuna.is_open:
            return None
        try:
            trial = storage.get_trial(storage.get_study(name).study_id, number)
        except (KeyError, StorageError):
            return None
        return trial.error, trial.log

    def start(self, stored: StoredStudy) -> bool:
        """Load ``stored`` from the window's open storage (after ``set_study``). A small study
        is read at once: if it turns out damaged, the error is shown, the study closed and
        False returned; a big one is read in the background (its problems: ``_on_failed``)."""
        storage = self._window.study.storage
        if storage is None:
            return False
        self._stored = stored
        if stored.trials <= BLOCK_TRIALS:
            try:
                self._window.study_model.load(storage, stored.study_id)
            except StorageError as exc:
                self._stored = None
                self._window.study.close()
                self._window.show_error("Cannot open the study", str(exc))
                return False
            self._on_done()
            return True
        self._window.statusBar().showMessage(f"Loading {stored.trials:,} trials…")
        self.loader.start(storage, stored.study_id, stored.trials)
        return True

    def cancel(self) -> None:
        """Stop loading (closing the window)."""
        self.loader.cancel()

    def wait_loaded(self, timeout_ms: int) -> bool:
        """Run an event loop until the study being loaded is all shown (True) or the loading
        fails or times out (False): for ``caviar gui --screenshot``, which has no loop."""
        if self.loader.is_loading():
            loop = QEventLoop()
            for signal in (self.loader.done, self.loader.failed):
                signal.connect(loop.quit)
            QTimer.singleShot(timeout_ms, loop.quit)
            loop.exec()
        return self._stored is not None and not self.loader.is_loading()

    def _on_progress(self, loaded: int, total: int) -> None:
        self._window.statusBar().showMessage(f"Loading trials: {loaded:,} of {total:,}…")

    def _on_failed(self, text: str) -> None:
        self._window.show_error("Cannot read the whole study",
                                f"{text}\nThe trials read before the problem are shown.")

    def _on_done(self) -> None:
        stored, window = self._stored, self._window
        if stored is None:
            return
        window.scatter.flush()  # the last block at once (a deferred rebuild follows by itself)
        window.status.show_stored(stored, window.study_model)
        window.statusBar().showMessage(status_panel.opened_message(stored), 10000)
