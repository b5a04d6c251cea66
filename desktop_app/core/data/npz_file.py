"""Read a user's NPZ file: arrays ``X`` (m, n) and ``y`` (m,), never unpickling.

Optional string arrays ``feature_names`` (n,) and ``class_names`` (one per distinct label, in
sorted label order) give the columns and classes readable names. Labels may be numbers or
text. Errors name the array and, for bad values, the 0-based ``X[row, column]`` index.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from desktop_app.core.data.dataset import Dataset, frozen
from desktop_app.core.data.labels import encode_labels
from desktop_app.core.errors import DataError


def _arrays(path: Path) -> dict[str, np.ndarray]:
    """All arrays in the archive, loaded without pickle."""
    file = path.name
    if not zipfile.is_zipfile(path):
        raise DataError(file, "is not a valid .npz file (not a zip archive); save it with "
                        "numpy.savez")
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in archive.files}
    except ValueError as err:
        if "allow_pickle" in str(err):
            raise DataError(file, "holds Python objects (pickled arrays); save plain numeric or "
                            "string arrays with numpy.savez") from None
        raise DataError(file, f"is not a valid .npz file ({err})") from None
    except (zipfile.BadZipFile, EOFError):
        raise DataError(file, "is not a valid .npz file; save it with numpy.savez") from None
    except OSError as err:
        raise DataError(file, f"cannot be read ({err.strerror or err}): check the path") from None
    not_arrays = [key for key, value in arrays.items() if not isinstance(value, np.ndarray)]
    if not_arrays:
        raise DataError(file, f"member {not_arrays[0]!r} is not a numpy array (a zip archive "
                        "but not one numpy wrote); save the data with numpy.savez")
    return arrays


def _names(arrays: dict[str, np.ndarray], key: str, count: int, file: str) -> tuple[str, ...]:
    """The optional name array ``key`` as a tuple of ``count`` strings (empty when absent)."""
    if key not in arrays:
        return ()
    names = arrays[key]
    if names.ndim != 1 or names.shape[0] != count:
        raise DataError(f"{file}: array {key}", f"has shape {names.shape} but needs {count} "
                        "names; fix or drop it")
    return tuple(str(n) for n in names)


def read_npz(path: Path) -> Dataset:
    """The dataset in NPZ file ``path``; DataError naming the file and array if bad."""
    file = path.name
    arrays = _arrays(path)
    missing = [key for key in ("X", "y") if key not in arrays]
    if missing:
        found = ", ".join(arrays) or "none"
        raise DataError(file, f"has no array {' or '.join(missing)} (arrays found: {found}); "
                        "save with numpy.savez(path, X=features, y=labels)")
    X, y = arrays["X"], arrays["y"]
    if X.ndim != 2 or X.shape[1] == 0:
        raise DataError(f"{file}: array X", f"has shape {X.shape}; it must be 2-D (rows, "
                        "features) with at least one feature")
    if X.shape[0] == 0:
        raise DataError(f"{file}: array X", "has no rows; add some examples")
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise DataError(f"{file}: array y", f"shape mismatch: y has shape {y.shape} but X has "
                        f"{X.shape[0]} rows; y needs one label per row of X, shape "
                        f"({X.shape[0]},)")
    if not (np.issubdtype(X.dtype, np.number) or X.dtype == bool):
        raise DataError(f"{file}: array X", f"has dtype {X.dtype}; features must be numbers")
    X = X.astype(np.float64)
    bad = np.argwhere(~np.isfinite(X))
    if bad.size:
        row, col = (int(i) for i in bad[0])
        what = "missing value (NaN)" if np.isnan(X[row, col]) else "infinite value"
        raise DataError(f"{file}: array X, row {row}, column {col} (0-based)",
                        f"{what}; fill it in or drop the row")
    if not (np.issubdtype(y.dtype, np.number) or y.dtype.kind in "bUS"):
        raise DataError(f"{file}: array y", f"has dtype {y.dtype}; labels must be numbers or text")
    if np.issubdtype(y.dtype, np.number) and not np.isfinite(y).all():
        row = int(np.flatnonzero(~np.isfinite(y))[0])
        raise DataError(f"{file}: array y, row {row} (0-based)",
                        "missing label (NaN); fill it in or drop the row")
    raw = [v.decode() if isinstance(v, bytes) else str(v) for v in y.tolist()]
    codes, class_names = encode_labels(raw, f"{file}: array y")
    features = _names(arrays, "feature_names", X.shape[1], file)
    features = features or tuple(f"x{i + 1}" for i in range(X.shape[1]))
    class_names = _names(arrays, "class_names", len(class_names), file) or class_names
    return Dataset(file, frozen(X), frozen(codes), class_names, features)
