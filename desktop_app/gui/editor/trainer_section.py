""""What trains each trial" of the experiment panel: the ``[trainer]`` table.

Caviar's network (the default), or the user's own code: a Python function in a ``.py`` file
(or an importable module) or a program run with ``{name}`` placeholders. The core's
:func:`parse_trainer` checks it as it is typed, without running it; a line under the fields
says exactly what will run each trial, or the problem (field and message) in red.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from desktop_app.core.errors import ConfigError
from desktop_app.core.trainers import TRIAL_NUMBER, TrainerSpec, parse_trainer
from desktop_app.gui.editor import recent_trainers
from desktop_app.gui.editor.field_marks import mark, set_hint
from desktop_app.gui.style.quiet_text import make_quiet

KINDS = {  # kind -> what the box shows
    "network": "Caviar's network",
    "function": "Your Python function",
    "command": "Your program (command)",
}
KIND_HELP = {
    "network": "Caviar's numpy network trains on the data chosen below",
    "function": "Your function train(params, trial): params holds every hyperparameter, "
                "trial.report(epoch, val_loss=...) reports a metric, trial.should_stop() "
                "says when to stop early",
    "command": "Any program: {name} in its arguments becomes the trial's value (also all of "
               "them as JSON in $CAVIAR_PARAMS); it reports each epoch by printing a line "
               "CAVIAR {\"epoch\": 1, \"val_loss\": 0.5}",
}
NOTES = {  # under the fields: the contract in one line (the whole of it in the tooltip)
    "function": "Report with trial.report(epoch, val_loss=...); your code loads its own data.",
    "command": "Report each epoch by printing CAVIAR {\"epoch\": 1, \"val_loss\": 0.5}; "
               "your code loads its own data.",
}
ERROR_STYLE = "color: #d64541;"
_NEEDS_QUOTES = re.compile(r"[\s'\"\\]")


class TrainerSection(QGroupBox):
    """Edits ``[trainer]``; ``changed`` fires on every edit. ``base_dir`` is the config's
    folder when known (relative paths start there; else a function file's own folder)."""

    changed = Signal()

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__("What trains each trial", parent)
        self.settings = settings
        self.base_dir: Path | None = None
        self.problem: str | None = None
        self.kind_box = QComboBox()
        for kind, label in KINDS.items():
            self.kind_box.addItem(label, kind)
            self.kind_box.setItemData(self.kind_box.count() - 1, KIND_HELP[kind],
                                      Qt.ItemDataRole.ToolTipRole)
        _narrow(self.kind_box)
        set_hint(self.kind_box, "What trains a trial: Caviar's network, or your own code "
                 "(any hyperparameter and metric names then work)")
        self.recent = QToolButton()
        self.recent.setText("Recent")
        self.recent.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        set_hint(self.recent, "Your last trainers: choose one to fill the fields")
        self.recent_menu = recent_trainers.RecentMenu(self.recent, self._settings)
        self.recent_menu.chosen.connect(self.set_table)
        self.recent.setMenu(self.recent_menu)
        self.file = QLineEdit()
        self.file.setPlaceholderText("my_model.py or package.module")
        set_hint(self.file, "The .py file that defines your function (a relative path starts "
                 "at the config's folder), or an importable module such as mypkg.train")
        self.browse = QToolButton()
        self.browse.setText("Browse…")
        set_hint(self.browse, "Choose the .py file of your training function")
        self.browse.clicked.connect(self._pick_file)
        self.function = QLineEdit("train")
        set_hint(self.function, "The function's name; Caviar calls it as "
                 "name(params, trial) for every trial")
        self.command = QLineEdit()
        self.command.setPlaceholderText("python train.py --lr {learning_rate}")
        set_hint(self.command, "The program and its arguments, split like a shell does "
                 "(quote an argument with spaces). {name} becomes the trial's value of that "
                 f"hyperparameter, {{{TRIAL_NUMBER}}} its number")
        self.workdir = QLineEdit()
        set_hint(self.workdir, "The folder your code runs in (empty: the config's folder, "
                 "or a function file's own folder)")
        self.browse_dir = QToolButton()
        self.browse_dir.setText("Browse…")
        set_hint(self.browse_dir, "Choose the folder your code runs in")
        self.browse_dir.clicked.connect(self._pick_folder)
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.about.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = make_quiet(QLabel())
        self.note.setWordWrap(True)
        self.form = QFormLayout(self)
        self.form.addRow("Trainer", _line(self.kind_box, self.recent))
        self.form.addRow("File", _line(self.file, self.browse))
        self.form.addRow("Function", self.function)
        self.form.addRow("Command", self.command)
        self.form.addRow("Run in", _line(self.workdir, self.browse_dir))
        self.form.addRow(self.about)
        self.form.addRow(self.note)
        self.kind_box.currentIndexChanged.connect(self._edited)
        for edit in (self.file, self.function, self.command, self.workdir):
            edit.textChanged.connect(self._edited)
        self._edited()

    # --- public --------------------------------------------------------------------------
    def kind(self) -> str:
        """``"network"``, ``"function"`` or ``"command"``: what the box shows."""
        return str(self.kind_box.currentData())

    def set_kind(self, kind: str) -> None:
        """Choose the trainer kind (as the user would)."""
        self.kind_box.setCurrentIndex(list(KINDS).index(kind))

    def is_own(self) -> bool:
        """True while the user's own code is chosen."""
        return self.kind() != "network"

    def table(self) -> dict[str, Any]:
        """The ``[trainer]`` table as typed (empty for the network; never raises)."""
        kind = self.kind()
        table: dict[str, Any] = {}
        if kind == "function":
            table["function"] = f"{self.file.text().strip()}:{self.function.text().strip()}"
        elif kind == "command":
            table["command"] = self._split()[0]
        workdir = self.workdir.text().strip()
        if kind != "network" and workdir and self._workdir_applies():
            table["workdir"] = workdir
        return table

    def base(self) -> Path | None:
        """Where relative paths start: the config's folder, else a function file's folder."""
        if self.base_dir is not None:
            return self.base_dir
        target = Path(self.file.text().strip())
        if self.kind() == "function" and target.is_absolute():
            return target.parent
        return None

    def spec(self) -> TrainerSpec:
        """The checked trainer; :class:`ConfigError` naming the ``trainer.*`` field."""
        kind = self.kind()
        if kind == "function" and not self.file.text().strip():
            raise ConfigError("trainer.function", "choose the .py file of your function "
                                                  "(Browse…)")
        if kind == "command":
            args, problem = self._split()
            if problem or not args:
                raise ConfigError("trainer.command", problem or "type the program to run, "
                                  "e.g. python train.py --lr {learning_rate}")
        return parse_trainer(self.table(), self.base())

    def set_table(self, table: dict[str, Any]) -> None:
        """Show a ``[trainer]`` table (empty: Caviar's network); ``changed`` fires."""
        edits = (self.kind_box, self.file, self.function, self.command, self.workdir)
        for widget in edits:
            widget.blockSignals(True)
        function = str(table.get("function", ""))
        target, _, name = function.rpartition(":")
        self.file.setText(target)
        self.function.setText(name or "train")
        command = table.get("command", [])
        self.command.setText(join(command) if isinstance(command, list) else str(command))
        self.workdir.setText(str(table.get("workdir", "")))
        self.command.setCursorPosition(0)  # a long command shows the program, a path its end
        for edit in (self.file, self.workdir):
            edit.setCursorPosition(len(edit.text()))
        kind = "function" if "function" in table else "command" if "command" in table \
            else "network"
        self.kind_box.setCurrentIndex(list(KINDS).index(kind))
        for widget in edits:
            widget.blockSignals(False)
        self._edited()

    def set_function_file(self, path: str | Path) -> None:
        """Train with a function in the file ``path`` (the file chooser's answer)."""
        self.file.setText(str(path))
        self.set_kind("function")

    def show_problem(self, field: str, problem: str | None) -> None:
        """Show a ``trainer.*`` problem (the core's, found checking the whole config) in red
        under the fields and on the field it names; None shows what will run."""
        self.problem = f"{field}: {problem}" if problem else None
        for widget in (self.file, self.function, self.command, self.workdir):
            mark(widget, None)
        if problem:
            for widget in self._fields_of(field, problem):
                mark(widget, problem)
            self.about.setStyleSheet(ERROR_STYLE)
            self.about.setText(self.problem)

    def show_spec(self, spec: TrainerSpec, names: list[str]) -> None:
        """Say what runs each trial; ``names`` are the hyperparameters a trial gets."""
        self.show_problem("", None)
        self.about.setStyleSheet("")
        lines = [f"Each trial runs {spec.describe()}"]
        if spec.kind == "command":
            used = spec.placeholders()
            unknown = [n for n in used if n not in names and n != TRIAL_NUMBER]
            if unknown:  # the core says so too, once the fields it checks first are right
                known = ", ".join(f"{{{n}}}" for n in [*names, TRIAL_NUMBER])
                self.show_problem("trainer.command", f"{{{unknown[0]}}} is not a "
                                  f"hyperparameter of this config; search it or give it a "
                                  f"fixed value, or use one of: {known}")
                return
            if used:
                lines.append("Filled in for each trial: " + ", ".join(f"{{{n}}}" for n in used))
            else:
                lines.append("No {name} placeholder: the program reads its values from "
                             "$CAVIAR_PARAMS")
        elif spec.kind == "function":
            lines.append(f"as {spec.function.rpartition(':')[2]}(params, trial) with params: "
                         f"{', '.join(names) or 'none yet'}")
        self.about.setText("\n".join(lines))

    def remember(self, spec: TrainerSpec) -> None:
        """Keep ``spec`` (a checked trainer of the user's own) among the recent ones."""
        if spec.is_own:
            recent_trainers.remember(self._settings(), spec)

    # --- internals -----------------------------------------------------------------------
    def _settings(self) -> QSettings:
        if self.settings is None:
            self.settings = QSettings()
        return self.settings

    def _split(self) -> tuple[list[str], str | None]:
        try:
            return shlex.split(self.command.text()), None
        except ValueError as exc:  # an open quote
            return self.command.text().split(), f"cannot split it into arguments ({exc})"

    def _workdir_applies(self) -> bool:
        """A command runs in the folder; a module function's imports are found there; a file
        function always runs in its file's folder."""
        target = self.file.text().strip()
        return self.kind() == "command" or not (target.endswith(".py") or "/" in target)

    def _fields_of(self, field: str, problem: str) -> list[QWidget]:
        kind = self.kind()
        if field == "trainer.workdir":
            return [self.workdir]
        if field == "trainer.function" and kind == "function":
            about_name = ("has no function" in problem or "not a Python function name" in
                          problem or not self.function.text().strip())
            return [self.function] if about_name else [self.file]
        if field == "trainer.command" and kind == "command":
            return [self.command]
        return []

    def _edited(self) -> None:
        kind = self.kind()
        rows = {self.file: kind == "function", self.function: kind == "function",
                self.command: kind == "command",
                self.workdir: kind != "network" and self._workdir_applies()}
        for widget, shown in rows.items():
            self.form.setRowVisible(widget.parentWidget() if widget in (
                self.file, self.workdir) else widget, shown)
        self.recent.setVisible(kind != "network")
        base = self.base()
        self.workdir.setPlaceholderText(f"empty: {base or Path.cwd()}")
        self.note.setText(NOTES.get(kind, ""))
        self.note.setToolTip(KIND_HELP[kind])
        self.note.setVisible(kind != "network")
        self.changed.emit()

    def _pick_file(self) -> None:
        start = self.file.text().strip() or str(self.base_dir or "")
        path, _ = QFileDialog.getOpenFileName(self, "Choose your training code", start,
                                              "Python files (*.py)")
        if path:
            self.set_function_file(path)

    def _pick_folder(self) -> None:
        start = self.workdir.text().strip() or str(self.base() or "")
        path = QFileDialog.getExistingDirectory(self, "Folder your code runs in", start)
        if path:
            self.workdir.setText(path)


def _narrow(box: QComboBox) -> None:
    """Let a box of long texts shrink with the side panel (they elide; the popup is wide)."""
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(12)


def join(args: list[str]) -> str:
    """The arguments as one line that ``shlex.split`` reads back; ``{name}`` stays unquoted."""
    return " ".join(shlex.quote(a) if not a or _NEEDS_QUOTES.search(a) else a for a in args)


def _line(*widgets: QWidget) -> QWidget:
    """``widgets`` side by side as one form field (the first one stretches)."""
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for index, widget in enumerate(widgets):
        layout.addWidget(widget, 1 if index == 0 else 0)
    return box
