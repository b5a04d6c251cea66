"""TrialTask and trial seeds."""

import pickle

from desktop_app.core.runner.task import TrialTask, trial_seed
from tests.core.runner.helpers import task


def test_trial_seed_is_pinned_so_stored_studies_keep_meaning() -> None:
    # Exact values: a change here would silently change every resumed study's new trials.
    assert trial_seed(0, 0) == 2856213345
    assert trial_seed(0, 1) == 1863002342
    assert trial_seed(7, 0) == 1220097424
    assert trial_seed(7, 5) == 3402909171


def test_trial_seeds_are_distinct_within_a_study_and_differ_between_studies() -> None:
    seeds = [trial_seed(3, n) for n in range(20_000)]
    assert len(set(seeds)) == len(seeds)
    assert all(0 <= s < 2**32 for s in seeds)
    assert len({trial_seed(s, 0) for s in range(1000)}) == 1000


def test_task_pickles_and_searched_values_override_fixed_ones() -> None:
    t = task(number=4, learning_rate=0.5)
    assert t.fixed["learning_rate"] != 0.5
    assert t.hyperparameters["learning_rate"] == 0.5
    assert t.hyperparameters["epochs"] == t.fixed["epochs"]
    again = pickle.loads(pickle.dumps(t))
    assert isinstance(again, TrialTask)
    assert again == t
