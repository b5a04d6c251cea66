"""Read a user's CSV file: a header row, numeric feature columns and one label column.

Line numbers in errors count as a person does in an editor: the header is line 1.
The delimiter is whichever of ``,`` ``;`` or tab occurs most in the header (comma on a tie).

The file is streamed, never held as text: ``numpy.loadtxt`` (numpy's C reader) parses it into
one float64 table, the label column turned into small integers on the way, and the label
column is then squeezed out of that table in place. A file it refuses or whose values are
not all finite is read again row by row with the ``csv`` module (:func:`_exact`), which
either finds the first bad cell and names its line and column or, for the few layouts only
it accepts (lines of spaces, rows of empty cells), returns the data.
"""

from __future__ import annotations

import csv
import itertools
import math
import warnings
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import numpy as np

from desktop_app.core.data.dataset import Dataset, frozen
from desktop_app.core.data.labels import encode_ids
from desktop_app.core.errors import DataError

_BLOCK = 65536  # rows moved at a time when the label column is squeezed out

Rows = tuple[np.ndarray, np.ndarray, list[str]]
"""(X float64, label ids int64, distinct labels): label ``k`` of row ``i`` is
``distinct[ids[i]]``."""

_MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "?"})


def _delimiter(header_line: str) -> str:
    """The most frequent of comma, semicolon and tab in the header line."""
    return max((",", ";", "\t"), key=header_line.count)


def _label_index(header: list[str], label_column: str | int | None, file: str) -> int:
    """Index of the label column: by name, by 0-based index, or the last column."""
    columns = ", ".join(repr(h) for h in header)
    if label_column is None:
        return len(header) - 1
    if isinstance(label_column, int):
        if label_column >= len(header):
            raise DataError(file, f"label column index {label_column} is out of range: the file "
                            f"has {len(header)} columns (0 to {len(header) - 1}): {columns}")
        return label_column
    hits = [i for i, h in enumerate(header) if h == label_column.strip()]
    if not hits:
        raise DataError(file, f"label column {label_column!r} not found; columns are: {columns}")
    if len(hits) > 1:
        raise DataError(file, f"label column {label_column!r} appears {len(hits)} times in the "
                        "header; rename one or give the label column by index")
    return hits[0]


def _feature(text: str, file: str, line: int, column: str) -> float:
    """One feature cell as a finite float, else DataError naming the file, line and column."""
    where = f"{file}: line {line}, column {column!r}"
    cell = text.strip()
    if cell.lower() in _MISSING:
        raise DataError(where, "missing value; fill it in or delete the row")
    try:
        value = float(cell)
    except ValueError:
        raise DataError(where, f"text {cell!r} in a feature column; features must be numbers "
                        "(make this the label column or remove the column)") from None
    if not math.isfinite(value):
        raise DataError(where, f"{cell!r} is not a finite number")
    return value


@contextmanager
def _opened(path: Path) -> Iterator[TextIO]:
    """``path`` open as UTF-8 text; a read or decoding failure anywhere inside is a DataError."""
    file = path.name
    try:
        with path.open(encoding="utf-8-sig") as fh:
            yield fh
    except UnicodeDecodeError:
        raise DataError(file, "is not UTF-8 text; save it as UTF-8 CSV") from None
    except OSError as err:
        raise DataError(file, f"cannot be read ({err.strerror}): check the path") from None


def _drop_column(table: np.ndarray, column: int) -> np.ndarray:
    """``table`` without ``column``, built inside ``table``'s own memory (a block at a time).

    Row ``i`` of the result ends before row ``i + 1`` of the table starts, so a block only
    overwrites rows already moved.
    """
    rows, width = table.shape
    out = table.reshape(-1)[: rows * (width - 1)].reshape(rows, width - 1)
    keep = [i for i in range(width) if i != column]
    for start in range(0, rows, _BLOCK):
        out[start:start + _BLOCK] = table[start:start + _BLOCK, keep]
    return out


def _fast(fh: TextIO, delimiter: str, width: int, label: int) -> Rows | None:
    """The rows left in ``fh``; None when the file needs :func:`_exact` (numpy refuses it,
    or a value is missing or not finite)."""
    seen: dict[str, int] = {}

    def label_id(cell: str) -> int:
        return seen.setdefault(cell.strip(), len(seen))

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "input contained no data"
            table = np.loadtxt(fh, delimiter=delimiter, comments=None, quotechar='"', ndmin=2,
                               converters={label: label_id})
    except UnicodeDecodeError:
        raise
    except ValueError:
        return None
    if table.shape[1] != width or any(tag.lower() in _MISSING for tag in seen):
        return None
    ids = table[:, label].astype(np.int64)
    X = _drop_column(table, label)
    if not np.isfinite(X).all():
        return None
    return X, ids, list(seen)


def _exact(path: Path, delimiter: str, names: list[str], label: int) -> Rows:
    """The data rows read one by one with ``csv``; DataError at the first bad cell."""
    file = path.name
    features = [i for i in range(len(names)) if i != label]
    values, ids = array("d"), array("q")
    seen: dict[str, int] = {}
    with _opened(path) as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        next(reader)
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue  # blank line
            line = reader.line_num
            if len(row) != len(names):
                raise DataError(f"{file}: line {line}", f"{len(row)} values, but the header "
                                f"(line 1) names {len(names)} columns; make every row the same "
                                "length")
            tag = row[label].strip()
            if tag.lower() in _MISSING:
                raise DataError(f"{file}: line {line}, column {names[label]!r}",
                                "missing label; fill it in or delete the row")
            values.extend(_feature(row[i], file, line, names[i]) for i in features)
            ids.append(seen.setdefault(tag, len(seen)))
    X = np.frombuffer(values, dtype=np.float64).reshape(-1, len(features))
    return X, np.frombuffer(ids, dtype=np.int64), list(seen)


def read_csv(path: Path, label_column: str | int | None = None) -> Dataset:
    """The dataset in CSV file ``path``; DataError naming the file, line and column if bad."""
    file = path.name
    with _opened(path) as fh:
        first = fh.readline()
        delimiter = _delimiter(first)
        header = [h.strip() for h in next(csv.reader(itertools.chain([first], fh),
                                                     delimiter=delimiter), [])]
        if not any(header):
            raise DataError(file, "is empty; line 1 must be a header row naming the columns")
        if len(header) < 2:
            raise DataError(file, f"line 1: one column only ({header[0]!r}); need feature "
                            "columns and a label column separated by commas")
        label = _label_index(header, label_column, file)
        names = [h or f"column {i}" for i, h in enumerate(header)]
        rows = _fast(fh, delimiter, len(header), label)
    X, ids, distinct = rows or _exact(path, delimiter, names, label)
    if not len(ids):
        raise DataError(file, "has no data rows below the header (line 1); add some rows")
    y, class_names = encode_ids(ids, distinct, f"{file}: column {names[label]!r}")
    features = tuple(names[i] for i in range(len(names)) if i != label)
    return Dataset(file, frozen(X), frozen(y), class_names, features)
