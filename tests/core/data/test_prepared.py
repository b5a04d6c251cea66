"""Big user files are prepared once and memory-mapped by every process that loads them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from desktop_app.core.data import DataSpec, load_dataset, load_split
from desktop_app.core.data.split import make_split

ROWS = 40_000  # about 1.3 MB of CSV: above the 1 MiB below which nothing is cached

_CHILD = """
import json, sys
import numpy as np
from desktop_app.core.data import DataSpec, load_split
split = load_split(DataSpec(sys.argv[1], seed=int(sys.argv[2])))
base = split.X_train
while base is not None and not isinstance(base, np.memmap):
    base = base.base
print(json.dumps({"mapped": None if base is None else str(base.filename),
                  "sum": float(split.X_train.sum() + split.X_val.sum()),
                  "y": int(split.y_train.sum())}))
"""


def write_csv(folder: Path, seed: int = 0, rows: int = ROWS) -> Path:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((rows, 3))
    y = rng.integers(0, 3, rows)
    path = folder / "big.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("a,b,c,kind\n")
        fh.writelines(f"{a:.6f},{b:.6f},{c:.6f},k{k}\n" for (a, b, c), k in zip(X, y, strict=True))
    return path


def write_npz(folder: Path) -> Path:
    rng = np.random.default_rng(0)
    path = folder / "big.npz"
    np.savez(path, X=rng.standard_normal((ROWS, 4)), y=rng.integers(0, 3, ROWS))
    return path


def mapped_file(array: np.ndarray) -> Path | None:
    """The file ``array`` is memory-mapped from, if any."""
    base = array
    while base is not None and not isinstance(base, np.memmap):
        base = base.base
    return None if base is None else Path(base.filename)


def entries(folder: Path) -> list[str]:
    cache = folder / ".caviar-cache"
    return sorted(p.name for p in cache.iterdir() if p.is_dir()) if cache.exists() else []


def child(path: Path, seed: int = 0) -> dict:
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path), str(seed)],
                          capture_output=True, text=True, check=True, timeout=120)
    return json.loads(done.stdout)


@pytest.mark.parametrize("write", [write_csv, write_npz])
def test_a_big_file_is_loaded_memory_mapped_from_its_prepared_copy(tmp_path: Path, write) -> None:
    spec = DataSpec(str(write(tmp_path)))
    ds, split = load_dataset(spec), load_split(spec)
    cache = tmp_path / ".caviar-cache"
    for array in (ds.X, ds.y, split.X_train, split.y_train, split.X_val, split.y_val):
        assert mapped_file(array).parent.parent == cache
        assert not array.flags.writeable
    expected = make_split(ds, spec.validation_fraction, spec.seed)
    for name in ("X_train", "y_train", "X_val", "y_val"):
        np.testing.assert_array_equal(getattr(split, name), getattr(expected, name))
    assert (split.n_features, split.name) == (ds.X.shape[1], spec.source.rsplit("/", 1)[-1])
    assert split.class_names == ds.class_names and len(ds.class_names) == 3
    assert len(entries(tmp_path)) == 2  # the dataset and this split


def test_a_small_file_gets_no_cache_and_the_csv_reader_keeps_its_results(tmp_path: Path) -> None:
    big = write_csv(tmp_path)
    small = tmp_path / "small"
    small.mkdir()
    (small / "big.csv").write_text("".join(big.read_text().splitlines(True)[:101]))
    ds_small = load_dataset(DataSpec(str(small / "big.csv")))
    assert mapped_file(ds_small.X) is None and not (small / ".caviar-cache").exists()
    ds = load_dataset(DataSpec(str(big)))
    np.testing.assert_array_equal(ds.X[:100], ds_small.X)
    assert ds.feature_names == ("a", "b", "c") and ds.class_names == ("k0", "k1", "k2")
    assert mapped_file(ds.X) is not None


def test_another_process_maps_the_same_prepared_files(tmp_path: Path) -> None:
    path = write_csv(tmp_path)
    split = load_split(DataSpec(str(path)))
    before = {name: (tmp_path / ".caviar-cache" / name).stat().st_mtime_ns
              for name in entries(tmp_path)}
    other = child(path)
    assert Path(other["mapped"]) == mapped_file(split.X_train)
    assert other["sum"] == pytest.approx(float(split.X_train.sum() + split.X_val.sum()))
    after = {name: (tmp_path / ".caviar-cache" / name).stat().st_mtime_ns
             for name in entries(tmp_path)}
    assert after == before  # read, not written again


def test_an_edited_file_is_prepared_again_and_its_old_copy_removed(tmp_path: Path) -> None:
    path = write_csv(tmp_path, seed=0)
    old = load_split(DataSpec(str(path)))
    old_entries = entries(tmp_path)
    write_csv(tmp_path, seed=1)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    other = child(path)
    new = load_split(DataSpec(str(path)))
    assert not np.array_equal(new.X_train, old.X_train)
    assert other["sum"] == pytest.approx(float(new.X_train.sum() + new.X_val.sum()))
    assert len(entries(tmp_path)) == 2 and not set(old_entries) & set(entries(tmp_path))


def test_a_damaged_copy_is_not_used_but_replaced(tmp_path: Path) -> None:
    path = write_csv(tmp_path)
    split = load_split(DataSpec(str(path), seed=3))
    mapped = mapped_file(split.X_train)
    expected = float(split.X_train.sum() + split.X_val.sum())
    cut = mapped.with_name("cut")
    cut.write_bytes(mapped.read_bytes()[:1000])
    os.replace(cut, mapped)  # cut short (a new file: this process's mapping stays whole)
    other = child(path, seed=3)
    assert other["sum"] == pytest.approx(expected)
    assert mapped.stat().st_size > 1000
    (mapped.parent / "entry.json").write_text("{not json", encoding="utf-8")
    assert child(path, seed=3)["sum"] == pytest.approx(expected)
    assert json.loads((mapped.parent / "entry.json").read_text())["part"] == "split"


def test_each_split_setting_has_its_own_copy(tmp_path: Path) -> None:
    path = write_csv(tmp_path)
    a, b = load_split(DataSpec(str(path), seed=0)), load_split(DataSpec(str(path), seed=1))
    c = load_split(DataSpec(str(path), validation_fraction=0.5))
    d = load_split(DataSpec(str(path), label_column="kind"))
    assert not np.array_equal(a.y_val, b.y_val) and len(c.y_val) == ROWS // 2
    np.testing.assert_array_equal(d.X_train, a.X_train)
    assert len({mapped_file(s.X_train) for s in (a, b, c, d)}) == 4


def test_an_unwritable_cache_folder_means_loading_from_memory(tmp_path: Path) -> None:
    path = write_csv(tmp_path)
    blocker = tmp_path / ".caviar-cache"
    blocker.write_text("a file where the folder would go")
    split = load_split(DataSpec(str(path)))
    assert mapped_file(split.X_train) is None and len(split.y_train) + len(split.y_val) == ROWS
    blocker.unlink()
    other = child(path)
    assert other["mapped"] is not None
    assert other["sum"] == pytest.approx(float(split.X_train.sum() + split.X_val.sum()))


def test_processes_loading_at_once_agree_and_leave_one_whole_copy(tmp_path: Path) -> None:
    path = write_csv(tmp_path)
    children = [subprocess.Popen([sys.executable, "-c", _CHILD, str(path), "0"],
                                 stdout=subprocess.PIPE, text=True) for _ in range(3)]
    results = [json.loads(c.communicate(timeout=120)[0]) for c in children]
    assert len({r["sum"] for r in results}) == 1 and len({r["y"] for r in results}) == 1
    assert {r["mapped"] for r in results} <= {str(mapped_file(load_split(DataSpec(str(path)))
                                                              .X_train))}
    cache = tmp_path / ".caviar-cache"
    assert sorted(p.name for p in cache.iterdir() if p.name.endswith(".tmp")) == []
    assert len(entries(tmp_path)) == 2


@pytest.mark.parametrize("source", ["big", "spiral"])
def test_a_float32_split_is_the_float64_one_converted_and_shared(tmp_path: Path,
                                                                 source: str) -> None:
    spec = DataSpec(str(write_csv(tmp_path)) if source == "big" else source)
    wide, narrow = load_split(spec), load_split(spec, dtype="float32")
    for name in ("X_train", "X_val"):
        part = getattr(narrow, name)
        assert part.dtype == np.float32 and not part.flags.writeable
        np.testing.assert_array_equal(part, getattr(wide, name).astype(np.float32))
    np.testing.assert_array_equal(narrow.y_train, wide.y_train)
    assert (narrow.class_names, narrow.n_features) == (wide.class_names, wide.n_features)
    if source == "big":
        assert mapped_file(narrow.X_train) not in (None, mapped_file(wide.X_train))
