"""Load the user's ``train(params, trial)`` function in whichever worker runs the trial.

A function file is run from the text the spec carries (the file as it was when the sweep
started), under the file's own name and path, so tracebacks point into it; its folder joins
``sys.path`` (at the end) where it exists, so its ``import`` of a sibling module works at load
time and inside ``train()``, as under ``python file.py``. Each worker loads it once.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import sys
import threading
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop_app.core.trainers.handle import TrainerFailed
from desktop_app.core.trainers.spec import TrainerSpec, on_path

Trainer = Callable[[dict[str, Any], Any], Any]

_LOCK = threading.Lock()
_LOADED: dict[tuple[str, str], Trainer] = {}


def load_function(spec: TrainerSpec) -> Trainer:
    """The spec's function (cached per process); :class:`TrainerFailed` saying what is wrong."""
    digest = hashlib.sha1(spec.source.encode()).hexdigest()
    key = (spec.function, digest)
    with _LOCK:
        if key not in _LOADED:
            _LOADED[key] = _load(spec, digest)
        return _LOADED[key]


def _load(spec: TrainerSpec, digest: str) -> Trainer:
    target, _, name = spec.function.rpartition(":")
    if spec.file and os.path.isdir(spec.workdir) and spec.workdir not in sys.path:
        sys.path.append(spec.workdir)  # as `python file.py` would: its neighbours import
    with on_path(spec.workdir):
        module = _from_source(target, spec.source, digest) if spec.file else _import(target)
    function = getattr(module, name, None)
    if not callable(function):
        raise TrainerFailed(f"{target} has no function {name!r}")
    return function


def _import(module: str) -> types.ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise TrainerFailed(f"cannot import {module!r} here ({exc}); install it on this "
                            "machine, or give a file as \"file.py:function\"") from exc


def _from_source(path: str, source: str, digest: str) -> types.ModuleType:
    """Run the file's text as a module named after the file (or a unique name if taken)."""
    stem = Path(path).stem
    name = stem if stem.isidentifier() and stem not in sys.modules else f"caviar_{digest[:12]}"
    module = types.ModuleType(name)
    module.__file__ = path
    sys.modules[name] = module  # dataclasses and pickling look their module up here
    try:
        exec(compile(source, path, "exec"), module.__dict__)
    except BaseException:
        del sys.modules[name]
        raise
    return module
