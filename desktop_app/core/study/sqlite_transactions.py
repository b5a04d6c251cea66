"""The connection of a :class:`~desktop_app.core.study.sqlite.SQLiteStorage` and its
transactions: one commit per verb, writes that wait (:mod:`sqlite_pending`), and batches.

One connection per store, shared by threads under one lock. A verb's write is one transaction
(``BEGIN IMMEDIATE`` takes the write lock up front, so it waits for other programs within the
busy timeout instead of failing on a lock upgrade), committed before the verb returns. Inside
:meth:`SQLiteTransactions.batch` the verbs' writes join one transaction, committed when the
block ends: the coordinator stores everything one round of events brings (a trial finishing,
the next one created) with a single commit, about 20 us saved per commit. Each verb inside a
batch is its own savepoint, so a verb that fails leaves nothing half-written.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop_app.core.study.schema import StorageError, connect, storage_errors
from desktop_app.core.study.sqlite_pending import PendingWrites

EPOCH_FLUSH_SECONDS = 0.1
"""Longest a trial's start or an added epoch waits in memory before it is committed."""


class SQLiteTransactions:
    """The connection, its lock, what waits to be written, and how writes are committed."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._conn = connect(self.path)
        self._pending = PendingWrites()
        self._batches = 0  # open batch() blocks (of any thread): their writes do not commit
        self._timer: threading.Timer | None = None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction committed on return, or a savepoint in the open batch's (the lock
        is held by the caller)."""
        conn = self._conn
        with storage_errors(self.path):
            if not conn.in_transaction:
                conn.execute("BEGIN IMMEDIATE")
            if self._batches:
                conn.execute("SAVEPOINT verb")
                try:
                    self._pending.write(conn)
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK TO verb")
                    conn.execute("RELEASE verb")
                    raise
                conn.execute("RELEASE verb")
                self._pending.clear()
                return
            try:
                self._pending.write(conn)
                yield conn
                conn.execute("COMMIT")
                self._pending.clear()
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    @contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction for every write inside (begun at the first of them, so a batch that
        writes nothing takes no lock), committed when the block ends; rolled back if it
        raises. Other programs wait for the write lock meanwhile: keep batches short."""
        with self._lock:
            self._batches += 1
        try:
            yield
        except BaseException:
            with self._lock:
                self._batches -= 1
                if not self._batches and self._conn.in_transaction:
                    self._pending.clear()  # may belong to trials the rollback takes away
                    with storage_errors(self.path):
                        self._conn.execute("ROLLBACK")
            raise
        with self._lock:
            self._batches -= 1
            if not self._batches and self._conn.in_transaction:
                try:
                    with self._write():
                        pass
                except BaseException:  # rolled back (a full disk...): as above
                    self._pending.clear()
                    raise

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """The connection under the lock, what is pending written first; SQLite's errors and
        damaged JSON become one :class:`StorageError` naming the file."""
        with self._lock:
            if self._pending:
                with self._write():
                    pass
            with storage_errors(self.path):
                yield self._conn

    def _commit_later(self) -> None:
        """Commit what is pending within :data:`EPOCH_FLUSH_SECONDS` (the lock is held)."""
        if self._timer is None:
            self._timer = threading.Timer(EPOCH_FLUSH_SECONDS, self._commit_pending)
            self._timer.daemon = True
            self._timer.start()

    def _commit_pending(self) -> None:
        """The timer's commit of what waits; a failure waits for the next write to raise."""
        with self._lock:
            self._timer = None
            if self._pending:
                with contextlib.suppress(StorageError), self._write():
                    pass

    def close(self) -> None:
        """Commit what waits and close the connection (the last one to close folds the WAL
        back into the file)."""
        with self._lock:
            timer, self._timer = self._timer, None
        if timer is not None:  # outside the lock: a firing timer waits for it
            timer.cancel()
            timer.join()
        with self._lock:
            try:
                if self._pending:
                    with self._write():
                        pass
            finally:
                self._conn.close()
