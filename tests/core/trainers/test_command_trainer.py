"""The user's program as a trainer, run for real: CAVIAR lines are epochs, the rest its log;
a stopped trial's whole process group is gone within 2 s; a failure says why."""

from __future__ import annotations

import os
import signal
import sys
import textwrap
import time
from pathlib import Path

import pytest

from desktop_app.core.trainers import parse_trainer
from tests.core.trainers.helpers import own_task, run

pytestmark = pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups are POSIX")


def _program(folder: Path, body: str, *args: str):
    (folder / "prog.py").write_text(textwrap.dedent(body))
    return parse_trainer({"command": [sys.executable, "prog.py", *args]}, folder)


REPORTS = """
    import json, os, sys
    params = json.loads(os.environ["CAVIAR_PARAMS"])
    print("starting with", sys.argv[1:])
    for epoch in range(1, params["epochs"] + 1):
        print("CAVIAR " + json.dumps({"epoch": epoch, "f1": float(sys.argv[2]) * epoch}))
        print(f"epoch {epoch} of trial {os.environ['CAVIAR_TRIAL_NUMBER']}", file=sys.stderr)
"""


def test_report_lines_are_epochs_and_the_rest_is_the_log(tmp_path: Path) -> None:
    spec = _program(tmp_path, REPORTS, "--width", "{width}")
    epochs, result = run(own_task(spec, number=5, width=0.25))
    assert [(e.epoch, e.extra) for e in epochs] == [(1, {"f1": 0.25}), (2, {"f1": 0.5}),
                                                     (3, {"f1": 0.75})]
    assert (result.state, result.value, result.epochs) == ("complete", 0.75, 3)
    assert result.log.splitlines() == ["starting with ['--width', '0.25']", "epoch 1 of trial 5",
                                       "epoch 2 of trial 5", "epoch 3 of trial 5"]


def test_a_non_zero_exit_fails_with_the_last_lines(tmp_path: Path) -> None:
    spec = _program(tmp_path, """
        print('CAVIAR {"epoch": 1, "f1": 0.5}')
        for i in range(30):
            print("line", i)
        raise SystemExit("cuda error: no device")
    """)
    _, result = run(own_task(spec))
    assert result.state == "failed"
    lines = result.error.splitlines()
    assert lines[0].startswith("the program exited with status 1: ")
    assert lines[-1] == "cuda error: no device" and "line 9" not in result.error
    assert len(lines) == 1 + 20


@pytest.mark.parametrize(("body", "words"), [
    ("print('hello')", "exited without printing a report line"),
    ("print('CAVIAR {not json}')", "report line Caviar cannot use"),
    ("print('CAVIAR {\"loss\": 1}')", 'no "epoch"'),
    ("print('CAVIAR [1, 2]')", "hello"),  # not a report line ("CAVIAR {"): only its log
])
def test_bad_reports_say_what_is_wrong(tmp_path: Path, body: str, words: str) -> None:
    spec = _program(tmp_path, f"print('hello')\n{body}\n")
    _, result = run(own_task(spec))
    assert result.state == "failed"
    assert words in result.error + result.log


STUBBORN = """
    import os, signal, subprocess, sys, time
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a program that ignores the polite ask
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    with open("pids", "w") as out:
        out.write(f"{os.getpid()} {child.pid}")
    for epoch in range(1, 1000):
        print('CAVIAR {"epoch": %d, "f1": 0.5}' % epoch, flush=True)
        time.sleep(0.05)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie is gone for our purpose
        return stat.read().split(")")[-1].split()[0] != "Z"


def test_a_stopped_trial_takes_its_whole_process_group_within_2_s(tmp_path: Path) -> None:
    spec = _program(tmp_path, STUBBORN)
    start = time.monotonic()
    epochs, result = run(own_task(spec), stop_after=3)
    took = time.monotonic() - start
    pids = [int(p) for p in (tmp_path / "pids").read_text().split()]
    deadline = time.monotonic() + 2.0
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(p) for p in pids)
    assert result.state == "interrupted" and len(epochs) >= 3
    assert took < 10


def test_params_reach_the_environment_as_json(tmp_path: Path) -> None:
    spec = _program(tmp_path, """
        import json, os
        p = json.loads(os.environ["CAVIAR_PARAMS"])
        print("CAVIAR " + json.dumps({"epoch": 1, "f1": p["width"], "n": len(p)}))
        print(os.environ["CAVIAR_STUDY"])
    """)
    epochs, result = run(own_task(spec, width=7, mode="fast"))
    assert epochs[0].extra == {"f1": 7.0, "n": 3.0}  # width, mode and the fixed epochs
    assert result.log == "own"


def test_a_program_killed_by_a_signal_says_so(tmp_path: Path) -> None:
    spec = _program(tmp_path, "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n")
    _, result = run(own_task(spec))
    assert result.state == "failed"
    assert result.error.startswith(f"the program was killed by {signal.SIGKILL.name}")
