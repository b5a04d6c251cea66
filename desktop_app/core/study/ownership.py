"""One owner per study: the one program that may run it (start, re-run and finish its trials).

Two programs running one study would both take over the other's running trials and write the
same trial's epochs twice, so running a study first takes its ownership, for the whole run;
reading it (the window looking on, ``caviar studies``, ``caviar export``) never does.

On a study file the ownership is an OS file lock (``flock``; ``msvcrt.locking`` on Windows) on
a small lock file beside it, ``<file>.<hash of the study name>.lock``, holding the owner's
process id, host, command line and start time for the refusal message. The OS drops the lock
when its process ends in any way (``kill -9`` included) and a reboot leaves none held, so a
dead owner never blocks its study: the next owner finds the study's trials still marked
running and interrupts them, which re-runs them. The owner deletes the lock file when it
releases the study. A second owner is refused at once (:class:`StudyBusyError`), never queued.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shlex
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, Self

from desktop_app.core.study.schema import StorageError

_WINDOWS = os.name == "nt"
_WINDOWS_LOCK_AT = 1 << 30  # msvcrt locks bytes for reading too: lock one far past the text
HOLDER_WAIT_S = 1.0
"""Longest a refused program waits for the owner to write its name into a just-taken lock."""


class StudyBusyError(StorageError):
    """Another program runs the study; ``field`` names the file, the text the owner."""


class Ownership:
    """The right to run one study, held until :meth:`release` (idempotent)."""

    def __init__(self, release: Callable[[], None]) -> None:
        self._release = release
        self._held = True

    def release(self) -> None:
        """Give the study up, so another program may run it."""
        if self._held:
            self._held = False
            self._release()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class MemoryOwners:
    """Owners of the studies of one in-memory store (one process: names held in a set)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owned: set[str] = set()

    def take(self, name: str) -> Ownership:
        """Own study ``name``; :class:`StudyBusyError` if someone here already runs it."""
        with self._lock:
            if name in self._owned:
                raise StudyBusyError("memory", f"study {name!r} is already being run")
            self._owned.add(name)
        return Ownership(functools.partial(self._drop, name))

    def _drop(self, name: str) -> None:
        with self._lock:
            self._owned.discard(name)


def lock_path(db: Path, name: str) -> Path:
    """The lock file that says who runs study ``name`` of the study file ``db``."""
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]
    return db.with_name(f"{db.name}.{digest}.lock")


def take_file_ownership(db: Path, name: str) -> Ownership:
    """Own study ``name`` of the file ``db``; :class:`StudyBusyError` naming the owner if a
    live process has it (a lock whose process died is free again)."""
    path = lock_path(db, name)
    for _ in range(10):  # another owner may delete the file between our open and our lock
        try:
            handle = open(path, "a+b")  # noqa: SIM115 - kept open while the study is owned
        except OSError as exc:
            raise StorageError(str(db), f"cannot create the lock file {path.name} ({exc}); "
                                        "check the folder is writable") from None
        try:
            locked = _try_lock(handle)
        except OSError as exc:
            handle.close()
            raise StorageError(str(db), f"cannot lock {path.name} ({exc}): this disk does not "
                                        "support file locks; keep the study file on a local "
                                        "disk") from None
        if not locked:
            holder = _holder(handle)
            handle.close()
            raise StudyBusyError(str(db), _busy_text(name, holder))
        if _WINDOWS or _same_file(handle, path):
            _write(handle, name)
            return Ownership(functools.partial(_unlock, handle, path))
        handle.close()
    raise StudyBusyError(str(db), _busy_text(name, {}))


def _try_lock(handle: BinaryIO) -> bool:
    """Lock without waiting: False if another holds it; OSError if locks do not work here."""
    if _WINDOWS:
        import msvcrt

        handle.seek(_WINDOWS_LOCK_AT)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:  # Windows says "locked" as a permission error
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _same_file(handle: BinaryIO, path: Path) -> bool:
    """Is the locked file still the one at ``path`` (not one its last owner deleted)?"""
    try:
        return os.path.samestat(os.fstat(handle.fileno()), os.stat(path))
    except OSError:
        return False


def _write(handle: BinaryIO, name: str) -> None:
    """Say who owns the study, for the message a second program shows."""
    owner = {"study": name, "pid": os.getpid(), "host": socket.gethostname(),
             "command": _command(), "since": time.time()}
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps(owner).encode("utf-8"))
    handle.flush()


def _read(handle: BinaryIO) -> dict[str, Any]:
    with contextlib.suppress(OSError, ValueError):
        handle.seek(0)
        owner = json.loads(handle.read(4096).decode("utf-8"))
        if isinstance(owner, dict):
            return owner
    return {}  # being written this very moment


def _holder(handle: BinaryIO) -> dict[str, Any]:
    """Who holds the lock: the owner writes it right after locking, so an empty file is read
    again for up to :data:`HOLDER_WAIT_S` (a refusal still comes at once, with a name)."""
    deadline = time.monotonic() + HOLDER_WAIT_S
    while not (owner := _read(handle)) and time.monotonic() < deadline:
        time.sleep(0.02)
    return owner


def _unlock(handle: BinaryIO, path: Path) -> None:
    """Delete the lock file while still holding it (POSIX), then let the lock go."""
    with contextlib.suppress(OSError):
        if _WINDOWS:
            import msvcrt

            handle.seek(_WINDOWS_LOCK_AT)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            path.unlink()
    handle.close()
    if _WINDOWS:
        with contextlib.suppress(OSError):
            path.unlink()


def _command() -> str:
    """How the owner was started, as a user would type it (``caviar resume runs.db``)."""
    argv = list(sys.argv) or ["?"]
    if Path(argv[0]).name in ("__main__.py", "caviar", "caviar.exe"):
        argv[0] = "caviar"
    return shlex.join(argv)


def _busy_text(name: str, owner: dict[str, Any]) -> str:
    who = "another process"
    if owner.get("pid"):
        who = f"process {owner['pid']} on {owner.get('host', '?')} ({owner.get('command', '?')}"
        if isinstance(owner.get("since"), int | float):
            who += ", since " + time.strftime("%Y-%m-%d %H:%M", time.localtime(owner["since"]))
        who += ")"
    return (f"study {name!r} is being run by {who}; a study runs in one program at a time: "
            "wait for it to end (or stop it), then resume; viewing and exporting work meanwhile")
