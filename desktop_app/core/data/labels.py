"""Turn raw class labels (text or numbers) into integers 0..K-1 in sorted order."""

from __future__ import annotations

import math

import numpy as np

from desktop_app.core.errors import DataError


def _number(text: str) -> float | None:
    """``text`` as a finite float, or None when it is not a number."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _name(value: float) -> str:
    """A class name for a numeric label: ``3`` rather than ``3.0``."""
    return str(int(value)) if value.is_integer() else repr(value)


def encode_labels(raw: list[str], where: str) -> tuple[np.ndarray, tuple[str, ...]]:
    """Labels as int64 codes 0..K-1 plus the class names, codes in sorted order.

    If every label is a number they sort numerically ("2" before "10"), else as text.
    ``where`` is the DataError field (the file and the label column). A classifier needs at
    least two classes, and more distinct labels than half the rows means the column holds a
    measurement, not a class.
    """
    seen: dict[str, int] = {}
    ids = np.fromiter((seen.setdefault(text, len(seen)) for text in raw), np.int64, len(raw))
    return encode_ids(ids, list(seen), where)


def encode_ids(
    ids: np.ndarray, distinct: list[str], where: str
) -> tuple[np.ndarray, tuple[str, ...]]:
    """:func:`encode_labels` of the labels ``distinct[ids]``, with the same rules and errors.

    A big file's label column arrives this way, so its rows never become Python strings.
    """
    numbers = [_number(text) for text in distinct]
    if all(n is not None for n in numbers):
        keys = sorted(set(numbers))
        names = tuple(_name(k) for k in keys)
        position = {k: i for i, k in enumerate(keys)}
        rank = [position[n] for n in numbers]
    else:
        names = tuple(sorted(distinct))
        position = {text: i for i, text in enumerate(names)}
        rank = [position[text] for text in distinct]
    if len(names) < 2:
        raise DataError(where, f"one class only (every row has label {names[0]!r}); a classifier "
                        "needs at least 2 classes: check the label column")
    if len(names) > len(ids) / 2:
        raise DataError(where, f"{len(names)} different labels in {len(ids)} rows: this looks "
                        "like a measurement, not a class; choose the class column")
    return np.asarray(rank, dtype=np.int64)[ids], names
