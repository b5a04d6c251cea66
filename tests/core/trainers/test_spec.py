"""[trainer]: every bad input is one ConfigError naming the field and the fix, found without
running the user's code."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from desktop_app.core.errors import ConfigError
from desktop_app.core.trainers import NETWORK, parse_trainer
from desktop_app.core.trainers.spec import find_program

TRAIN = "import math\n\ndef train(params, trial):\n    trial.report(1, loss=1.0)\n"


def _error(table: object, base: Path) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse_trainer(table, base)
    return caught.value


def test_absent_or_empty_is_the_network(tmp_path: Path) -> None:
    assert parse_trainer({}, tmp_path) is NETWORK
    assert NETWORK.kind == "network" and not NETWORK.is_own and NETWORK.to_dict() == {}
    assert NETWORK.describe() == "Caviar's numpy network"


def test_a_function_file_is_resolved_and_travels_as_text(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "model.py").write_text(TRAIN)
    spec = parse_trainer({"function": "sub/model.py:train"}, tmp_path)
    path = tmp_path / "sub" / "model.py"
    assert (spec.kind, spec.function, spec.file, spec.source) == (
        "function", f"{path}:train", str(path), TRAIN)
    assert spec.workdir == str(path.parent) and spec.is_own
    assert spec.describe() == f"your function train() in {path}"
    assert parse_trainer(spec.to_dict(), None) == spec  # the stored table reads back


@pytest.mark.parametrize(("table", "field", "words"), [
    ([1], "trainer", "must be a table"),
    ({"function": "a.py:f", "command": ["x"]}, "trainer", "not both"),
    ({"fn": "a.py:f"}, "trainer.fn", "unknown key; known keys: function, command, workdir"),
    ({"function": "model.py"}, "trainer.function", 'write it as "file.py:function"'),
    ({"function": "model.py:not-a-name"}, "trainer.function", "is not a Python function name"),
    ({"function": "missing.py:train"}, "trainer.function", "no such file"),
    ({"function": "model.py:fit"}, "trainer.function", "has no function 'fit'; its functions: "
                                                       "train"),
    ({"function": "no_such_module_xyz:train"}, "trainer.function", "cannot find module"),
    ({"function": "json:no_such"}, "trainer.function", "has no function 'no_such'"),
    ({"command": "python train.py"}, "trainer.command", "must be a list of strings"),
    ({"command": []}, "trainer.command", "must be a list of strings"),
    ({"command": ["no-such-program-xyz", "a"]}, "trainer.command", "not found on PATH"),
    ({"command": ["./missing.sh"]}, "trainer.command", "does not exist"),
    ({"command": ["ls"], "workdir": "nowhere"}, "trainer.workdir", "no such folder"),
])
def test_bad_input_names_the_field(tmp_path: Path, table: object, field: str, words: str
                                   ) -> None:
    (tmp_path / "model.py").write_text(TRAIN)
    error = _error(table, tmp_path)
    assert error.field == field
    assert words in str(error)


def test_a_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("def train(params, trial):\n    return (\n")
    error = _error({"function": "broken.py:train"}, tmp_path)
    assert error.field == "trainer.function"
    assert f"{tmp_path / 'broken.py'}, line " in str(error) and "fix the file" in str(error)


def test_the_file_is_read_not_run(tmp_path: Path) -> None:
    (tmp_path / "loud.py").write_text("raise SystemExit('ran')\n" + TRAIN)
    assert parse_trainer({"function": "loud.py:train"}, tmp_path).kind == "function"


def test_names_a_file_defines_other_ways_are_found(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("from os.path import join as train\nfit = len\n")
    assert parse_trainer({"function": "m.py:train"}, tmp_path).kind == "function"
    assert parse_trainer({"function": "m.py:fit"}, tmp_path).kind == "function"
    (tmp_path / "star.py").write_text("from os.path import *\n")
    assert parse_trainer({"function": "star.py:anything"}, tmp_path).kind == "function"


def test_a_module_next_to_the_config_is_found(tmp_path: Path) -> None:
    (tmp_path / "mypkg").mkdir()
    (tmp_path / "mypkg" / "__init__.py").write_text("")
    (tmp_path / "mypkg" / "trainer.py").write_text(TRAIN)
    spec = parse_trainer({"function": "mypkg.trainer:train"}, tmp_path)
    assert (spec.function, spec.source, spec.file) == ("mypkg.trainer:train", "", "")
    assert str(tmp_path) not in sys.path  # only meanwhile


def test_a_command_and_its_placeholders(tmp_path: Path) -> None:
    spec = parse_trainer({"command": ["python", "t.py", "--lr={learning_rate}", "{{x}}",
                                      "{trial_number}", "{learning_rate}"]}, tmp_path)
    assert spec.kind == "command" and spec.workdir == str(tmp_path)
    assert spec.placeholders() == ["learning_rate", "trial_number"]
    argv = spec.argv({"learning_rate": 0.001, "trial_number": 4})
    assert argv[1:] == ["t.py", "--lr=0.001", "{x}", "4", "0.001"]
    assert "python" in Path(argv[0]).name or argv[0] == sys.executable
    assert parse_trainer(spec.to_dict(), None) == spec


def test_python_falls_back_to_our_own(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_program("python", str(tmp_path)) == sys.executable
    with pytest.raises(FileNotFoundError, match="'ruby' not found on PATH"):
        find_program("ruby", str(tmp_path))
    script = tmp_path / "run.sh"
    script.write_text("#!/bin/sh\n")
    assert find_program("./run.sh", str(tmp_path)) == str(script)


def test_a_program_given_by_path_keeps_its_symlink(tmp_path: Path) -> None:
    link = tmp_path / "venv-python"
    link.symlink_to(sys.executable)
    assert find_program(str(link), str(tmp_path)) == str(link)  # a venv keeps its packages
