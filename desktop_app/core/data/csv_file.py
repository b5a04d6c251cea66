"""Read a user's CSV file: a header row, numeric feature columns and one label column.

Line numbers in errors count as a person does in an editor: the header is line 1.
The delimiter is whichever of ``,`` ``;`` or tab occurs most in the header (comma on a tie).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from desktop_app.core.data.dataset import Dataset, frozen
from desktop_app.core.data.labels import encode_labels
from desktop_app.core.errors import DataError

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


def read_csv(path: Path, label_column: str | int | None = None) -> Dataset:
    """The dataset in CSV file ``path``; DataError naming the file, line and column if bad."""
    file = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(file, "is not UTF-8 text; save it as UTF-8 CSV") from None
    except OSError as err:
        raise DataError(file, f"cannot be read ({err.strerror}): check the path") from None
    delimiter = _delimiter(text.split("\n", 1)[0])
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter)
    header = [h.strip() for h in next(reader, [])]
    if not any(header):
        raise DataError(file, "is empty; line 1 must be a header row naming the columns")
    if len(header) < 2:
        raise DataError(file, f"line 1: one column only ({header[0]!r}); need feature columns "
                        "and a label column separated by commas")
    label = _label_index(header, label_column, file)
    names = [h or f"column {i}" for i, h in enumerate(header)]
    features = [i for i in range(len(header)) if i != label]
    rows: list[list[float]] = []
    labels: list[str] = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue  # blank line
        line = reader.line_num
        if len(row) != len(header):
            raise DataError(f"{file}: line {line}", f"{len(row)} values, but the header (line 1) "
                            f"names {len(header)} columns; make every row the same length")
        tag = row[label].strip()
        if tag.lower() in _MISSING:
            raise DataError(f"{file}: line {line}, column {names[label]!r}",
                            "missing label; fill it in or delete the row")
        try:
            values = [float(row[i]) for i in features]
        except ValueError:
            values = []
        if not math.isfinite(sum(values)) or not values:  # slow path: find and explain the cell
            values = [_feature(row[i], file, line, names[i]) for i in features]
        rows.append(values)
        labels.append(tag)
    if not rows:
        raise DataError(file, "has no data rows below the header (line 1); add some rows")
    y, class_names = encode_labels(labels, f"{file}: column {names[label]!r}")
    X = np.asarray(rows, dtype=np.float64)
    return Dataset(file, frozen(X), frozen(y), class_names, tuple(names[i] for i in features))
