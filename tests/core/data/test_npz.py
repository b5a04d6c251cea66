"""User NPZ files: X and y without pickle; errors name the file and array."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from desktop_app.core.data import DataSpec, load_dataset
from desktop_app.core.errors import DataError


def test_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((30, 4)).astype(np.float32), np.arange(30) % 3
    np.savez(tmp_path / "mine.npz", X=X, y=y)
    ds = load_dataset(DataSpec(str(tmp_path / "mine.npz")))
    np.testing.assert_array_equal(ds.X, X.astype(np.float64))
    np.testing.assert_array_equal(ds.y, y)
    assert ds.X.dtype == np.float64 and ds.y.dtype == np.int64
    assert ds.class_names == ("0", "1", "2") and ds.feature_names == ("x1", "x2", "x3", "x4")
    assert ds.name == "mine.npz"


def test_text_labels_and_optional_names(tmp_path: Path) -> None:
    np.savez_compressed(tmp_path / "n.npz", X=np.arange(8.0).reshape(4, 2),
                        y=np.array(["cat", "dog", "cat", "dog"]),
                        feature_names=np.array(["w", "h"]),
                        class_names=np.array(["Cat", "Dog"]))
    ds = load_dataset(DataSpec(str(tmp_path / "n.npz")))
    assert ds.y.tolist() == [0, 1, 0, 1]
    assert ds.class_names == ("Cat", "Dog") and ds.feature_names == ("w", "h")


ROWS = np.arange(12.0).reshape(6, 2)
LABELS = np.array([0, 1, 0, 1, 0, 1])


@pytest.mark.parametrize(
    ("arrays", "expected"),
    [
        ({"features": ROWS, "y": LABELS}, ["bad.npz", "no array X", "arrays found: features, y"]),
        ({"X": ROWS}, ["bad.npz", "no array y"]),
        ({"X": ROWS, "y": LABELS[:5]}, ["bad.npz: array y", "shape mismatch", "(6,)"]),
        ({"X": ROWS.ravel(), "y": LABELS}, ["bad.npz: array X", "2-D"]),
        ({"X": ROWS[:0], "y": LABELS[:0]}, ["bad.npz: array X", "no rows"]),
        ({"X": np.where(ROWS == 7.0, np.nan, ROWS), "y": LABELS},
         ["bad.npz: array X, row 3, column 1", "missing value"]),
        ({"X": np.array([["a", "b"]] * 6), "y": LABELS}, ["bad.npz: array X", "numbers"]),
        ({"X": ROWS, "y": np.array([0.0, 1, np.nan, 1, 0, 1])},
         ["bad.npz: array y, row 2", "missing label"]),
        ({"X": ROWS, "y": np.zeros(6)}, ["bad.npz: array y", "one class only"]),
        ({"X": ROWS, "y": LABELS, "feature_names": np.array(["a"])},
         ["bad.npz: array feature_names", "needs 2 names"]),
    ],
)
def test_bad_npz_names_file_and_array(tmp_path: Path, arrays: dict, expected: list[str]) -> None:
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(DataError) as info:
        load_dataset(DataSpec(str(tmp_path / "bad.npz")))
    for fragment in expected:
        assert fragment in str(info.value)


def test_pickled_objects_and_non_zip_files_are_refused(tmp_path: Path) -> None:
    np.savez(tmp_path / "obj.npz", X=ROWS, y=np.array([{}, 1, 0, 1, 0, 1], dtype=object))
    with pytest.raises(DataError, match=r"obj\.npz: holds Python objects"):
        load_dataset(DataSpec(str(tmp_path / "obj.npz")))
    (tmp_path / "junk.npz").write_bytes(b"not a zip file at all")
    with pytest.raises(DataError, match=r"junk\.npz: is not a valid \.npz"):
        load_dataset(DataSpec(str(tmp_path / "junk.npz")))


def test_a_zip_whose_members_are_not_arrays_is_a_data_error(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "fake.npz", "w") as archive:
        archive.writestr("X.npy", "not an array")
        archive.writestr("y.npy", "nor this")
    with pytest.raises(DataError, match=r"fake\.npz: member 'X' is not a numpy array"):
        load_dataset(DataSpec(str(tmp_path / "fake.npz")))
