"""The stratified split and the standardisation fitted on the training part only."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from desktop_app.core.data import DataSpec, load_dataset, load_split
from desktop_app.core.data.dataset import Dataset
from desktop_app.core.data.split import make_split, standardise, stratified_indices


@pytest.mark.parametrize(
    ("source", "samples", "classes", "fraction"),
    [("spiral", 600, 3, 0.2), ("blobs", 97, 5, 0.33), ("iris", 600, 3, 0.1),
     ("digits", 600, 3, 0.25), ("moons", 41, 2, 0.9)],
)
def test_both_parts_hold_each_class_share_within_one_sample(
    source: str, samples: int, classes: int, fraction: float
) -> None:
    spec = DataSpec(source, samples=samples, classes=classes, validation_fraction=fraction)
    ds, split = load_dataset(spec), load_split(spec)
    m = len(ds.y)
    share = np.bincount(ds.y) / m
    assert len(split.y_val) == round(fraction * m)
    assert len(split.y_train) + len(split.y_val) == m
    for part in (split.y_train, split.y_val):
        counts = np.bincount(part, minlength=len(share))
        assert np.all(np.abs(counts - share * len(part)) < 1.0), (counts, share * len(part))
    assert set(split.y_train.tolist()) == set(range(split.n_classes))


def test_split_partitions_the_rows_and_is_seeded() -> None:
    y = np.repeat(np.arange(3), [50, 30, 20])
    train, val = stratified_indices(y, 0.2, seed=4)
    assert np.array_equal(np.sort(np.concatenate([train, val])), np.arange(100))
    again_train, again_val = stratified_indices(y, 0.2, seed=4)
    assert np.array_equal(train, again_train) and np.array_equal(val, again_val)
    assert not np.array_equal(val, stratified_indices(y, 0.2, seed=5)[1])
    assert np.bincount(y[val]).tolist() == [10, 6, 4]


def test_a_class_with_one_row_stays_in_training() -> None:
    y = np.array([0] * 9 + [1])
    train, val = stratified_indices(y, 0.5, seed=0)
    assert 9 in train and len(val) == 5


def test_standardisation_uses_training_statistics_only_exactly() -> None:
    spec = DataSpec("spiral", samples=300, seed=2, validation_fraction=0.3)
    ds, split = load_dataset(spec), load_split(spec)
    train, val = stratified_indices(ds.y, 0.3, seed=2)
    mean, std = ds.X[train].mean(axis=0), ds.X[train].std(axis=0)
    np.testing.assert_array_equal(split.X_train, (ds.X[train] - mean) / std)
    np.testing.assert_array_equal(split.X_val, (ds.X[val] - mean) / std)
    np.testing.assert_array_equal(split.y_train, ds.y[train])
    np.testing.assert_array_equal(split.y_val, ds.y[val])
    assert np.allclose(split.X_train.mean(axis=0), 0) and np.allclose(split.X_train.std(axis=0), 1)
    assert not np.allclose(split.X_val.mean(axis=0), 0, atol=1e-9)  # val was not refitted


def test_validation_outliers_do_not_move_the_scaling() -> None:
    X_train = np.array([[0.0, 5.0], [2.0, 5.0], [4.0, 5.0]])
    X_val = np.array([[1000.0, 7.0]])
    t, v = standardise(X_train, X_val)
    std = np.sqrt(8 / 3)
    np.testing.assert_array_equal(t[:, 0], (X_train[:, 0] - 2.0) / std)
    np.testing.assert_array_equal(v, [[998.0 / std, 2.0]])  # constant feature: divided by 1
    np.testing.assert_array_equal(t[:, 1], [0.0, 0.0, 0.0])


def test_split_metadata_and_dtypes() -> None:
    ds = Dataset("toy", np.arange(40.0).reshape(20, 2), np.repeat(np.arange(2), 10),
                 ("a", "b"), ("f", "g"))
    split = make_split(ds, 0.5, seed=0)
    assert (split.n_features, split.n_classes, split.class_names, split.name) == (
        2, 2, ("a", "b"), "toy")
    assert split.X_train.dtype == np.float64 and split.y_train.dtype == np.int64
    assert not split.X_train.flags.writeable


def test_load_split_is_memoised_and_a_edited_file_reloads(tmp_path: Path) -> None:
    spec = DataSpec("spiral", samples=90)
    assert load_split(spec) is load_split(DataSpec("spiral", samples=90))
    path = tmp_path / "d.csv"
    path.write_text("a,label\n" + "".join(f"{i},{i % 2}\n" for i in range(10)))
    spec = DataSpec(str(path))
    first = load_split(spec)
    assert load_split(spec) is first
    path.write_text("a,label\n" + "".join(f"{i},{i % 2}\n" for i in range(12)))
    os.utime(path, ns=(1, 1))  # a different mtime even on coarse clocks
    assert len(load_split(spec).y_train) + len(load_split(spec).y_val) == 12
