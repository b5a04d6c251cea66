"""``[trainer]``: which code trains a trial, checked before any trial runs.

Three kinds, one contract (``docs/trainers.md``):

- absent: Caviar's own numpy network (``kind == "network"``);
- ``function = "my_model.py:train"`` (a file, relative to the config's folder) or
  ``"package.module:train"`` (importable on every worker): a Python function
  ``train(params, trial)``;
- ``command = ["python", "train.py", "--lr", "{learning_rate}"]``: any program, run in
  ``workdir`` (default: the config's folder), reporting epochs as ``CAVIAR {json}`` lines.

Checks here never run the user's code: a file is parsed (syntax errors and a missing function
are found by reading it), a module is found without importing it, a program is looked up on
``PATH``. A file's text travels with the spec (``source``), so process and Dask workers run
exactly the code the sweep started with without anyone copying the file.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import os
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.core.errors import ConfigError

TRIAL_NUMBER = "trial_number"
"""The one ``{name}`` of a command that is not a hyperparameter: the trial's number."""

_KEYS = ("function", "command", "workdir")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_PYTHONS = ("python", "python3")


@dataclass(frozen=True)
class TrainerSpec:
    """The ``[trainer]`` table, resolved: absolute paths, the function file's text.

    ``function`` is ``"/abs/file.py:name"`` or ``"package.module:name"``; ``command`` the
    program's arguments with ``{name}`` placeholders; ``workdir`` the absolute folder a
    command runs in (and a function file's imports are looked up in); ``source`` the function
    file's text (empty for a module or a command).
    """

    function: str = ""
    command: tuple[str, ...] = ()
    workdir: str = ""
    source: str = ""

    @property
    def kind(self) -> str:
        """``"network"``, ``"function"`` or ``"command"``."""
        if self.function:
            return "function"
        return "command" if self.command else "network"

    @property
    def is_own(self) -> bool:
        """True for the user's own code (any hyperparameter and metric names are allowed)."""
        return self.kind != "network"

    @property
    def file(self) -> str:
        """The function's file (empty for a module function, a command or the network)."""
        target = self.function.rpartition(":")[0]
        return target if _is_file(target) else ""

    def placeholders(self) -> list[str]:
        """The ``{name}`` placeholders of the command, in order (``{{``/``}}`` are literal)."""
        names: list[str] = []
        for arg in self.command:
            for name in _PLACEHOLDER.findall(arg.replace("{{", "").replace("}}", "")):
                if name not in names:
                    names.append(name)
        return names

    def argv(self, values: dict[str, Any]) -> list[str]:
        """The command with every ``{name}`` replaced by ``str(values[name])``."""
        def fill(arg: str) -> str:
            parts = arg.split("{{")
            return "{".join(
                "}".join(_PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), piece)
                         for piece in part.split("}}"))
                for part in parts)
        return [find_program(self.command[0], self.workdir), *(fill(a) for a in self.command[1:])]

    def describe(self) -> str:
        """One line saying what runs each trial (the window shows it before Run)."""
        if self.kind == "function":
            target, _, name = self.function.rpartition(":")
            return f"your function {name}() in {target}"
        if self.kind == "command":
            return f"your program: {' '.join(self.command)}  (in {self.workdir})"
        return "Caviar's numpy network"

    def to_dict(self) -> dict[str, Any]:
        """The ``[trainer]`` table (empty for the network); :func:`parse_trainer` reads it."""
        if self.kind == "function":
            return {"function": self.function, "workdir": self.workdir}
        if self.kind == "command":
            return {"command": list(self.command), "workdir": self.workdir}
        return {}


NETWORK = TrainerSpec()
"""The built-in numpy network: the trainer when ``[trainer]`` is absent."""


def parse_trainer(table: Any, base_dir: Path | None) -> TrainerSpec:
    """The checked spec of a ``[trainer]`` table; :class:`ConfigError` naming the field.

    Relative paths start at ``base_dir`` (the config's folder; the current folder if None).
    """
    if not isinstance(table, dict):
        raise ConfigError("trainer", "must be a table [trainer] with function = "
                                     "\"file.py:train\" or command = [\"program\", ...]")
    unknown = sorted(set(table) - set(_KEYS))
    if unknown:
        raise ConfigError(f"trainer.{unknown[0]}", f"unknown key; known keys: {', '.join(_KEYS)}")
    if not table:
        return NETWORK
    if ("function" in table) == ("command" in table):
        raise ConfigError("trainer", "give either function = \"file.py:train\" or command = "
                                     "[\"program\", ...], not both")
    base = Path(base_dir or ".").resolve()
    workdir = table.get("workdir", "")
    if not isinstance(workdir, str):
        raise ConfigError("trainer.workdir", f"must be a folder path (got {workdir!r})")
    folder = (base / workdir).resolve() if workdir else base
    if workdir and not folder.is_dir():
        raise ConfigError("trainer.workdir", f"no such folder {str(folder)!r}")
    if "function" in table:
        return _function_spec(table["function"], folder)
    return _command_spec(table["command"], folder)


def _is_file(target: str) -> bool:
    return target.endswith(".py") or "/" in target or os.sep in target


def _function_spec(value: Any, folder: Path) -> TrainerSpec:
    field = "trainer.function"
    if not isinstance(value, str) or ":" not in value:
        raise ConfigError(field, "write it as \"file.py:function\" or "
                                 f"\"package.module:function\" (got {value!r})")
    target, _, name = value.rpartition(":")
    if not name.isidentifier():
        raise ConfigError(field, f"{name!r} is not a Python function name")
    if not _is_file(target):
        with on_path(str(folder)):
            _check_module(target, name, field)
        return TrainerSpec(function=value, workdir=str(folder))
    path = (folder / target).resolve()
    if not path.is_file():
        raise ConfigError(field, f"no such file {str(path)!r} (a relative path starts at the "
                                 "config's folder)")
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(field, f"cannot read {str(path)!r} ({exc})") from None
    _check_defines(source, str(path), name, field)
    return TrainerSpec(function=f"{path}:{name}", workdir=str(path.parent), source=source)


def _check_defines(source: str, path: str, name: str, field: str) -> None:
    """A syntax error, or no top-level ``name`` in the file, is a :class:`ConfigError`."""
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as exc:
        raise ConfigError(field, f"{path}, line {exc.lineno}: {exc.msg}; fix the file") from None
    defined: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defined.append(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            defined.extend(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            if any(a.name == "*" for a in node.names):
                return  # a star import may define anything: the worker will tell
            defined.extend((a.asname or a.name).split(".")[0] for a in node.names)
    if name not in defined:
        functions = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
        known = f"its functions: {', '.join(functions)}" if functions else "it defines none"
        raise ConfigError(field, f"{path} has no function {name!r}; {known}")


def _check_module(module: str, name: str, field: str) -> None:
    """The module must be importable; its file (when it has one) must define ``name``."""
    try:
        found = importlib.util.find_spec(module)
    except (ImportError, ValueError) as exc:
        raise ConfigError(field, f"cannot find module {module!r} ({exc})") from None
    if found is None:
        raise ConfigError(field, f"cannot find module {module!r}: install it, or give a file "
                                 "as \"file.py:function\"")
    origin = found.origin or ""
    if origin.endswith(".py"):
        try:
            source = Path(origin).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return
        _check_defines(source, origin, name, field)


def _command_spec(value: Any, folder: Path) -> TrainerSpec:
    field = "trainer.command"
    if (isinstance(value, str) or not isinstance(value, list) or not value
            or not all(isinstance(arg, str) for arg in value)):
        raise ConfigError(field, "must be a list of strings such as [\"python\", \"train.py\", "
                                 f"\"--lr\", \"{{learning_rate}}\"] (got {value!r})")
    spec = TrainerSpec(command=tuple(value), workdir=str(folder))
    try:
        find_program(value[0], str(folder))
    except FileNotFoundError as exc:
        raise ConfigError(field, str(exc)) from None
    return spec


@contextlib.contextmanager
def on_path(folder: str) -> Iterator[None]:
    """``folder`` first on ``sys.path`` meanwhile (where a trainer's own imports are found)."""
    added = bool(folder) and folder not in sys.path
    if added:
        sys.path.insert(0, folder)
    try:
        yield
    finally:
        if added and folder in sys.path:
            sys.path.remove(folder)


def find_program(program: str, workdir: str) -> str:
    """The program to run: a path (relative to ``workdir``) or a name on ``PATH``.

    ``python``/``python3`` that ``PATH`` lacks is the Python running Caviar (a fresh Debian
    has only ``python3``); ``FileNotFoundError`` saying what was looked for otherwise.
    """
    if "/" in program or os.sep in program:
        # abspath, not resolve: a venv's python is a symlink that must stay one (or the
        # venv's packages are lost)
        path = os.path.abspath(os.path.join(workdir, program))
        if os.path.isfile(path):
            return path
        raise FileNotFoundError(f"program {path!r} does not exist")
    found = shutil.which(program)
    if found:
        return found
    if program in _PYTHONS and not getattr(sys, "frozen", False):
        return sys.executable
    raise FileNotFoundError(f"program {program!r} not found on PATH: install it, or give its "
                            "full path")
