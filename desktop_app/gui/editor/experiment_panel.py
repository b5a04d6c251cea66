"""The Experiment panel: data, what to search, how to search, and the fixed training values.

It turns what the user typed into TOML-shaped data and lets the core's ``parse_config`` judge
it: a :class:`CaviarError` is shown on the field it names (``study.trials`` -> the trials box,
``params.learning_rate`` -> that row, ...) and Run stays disabled until it is fixed. The
``[data]`` and ``[study]`` tables are a :class:`DataSection` and a :class:`StudySection`.
"""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from desktop_app.core.config import StudyConfig, parse_config
from desktop_app.core.errors import CaviarError
from desktop_app.gui.editor.data_section import DataSection
from desktop_app.gui.editor.field_marks import mark
from desktop_app.gui.editor.fixed_settings import FixedSettings
from desktop_app.gui.editor.form_section import FormSection
from desktop_app.gui.editor.space_editor import SpaceEditor
from desktop_app.gui.editor.study_section import StudySection


class ExperimentPanel(QWidget):
    """Edits a whole sweep config; ``config()`` returns the validated :class:`StudyConfig`."""

    changed = Signal()
    validity_changed = Signal(bool)

    def __init__(self, space_editor: SpaceEditor | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.space_editor = space_editor or SpaceEditor()
        self.fixed = FixedSettings()
        self.data_section = DataSection()
        self.study_section = StudySection()
        self.problem: str | None = None
        self.current: StudyConfig | None = None  # the valid config shown, None while invalid
        self._valid = True
        self._sections: dict[str, FormSection] = {"data": self.data_section,
                                                  "study": self.study_section}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.data_section)
        layout.addWidget(_boxed("2. What to search", self.space_editor,
                                "The hyperparameters whose values the trials try"))
        layout.addWidget(self.study_section)
        layout.addWidget(_boxed("4. Fixed training settings", self.fixed,
                                "Values every trial uses for the hyperparameters not searched"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d64541;")
        layout.addWidget(self.error)
        layout.addStretch(1)
        for part in (self.data_section, self.study_section, self.space_editor, self.fixed):
            part.changed.connect(self._edited)
        self._edited()
        self._defaults = self.raw()

    # --- public --------------------------------------------------------------------------
    def raw(self) -> dict[str, Any]:
        """The config as TOML-shaped data, exactly as typed."""
        searched = set(self.space_editor.names())
        return {"study": self.study_section.values(), "data": self.data_section.values(),
                "train": self.fixed.values(skip=searched),
                "params": self.space_editor.to_dict()}

    def config(self) -> StudyConfig:
        """The validated config; raises the core's :class:`CaviarError` (and marks it)."""
        try:
            return parse_config(self.raw())
        except CaviarError as exc:
            self._show(exc)
            raise

    def is_valid(self) -> bool:
        """True when Run may start."""
        return self._valid

    def input(self, field: str) -> QWidget | None:
        """The widget of a dotted config field (``study.trials``, ``data.noise``), or None."""
        section, _, key = field.partition(".")
        part = self._sections.get(section)
        return part.input(key) if part is not None else None

    def value(self, field: str) -> Any:
        """What the ``[study]`` or ``[data]`` field ``field`` (dotted) shows."""
        section, _, key = field.partition(".")
        return self._sections[section].value(key)

    def set_value(self, field: str, value: Any) -> None:
        """Show ``value`` in the dotted field ``field``, as if the user typed it."""
        section, _, key = field.partition(".")
        self._sections[section].set_value(key, value)

    def set_config(self, config: StudyConfig | dict[str, Any]) -> None:
        """Show a config (a :class:`StudyConfig` or its ``to_dict()`` form)."""
        raw = config.to_dict() if isinstance(config, StudyConfig) else config
        self.study_section.set_values(raw.get("study", {}))
        self.data_section.set_values(raw.get("data", {}))
        self.space_editor.set_space(dict(raw.get("params", {})))
        self.fixed.set_values(dict(raw.get("train", {})))
        self._edited()

    def reset(self) -> None:
        """Back to the settings of a new study."""
        self.data_section.file = None
        self.set_config(self._defaults)

    def set_data_file(self, path: str | os.PathLike[str]) -> None:
        """Train on a CSV/NPZ file (from the file chooser or a drop on the window)."""
        self.data_section.set_data_file(path)

    # --- internals -----------------------------------------------------------------------
    def _edited(self) -> None:
        self.data_section.refresh()
        self.study_section.refresh()
        grid = self.study_section.value("strategy") == "grid"
        if grid != self.space_editor.is_grid():
            self.space_editor.set_grid(grid)
        self.fixed.set_searched(set(self.space_editor.names()))
        self._validate()
        self.changed.emit()

    def _validate(self) -> None:
        self._clear_marks()
        problem: str | None = None
        config: StudyConfig | None = None
        try:
            config = parse_config(self.raw())
        except CaviarError as exc:
            problem = str(exc)
            self._show(exc)
        else:
            problem = self.data_section.preview_data(config.data)
        if problem is None and not self.space_editor.is_valid():
            problem = "; ".join(self.space_editor.problems())
        self.problem = problem
        self.current = config if problem is None else None
        self.error.setText(problem or "")
        valid = problem is None
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)

    def _show(self, exc: CaviarError) -> None:
        section, _, key = exc.field.partition(".")
        if section == "params":
            self.space_editor.show_problem(key, exc.problem)
        elif section == "train":
            self.fixed.show_problem(key, exc.problem)
        else:
            widget = self.input(exc.field)
            if widget is not None:
                mark(widget, exc.problem)

    def _clear_marks(self) -> None:
        for part in self._sections.values():
            part.clear_marks()
        self.fixed.clear_problems()


def _boxed(title: str, widget: QWidget, tip: str) -> QGroupBox:
    box = QGroupBox(title)
    box.setToolTip(tip)
    QVBoxLayout(box).addWidget(widget)
    return box
