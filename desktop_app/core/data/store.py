"""Prepared arrays kept on disk beside a user's data file, shared by every process through mmap.

Parsing a big CSV file takes seconds and holds the whole set in memory; every trial worker
would do it again. So the first process to load a file (of at least ``MIN_BYTES``) saves what
it prepared as plain ``.npy`` files, and every later load, in any process, memory-maps them
read-only: the pages live once in the operating system's file cache, whatever the number of
workers.

Where: ``<data file's folder>/.caviar-cache/<file name>.<source id>.<part id>/``, one ``.npy``
per array plus ``entry.json``. Beside the data file, because that is the one place every
process (local workers, and Dask workers, which read a copy in their own folder) can find
without being told, and deleting the folder is always safe.

Correct under change:

- the source id hashes the file's resolved path, size and modification time (ns), the part id
  the part's name and the settings it depends on; ``entry.json`` repeats them and a read checks
  them, and every array's dtype and shape, so a stale or damaged entry is never used;
- an entry is written into a temporary folder and renamed into place, so a reader sees either
  nothing or a whole entry; when two processes race, the first rename wins and the other drops
  its copy;
- the file is stat-ed again before writing: one edited while it was being read is not stored;
- when the folder cannot be written (read-only, full disk) the data are simply used from
  memory; a successful write removes the entries of earlier versions of the same file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

CACHE_FOLDER = ".caviar-cache"
MIN_BYTES = 1 << 20  # a smaller file loads in milliseconds: no cache beside it
_VERSION = 1  # bump when the layout or the prepared contents change

Stamp = tuple[str, int, int]
"""(resolved path, mtime_ns, size) of the source file."""
Arrays = dict[str, np.ndarray]
Prepared = tuple[Arrays, dict[str, Any]]
"""The arrays and a JSON-able note (names and counts) that rebuild a Dataset or a Split."""


def _digest(value: object) -> str:
    """A short, stable hash of a JSON-able value (for folder names)."""
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:16]


def _identity(stamp: Stamp, part: str, key: dict[str, Any]) -> dict[str, Any]:
    """What ``entry.json`` must say for the entry to be used (as JSON gives it back)."""
    return json.loads(json.dumps({"version": _VERSION, "source": list(stamp), "part": part,
                                  "key": key}))


def _read(folder: Path, identity: dict[str, Any]) -> Prepared | None:
    """The entry's arrays memory-mapped read-only, or None when absent, stale or damaged."""
    try:
        info = json.loads((folder / "entry.json").read_text(encoding="utf-8"))
        if {name: info.get(name) for name in identity} != identity:
            return None
        arrays = {}
        for name, (dtype, shape) in info["arrays"].items():
            array = np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            if array.dtype.str != dtype or list(array.shape) != shape:
                return None
            arrays[name] = np.asarray(array)  # a plain read-only view of the mapping
        return arrays, info["note"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write(folder: Path, identity: dict[str, Any], info: dict[str, Any], arrays: Arrays) -> None:
    """Write the entry atomically (temporary folder, then rename); OSError if it cannot."""
    folder.parent.mkdir(exist_ok=True)
    ignore = folder.parent / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
    temp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    try:
        for name, array in arrays.items():
            np.save(temp / f"{name}.npy", array, allow_pickle=False)
        (temp / "entry.json").write_text(json.dumps(info), encoding="utf-8")
        try:
            os.rename(temp, folder)
        except OSError:
            if _read(folder, identity) is not None:
                return  # another process stored the same entry first
            shutil.rmtree(folder, ignore_errors=True)  # a damaged entry: replace it
            os.rename(temp, folder)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _remove_stale(folder: Path) -> None:
    """Delete the entries (and abandoned temporary folders) of other versions of the file."""
    file, source_id, _ = folder.name.rsplit(".", 2)
    for other in folder.parent.iterdir():
        name = other.name.removeprefix(".")
        if not name.startswith(f"{file}."):
            continue
        parts = name[len(file) + 1:].split(".")
        ours = len(parts) == 2 or (len(parts) == 4 and parts[3] == "tmp")
        if ours and len(parts[0]) == 16 and parts[0] != source_id:
            shutil.rmtree(other, ignore_errors=True)


def _unchanged(stamp: Stamp) -> bool:
    """True when the source file still has the size and modification time of ``stamp``."""
    try:
        stat = os.stat(stamp[0])
    except OSError:
        return False
    return (stat.st_mtime_ns, stat.st_size) == (stamp[1], stamp[2])


def prepared(stamp: Stamp, part: str, key: dict[str, Any],
             build: Callable[[], Prepared]) -> Prepared:
    """The ``part`` of the source file ``stamp`` names, prepared with the settings ``key``.

    Read from the cache entry when a valid one exists; else ``build()`` it, store it and return
    the stored copy memory-mapped (or the built one when it could not be stored).
    """
    source = Path(stamp[0])
    if stamp[2] < MIN_BYTES:
        return build()
    identity = _identity(stamp, part, key)
    folder = source.parent / CACHE_FOLDER / (
        f"{source.name}.{_digest(identity['source'])}.{_digest([part, identity['key']])}")
    found = _read(folder, identity)
    if found is not None:
        return found
    arrays, note = build()
    if not _unchanged(stamp):
        return arrays, note
    shapes = {name: [array.dtype.str, list(array.shape)] for name, array in arrays.items()}
    try:
        _write(folder, identity, {**identity, "note": note, "arrays": shapes}, arrays)
    except OSError:
        pass  # a read-only folder or a full disk: use the data from memory
    else:
        _remove_stale(folder)
    return _read(folder, identity) or (arrays, note)
