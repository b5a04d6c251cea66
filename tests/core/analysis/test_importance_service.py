"""The importance process: answers by ticket, a new study starts a new model, a failure is a
note, closing stops it."""

from __future__ import annotations

import os
import signal
import time

from desktop_app.core.analysis.importance_service import ImportanceProcess
from tests.core.analysis.test_importance import SPACE, _trials


def _answer(service: ImportanceProcess, ticket: int):
    results = service.results(timeout=60)
    assert [t for t, _ in results] == [ticket]
    return results[0][1]


def test_the_process_answers_and_keeps_each_studys_trials() -> None:
    service = ImportanceProcess()
    try:
        trials = _trials(60)
        first = _answer(service, service.submit(1, SPACE, "maximize", trials[:30], "ped_anova"))
        assert first.trials == 30 and first.values[0][0] == "learning_rate"
        more = _answer(service, service.submit(1, SPACE, "maximize", trials[30:], "ped_anova"))
        assert more.trials == 60  # the first 30 were kept in the process
        other = _answer(service, service.submit(2, SPACE, "maximize", trials[:5], "ped_anova"))
        assert other.trials == 5  # a new study: a new model
        broken = _answer(service, service.submit(3, SPACE, "sideways", [], "ped_anova"))
        assert "importance could not be computed" in broken.note
        again = _answer(service, service.submit(4, SPACE, "maximize", trials, "ped_anova"))
        assert again.trials == 60  # the process lives on
    finally:
        service.close()
    assert service.results() == []


def test_a_killed_process_is_noticed_and_a_new_one_answers() -> None:
    service = ImportanceProcess()
    try:
        trials = _trials(40)
        assert _answer(service, service.submit(1, SPACE, "maximize", trials, "ped_anova")).trials
        assert not service.lost()
        pid = service.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while not service.lost():
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert service.pid is None  # closed: the next request starts a new process
        again = _answer(service, service.submit(1, SPACE, "maximize", trials, "ped_anova"))
        assert again.trials == 40 and service.pid not in (None, pid)
    finally:
        service.close()
