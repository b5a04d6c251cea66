"""Best-so-far and EDF: exact values."""

from __future__ import annotations

import numpy as np

from desktop_app.core.analysis import best_so_far, edf

NAN = np.nan


def test_best_so_far_skips_what_does_not_count() -> None:
    values = np.array([NAN, 0.5, 0.3, NAN, 0.7, np.inf])
    np.testing.assert_array_equal(best_so_far(values, "minimize"), [NAN, 0.5, 0.3, 0.3, 0.3, 0.3])
    np.testing.assert_array_equal(best_so_far(values, "maximize"), [NAN, 0.5, 0.5, 0.5, 0.7, 0.7])
    assert best_so_far(np.array([]), "maximize").shape == (0,)


def test_edf_is_a_step_from_one_over_n_to_one() -> None:
    x, y = edf(np.array([0.3, NAN, 0.1, 0.2, 0.2]))
    np.testing.assert_array_equal(x, [0.1, 0.2, 0.2, 0.3])
    np.testing.assert_array_equal(y, [0.25, 0.5, 0.75, 1.0])
    x, y = edf(np.array([NAN]))
    assert x.shape == y.shape == (0,)


def test_a_studys_series_counts_only_complete_finite_values(tmp_path) -> None:
    from desktop_app.core.analysis import read_series
    from desktop_app.core.study import EpochRow, SQLiteStorage, TrialState

    with SQLiteStorage(tmp_path / "s.db") as storage:
        sid = storage.create_study("grid", {"study": {"metric": "val_loss",
                                                       "direction": "minimize"}}).study_id
        for number, (state, loss) in enumerate(((TrialState.COMPLETE, 0.5),
                                                (TrialState.PRUNED, 0.1),
                                                (TrialState.COMPLETE, 0.25))):
            storage.create_trial(sid, {}, seed=number)
            storage.set_trial_running(sid, number)
            storage.add_epoch(sid, EpochRow(number, 1, 1.0, 0.5, loss, 0.5, 0.1, 0.0))
            storage.finish_trial(sid, number, state)
        series = read_series(storage, "grid", "grid (s.db)")
    assert (series.label, series.metric, series.direction) == ("grid (s.db)", "val_loss",
                                                               "minimize")
    np.testing.assert_array_equal(series.numbers, [0, 1, 2])
    np.testing.assert_array_equal(series.values, [0.5, np.nan, 0.25])
