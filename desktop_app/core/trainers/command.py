"""Run the user's program as a trainer: ``CAVIAR {json}`` lines are its epochs.

The hyperparameters reach it as ``{name}`` substitutions in its arguments and as one JSON
object in ``CAVIAR_PARAMS``. Every line it prints that is not a report is kept as the trial's
log (bounded). It runs in a process group of its own: a stopped or pruned trial's program gets
SIGTERM, then SIGKILL after :data:`GRACE_SECONDS`, and the whole group is gone well within 2 s.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from typing import Any

from desktop_app.core.trainers.handle import TrainerFailed, TrialHandle
from desktop_app.core.trainers.spec import TRIAL_NUMBER, TrainerSpec

PREFIX = "CAVIAR "
"""A report line: the word CAVIAR, a space, a JSON object with an integer ``epoch``."""
GRACE_SECONDS = 1.0
"""How long a stopped program has between SIGTERM and SIGKILL."""
POLL_SECONDS = 0.05
TAIL_LINES = 20
_POSIX = hasattr(os, "killpg")
_WAITING = object()


def run_command(spec: TrainerSpec, params: dict[str, Any], trial: TrialHandle) -> None:
    """Run the program for one trial until it exits or the trial should stop.

    :class:`TrainerFailed` when it cannot start, exits non-zero (with its last lines), or
    prints a report line that is not usable.
    """
    argv = spec.argv({**params, TRIAL_NUMBER: trial.number})
    env = {**os.environ, "CAVIAR_PARAMS": json.dumps(params), "PYTHONUNBUFFERED": "1",
           "CAVIAR_TRIAL_NUMBER": str(trial.number), "CAVIAR_STUDY": trial.study}
    try:
        process = subprocess.Popen(
            argv, cwd=spec.workdir or None, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
            bufsize=1, **_own_group(),
        )
    except OSError as exc:
        raise TrainerFailed(f"cannot start {argv[0]!r}: {exc}") from None
    lines: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_read, args=(process, lines), daemon=True,
                              name=f"caviar-trial-{trial.number}-output")
    reader.start()
    try:
        _follow(process, lines, trial)
    finally:
        _end(process)
        reader.join(GRACE_SECONDS)
    while isinstance(line := _next(lines, 0), str):  # what it printed while it was stopped
        trial.log(line)
    if process.returncode != 0 and not trial.should_stop():
        tail = "\n".join(trial.log_tail.last(TAIL_LINES))
        said = f"; its last lines:\n{tail}" if tail else " (it printed nothing)"
        raise TrainerFailed(f"{_exit_text(process.returncode)}: {' '.join(argv)}{said}")


def _follow(process: subprocess.Popen[str], lines: queue.Queue[str | None],
            trial: TrialHandle) -> None:
    """Turn output lines into reports and log lines until EOF or a stop."""
    while not trial.should_stop():
        line = _next(lines, POLL_SECONDS)
        if line is None:  # end of output: the program exited (or closed it)
            return
        if line is _WAITING:
            continue
        assert isinstance(line, str)
        if line.startswith(PREFIX + "{"):
            _report(line, trial)
        else:
            trial.log(line)


def _report(line: str, trial: TrialHandle) -> None:
    try:
        values = json.loads(line[len(PREFIX):])
        if not isinstance(values, dict):
            raise ValueError("not a JSON object")
        epoch = values.pop("epoch")
        trial.report(epoch, **values)
    except (ValueError, KeyError, TypeError) as exc:
        reason = "no \"epoch\"" if isinstance(exc, KeyError) else str(exc)
        raise TrainerFailed(f"the program printed a report line Caviar cannot use ({reason}):"
                            f"\n{line}\nprint one JSON object with an integer epoch, e.g. "
                            'CAVIAR {"epoch": 3, "val_loss": 0.21}') from None


def _read(process: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
    """The reader thread: every output line (newline stripped), then None at EOF."""
    assert process.stdout is not None
    with contextlib.suppress(OSError, ValueError):
        for line in process.stdout:
            lines.put(line.rstrip("\r\n"))
    lines.put(None)
    process.stdout.close()


def _next(lines: queue.Queue[str | None], timeout: float) -> str | object | None:
    """The next line, None at the end of the output, :data:`_WAITING` if none came in time."""
    try:
        return lines.get(timeout=timeout) if timeout else lines.get_nowait()
    except queue.Empty:
        return _WAITING


def _own_group() -> dict[str, Any]:
    """Popen arguments that start the program in a process group of its own."""
    if _POSIX:
        return {"start_new_session": True}
    return {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}


def _end(process: subprocess.Popen[str]) -> None:
    """Make sure the program and everything it started are gone: SIGTERM to the group, wait
    :data:`GRACE_SECONDS`, then SIGKILL (also after a normal exit, for leftover children)."""
    if process.poll() is None:
        _signal_group(process, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(GRACE_SECONDS)
    _signal_group(process, getattr(signal, "SIGKILL", signal.SIGTERM))
    process.wait()


def _signal_group(process: subprocess.Popen[str], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
        if _POSIX:
            os.killpg(process.pid, sig)
        elif sig == signal.SIGTERM:
            process.terminate()
        else:
            process.kill()


def _exit_text(code: int) -> str:
    if code < 0 and sys.platform != "win32":
        with contextlib.suppress(ValueError):
            return f"the program was killed by {signal.Signals(-code).name}"
    return f"the program exited with status {code}"
