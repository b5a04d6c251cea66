"""run_trial: real tiny trainings, every outcome a TrialFinished, never an exception."""

import math

import pytest

from desktop_app.core.events import EpochEnded
from desktop_app.core.runner.trial import TRACEBACK_LINES, run_trial
from tests.core.runner.helpers import task


def _run(t, should_stop=lambda: False):
    events: list[EpochEnded] = []
    return run_trial(t, events.append, should_stop), events


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "rmsprop", "adam"])
def test_complete_trial_reports_every_epoch_and_its_value_is_the_last_metric(
    optimizer: str,
) -> None:
    result, events = _run(task(number=2, optimizer=optimizer, learning_rate=0.05))
    assert result.state == "complete", result.error
    assert [e.epoch for e in events] == [1, 2, 3]
    assert all(e.study == "s" and e.number == 2 for e in events)
    assert result.epochs == 3
    assert result.value == events[-1].val_accuracy
    assert result.metrics == {
        "train_loss": events[-1].train_loss, "train_accuracy": events[-1].train_accuracy,
        "val_loss": events[-1].val_loss, "val_accuracy": events[-1].val_accuracy,
    }
    assert result.seconds > 0


def test_same_task_gives_the_same_numbers_and_another_seed_does_not() -> None:
    first, _ = _run(task(seed=11))
    second, _ = _run(task(seed=11))
    other, _ = _run(task(seed=12))
    assert first.metrics == second.metrics
    assert first.metrics != other.metrics


def test_searched_architecture_is_used() -> None:
    # 3 hidden layers of 4 units with batch norm still trains: the values reach the network
    result, events = _run(task(hidden_layers=3, hidden_units=4, batch_norm=True, dropout=0.1,
                               lr_decay=0.5, l2=1e-3))
    assert result.state == "complete", result.error
    # inverse-time decay 0.5: alpha0 / (1 + 0.5 * epoch) for epochs 0, 1, 2
    alpha0 = task().fixed["learning_rate"]
    assert [e.learning_rate for e in events] == pytest.approx(
        [alpha0, alpha0 / 1.5, alpha0 / 2.0])


def test_diverging_learning_rate_ends_as_diverged() -> None:
    result, events = _run(task(optimizer="sgd", learning_rate=1e4))
    assert result.state == "diverged"
    assert result.epochs == len(events) >= 1
    assert result.error == ""


def test_stop_request_interrupts_after_the_current_mini_batch() -> None:
    epochs: list[EpochEnded] = []
    result = run_trial(task(epochs=50), epochs.append, lambda: len(epochs) >= 1)
    assert result.state == "interrupted"
    assert result.epochs == 1 == len(epochs)


def test_trial_stopped_before_it_starts_has_no_epoch_and_nan_value() -> None:
    result, events = _run(task(), should_stop=lambda: True)
    assert (result.state, result.epochs, events) == ("interrupted", 0, [])
    assert math.isnan(result.value)


def test_exception_inside_the_trial_becomes_a_failed_result_with_the_traceback() -> None:
    result, events = _run(task(activation="no_such_activation"))
    assert result.state == "failed"
    lines = result.error.splitlines()
    assert lines[-1].startswith("desktop_app.core.errors.ConfigError: activation:")
    assert "no_such_activation" in lines[-1]
    assert any("network.py" in line for line in lines)
    assert len(lines) <= TRACEBACK_LINES
    assert events == []


def test_failing_report_callback_fails_the_trial_but_does_not_raise() -> None:
    def report(event: EpochEnded) -> None:
        raise BrokenPipeError("the coordinator went away")

    result = run_trial(task(), report, lambda: False)
    assert result.state == "failed"
    assert "BrokenPipeError: the coordinator went away" in result.error
    assert result.epochs == 1  # the epoch ran; reporting it failed


def test_long_traceback_keeps_its_last_lines() -> None:
    def deep(n: int) -> None:  # alternating frames: Python does not fold them away
        if n == 0:
            raise RuntimeError("bottom")
        deeper(n - 1)

    def deeper(n: int) -> None:
        deep(n)

    result = run_trial(task(), lambda event: deep(30), lambda: False)
    lines = result.error.splitlines()
    assert len(lines) == TRACEBACK_LINES
    assert lines[-1] == "RuntimeError: bottom"
