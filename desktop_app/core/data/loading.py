"""load_dataset / load_split: the one entry point from a DataSpec to arrays, memoised.

Results are cached per process on the frozen spec; for a file source the key also holds the
file's resolved path, mtime and size, so an edited file is read again.

A user file of 1 MiB or more is also prepared once for every process: its dataset and split
are saved as ``.npy`` files in ``.caviar-cache/`` beside it and memory-mapped read-only by
each later load (trial workers included), so N workers share one copy in the operating
system's file cache instead of parsing and holding N copies. The cache is keyed on the file's
path, size and mtime and on the spec fields that matter, written atomically, never used when
stale, and skipped when the folder is read-only (:mod:`desktop_app.core.data.store`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from desktop_app.core.data.csv_file import read_csv
from desktop_app.core.data.dataset import Dataset, Split
from desktop_app.core.data.npz_file import read_npz
from desktop_app.core.data.prepared import shared_dataset, shared_split
from desktop_app.core.data.spec import DataSpec
from desktop_app.core.data.split import cast, make_split
from desktop_app.core.data.synthetic import generate
from desktop_app.core.errors import DataError
from desktop_app.core.resources import resource_path

Stamp = tuple[str, int, int] | None


def _stamp(spec: DataSpec) -> Stamp:
    """(resolved path, mtime_ns, size) of a file source; None for a built-in set."""
    if not spec.is_file:
        return None
    path = Path(spec.source).expanduser()
    try:
        stat = path.stat()
    except OSError:
        raise DataError(path.name, f"file not found: {path.resolve()}; check the path") from None
    return str(path.resolve()), stat.st_mtime_ns, stat.st_size


def _read(spec: DataSpec, stamp: Stamp) -> Dataset:
    """The dataset itself, uncached."""
    if stamp is not None:
        path = Path(spec.source).expanduser()
        if path.suffix.lower() == ".npz":
            return read_npz(path)
        return read_csv(path, spec.label_column)
    if spec.source == "iris":
        return read_csv(resource_path("datasets", "iris.csv"), "species")
    if spec.source == "digits":
        return read_npz(resource_path("datasets", "digits.npz"))
    return generate(spec.source, spec.samples, spec.n_classes, spec.noise, spec.seed)


@lru_cache(maxsize=8)
def _cached_dataset(spec: DataSpec, stamp: Stamp) -> Dataset:
    if stamp is None:
        return _read(spec, stamp)
    return shared_dataset(spec, stamp, lambda: _read(spec, stamp))


@lru_cache(maxsize=8)
def _cached_split(spec: DataSpec, stamp: Stamp, dtype: str) -> Split:
    def build() -> Split:
        split = make_split(_cached_dataset(spec, stamp), spec.validation_fraction, spec.seed)
        return split if dtype == "float64" else cast(split, dtype)  # no float64 copy kept

    return build() if stamp is None else shared_split(spec, stamp, dtype, build)


def load_dataset(spec: DataSpec) -> Dataset:
    """The whole dataset ``spec`` names (read-only arrays, shared between callers)."""
    return _cached_dataset(spec, _stamp(spec))


def load_split(spec: DataSpec, dtype: str = "float64") -> Split:
    """The stratified train/validation split of ``spec``, standardised on the training part.

    ``dtype`` is that of the feature arrays: a trial asks for "float32", the engine's, so its
    workers share the very arrays they train on (standardised in float64, then converted).
    """
    return _cached_split(spec, _stamp(spec), dtype)
