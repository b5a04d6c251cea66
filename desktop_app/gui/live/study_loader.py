"""Opening a stored study in the background: blocks of trials read on a Worker.

Measured on a 100,000-trial x 50-epoch file: the trial rows read in ~1 s, the 5 million epoch
rows in ~8 s, and building the window's trials ~0.5 s; per-row ``EpochRow`` objects would
need 2 GB. So the worker reads :data:`BLOCK_TRIALS` trials at a time
(``Storage.get_trial_range``) with their epochs as one float array
(``Storage.get_epoch_array``), and
each block (:mod:`stored_blocks`) joins the :class:`StudyModel` in the GUI thread
(``add_stored``; ~20 ms), so the
window shows the first trials after about a second and stays responsive while the rest
arrive. A file that fails partway (damaged, cut short) keeps what was read and reports one
line naming the file. Python's cyclic garbage collector is paused while the blocks arrive:
its full passes over the growing heap of trials (no cycles among them) took up to 0.4 s each.
The reader rests between blocks (:func:`paced_blocks`) so that the GUI thread gets the GIL.
Afterwards the objects read are left out of the collector's full passes (``gc.freeze``).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator

from PySide6.QtCore import QObject, Signal

from desktop_app.core.study import Storage
from desktop_app.gui.live.stored_blocks import StoredBlock, read_blocks
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.live.worker import Worker

WAIT_MS = 10_000
PACE = 1.0
"""The reader rests this many times as long as it read each block (see :func:`paced_blocks`)."""


def paced_blocks(storage: Storage, study_id: int, total: int) -> Iterator[StoredBlock]:
    """:func:`read_blocks`, resting :data:`PACE` times the CPU time each block took to read.

    Reading holds Python's GIL most of the time (``sqlite3`` builds a tuple per row), and
    the GUI thread had to wait for it: half of the stalls while a 10,000-trial study loaded
    (timer lateness p99 50-90 ms) were waits for the GIL, not work; resting half the time
    brought the p99 to 15-20 ms, for a load that takes longer (no one waits for its end).
    """
    blocks = read_blocks(storage, study_id, total)
    while True:
        start = time.thread_time()  # the reader's own work, not its waits for the GIL
        block = next(blocks, None)
        if block is None:
            return
        yield block
        time.sleep(PACE * (time.thread_time() - start))


class StudyLoader(QObject):
    """Fills a :class:`StudyModel` from a stored study on a :class:`Worker`.

    Signals: ``progress(loaded, total)`` after every block, ``failed(str)`` with the one-line
    error of a file that could not be read to its end, ``done()`` when the loading ended
    (also after a failure or :meth:`cancel`).
    """

    progress = Signal(int, int)
    failed = Signal(str)
    done = Signal()

    def __init__(self, model: StudyModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._worker: Worker | None = None
        self._clearing = False
        model.reset.connect(self._on_model_reset)

    def is_loading(self) -> bool:
        """True while blocks are still being read."""
        return self._worker is not None

    def start(self, storage: Storage, study_id: int, total: int = 0) -> None:
        """Forget the model's trials and load study ``study_id`` (after ``set_study``);
        ``total``: how many trials it holds, for the progress (0: not known)."""
        self.cancel()
        self._clearing = True
        try:
            self._model.clear()
        finally:
            self._clearing = False
        worker = self._worker = Worker(paced_blocks, storage, study_id, total)
        worker.yielded.connect(self._on_block)
        worker.errored.connect(lambda exc: self.failed.emit(str(exc)))
        worker.finished.connect(lambda: self._on_finished(worker))
        gc.disable()
        worker.start("caviar-study-loader")

    def cancel(self) -> None:
        """Stop loading now (blocks not yet shown are dropped); waits for the thread."""
        worker = self._worker
        if worker is None:
            return
        self._worker = None
        _resume_gc()
        worker.abort()
        worker.yielded.disconnect(self._on_block)
        worker.wait(WAIT_MS)

    def _on_model_reset(self) -> None:
        """Another study is shown (a run, a resume, another file): stop filling the model."""
        if not self._clearing:
            self.cancel()

    def _on_block(self, block: StoredBlock) -> None:
        self._model.add_stored(block.records, block.epochs, block.own, block.names)
        self.progress.emit(len(self._model), block.total)

    def _on_finished(self, worker: Worker) -> None:
        if worker is self._worker:
            self._worker = None
            _resume_gc()
            self.done.emit()


def _resume_gc() -> None:
    """Collect again, leaving out what exists now (:func:`gc.freeze`): the trials read hold
    no cycles, and a full pass over 100,000 of them stalled a live sweep afterwards."""
    gc.freeze()
    gc.enable()
