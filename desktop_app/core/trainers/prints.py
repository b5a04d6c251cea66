"""What a trainer function prints becomes its trial's log instead of the terminal's noise.

``sys.stdout``/``sys.stderr`` are replaced once per process by a proxy that routes each write
by thread: a thread running a trial writes into that trial's log, every other thread (the
coordinator, the progress line) to the real stream. So two trials on two thread workers keep
apart, and a process worker's prints never garble the command line's progress line.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator
from typing import Any, TextIO

from desktop_app.core.trainers.handle import LogTail

_LOCK = threading.Lock()


class _Router:
    """A text stream that writes to the current thread's trial log, or to ``real``."""

    def __init__(self, real: TextIO) -> None:
        self.real = real
        self.local = threading.local()

    def _target(self) -> Any:
        return getattr(self.local, "log", None)

    def write(self, text: str) -> int:
        target = self._target()
        if target is None:
            return self.real.write(text)
        target.write(text)
        return len(text)

    def flush(self) -> None:
        if self._target() is None:
            self.real.flush()

    def __getattr__(self, name: str) -> Any:  # encoding, isatty, fileno...: the real stream's
        return getattr(self.real, name)


class _Lines:
    """Collects written text and adds whole lines to a :class:`LogTail`."""

    def __init__(self, tail: LogTail) -> None:
        self.tail = tail
        self.partial = ""

    def write(self, text: str) -> None:
        lines = (self.partial + text).split("\n")
        self.partial = lines.pop()
        for line in lines:
            self.tail.add(line)

    def close(self) -> None:
        if self.partial:
            self.tail.add(self.partial)
            self.partial = ""


def _router(name: str) -> _Router:
    stream = getattr(sys, name)
    if not isinstance(stream, _Router):
        stream = _Router(stream)
        setattr(sys, name, stream)
    return stream


@contextlib.contextmanager
def prints_into(tail: LogTail) -> Iterator[None]:
    """Meanwhile, what this thread prints (stdout and stderr) is added to ``tail``."""
    with _LOCK:
        routers = [_router("stdout"), _router("stderr")]
    lines = _Lines(tail)
    for router in routers:
        router.local.log = lines
    try:
        yield
    finally:
        for router in routers:
            router.local.log = None
        lines.close()
