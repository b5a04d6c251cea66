"""The Experiment panel: data, what to search, how to search, and the fixed training values.

It turns what the user typed into TOML-shaped data and lets the core's ``parse_config`` judge
it: a :class:`CaviarError` is shown on the field it names (``study.trials`` -> the trials box,
``params.learning_rate`` -> that row, ...) and Run stays disabled until it is fixed. The
``[data]`` and ``[study]`` tables are a :class:`DataSection` and a :class:`StudySection`,
``[trainer]`` a :class:`TrainerSection`. With the user's own code as trainer the data section
is hidden (their code loads its data), any hyperparameter name can be searched or fixed, and
any metric name typed.
"""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from desktop_app.core.config import StudyConfig, parse_config
from desktop_app.core.errors import CaviarError, ConfigError
from desktop_app.gui.editor.data_section import DataSection
from desktop_app.gui.editor.field_marks import mark
from desktop_app.gui.editor.fixed_settings import FixedSettings
from desktop_app.gui.editor.form_section import FormSection
from desktop_app.gui.editor.own_settings import OwnSettings
from desktop_app.gui.editor.space_editor import SpaceEditor
from desktop_app.gui.editor.study_section import StudySection
from desktop_app.gui.editor.trainer_section import TrainerSection

FIXED_TIP = "Values every trial uses for the hyperparameters not searched"
OWN_FIXED_TIP = "Values every trial gives your code (in params) besides the searched ones"


class ExperimentPanel(QWidget):
    """Edits a whole sweep config; ``config()`` returns the validated :class:`StudyConfig`."""

    changed = Signal()
    validity_changed = Signal(bool)

    def __init__(self, space_editor: SpaceEditor | None = None,
                 parent: QWidget | None = None, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.space_editor = space_editor or SpaceEditor()
        self.trainer_section = TrainerSection(settings)
        self.fixed = FixedSettings()
        self.own_fixed = OwnSettings()
        self.own_fixed.setVisible(False)
        self.data_section = DataSection()
        self.study_section = StudySection()
        self.problem: str | None = None
        self.current: StudyConfig | None = None  # the valid config shown, None while invalid
        self._valid = True
        self._sections: dict[str, FormSection] = {"data": self.data_section,
                                                  "study": self.study_section}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.trainer_section)
        layout.addWidget(self.data_section)
        layout.addWidget(_boxed("2. What to search", self.space_editor,
                                "The hyperparameters whose values the trials try"))
        layout.addWidget(self.study_section)
        self.fixed_box = _boxed("4. Fixed training settings", self.fixed, FIXED_TIP)
        self.fixed_box.layout().addWidget(self.own_fixed)
        layout.addWidget(self.fixed_box)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d64541;")
        layout.addWidget(self.error)
        layout.addStretch(1)
        for part in (self.trainer_section, self.data_section, self.study_section,
                     self.space_editor, self.fixed, self.own_fixed):
            part.changed.connect(self._edited)
        self._edited()
        self._defaults = self.raw()

    # --- public --------------------------------------------------------------------------
    def raw(self) -> dict[str, Any]:
        """The config as TOML-shaped data, exactly as typed."""
        searched = set(self.space_editor.names())
        own = self.trainer_section.is_own()
        raw = {"study": self.study_section.values(), "data": self.data_section.values(),
               "train": (self.own_fixed if own else self.fixed).values(skip=searched),
               "params": self.space_editor.to_dict()}
        if own:
            raw["trainer"] = self.trainer_section.table()
        return raw

    def config(self) -> StudyConfig:
        """The validated config; raises the core's :class:`CaviarError` (and marks it).

        A valid trainer of the user's own joins the recent ones (Run and Save ask for this).
        """
        try:
            config = self._parse()
        except CaviarError as exc:
            self._show(exc)
            raise
        if config.trainer.is_own:
            self.trainer_section.remember(config.trainer)
        return config

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
        self.trainer_section.blockSignals(True)
        self.trainer_section.set_table(dict(raw.get("trainer", {})))
        self.trainer_section.blockSignals(False)
        own = self.trainer_section.is_own()
        self._apply_trainer(own)
        self.study_section.set_values(raw.get("study", {}))
        self.data_section.set_values(raw.get("data", {}))
        self.space_editor.set_space(dict(raw.get("params", {})))
        train = dict(raw.get("train", {}))
        self.own_fixed.set_values(train if own else {})
        if not own:
            self.fixed.set_values(train)
        self._edited()

    def reset(self) -> None:
        """Back to the settings of a new study."""
        self.data_section.file = None
        self.set_config(self._defaults)

    def set_data_file(self, path: str | os.PathLike[str]) -> None:
        """Train on a CSV/NPZ file (from the file chooser or a drop on the window)."""
        self.data_section.set_data_file(path)

    # --- internals -----------------------------------------------------------------------
    def _parse(self) -> StudyConfig:
        """The core's check of the whole config (the trainer's own problems first)."""
        if self.trainer_section.is_own():
            self.trainer_section.spec()  # e.g. a command that does not split into arguments
        return parse_config(self.raw(), base_dir=self.trainer_section.base())

    def _apply_trainer(self, own: bool) -> None:
        """Own code: any names in the space and fixed values, any metric, no data section."""
        self.space_editor.set_own(own)
        self.study_section.set_own(own)
        self.data_section.setVisible(not own)
        self.fixed.setVisible(not own)
        self.own_fixed.setVisible(own)
        self.fixed_box.setToolTip(OWN_FIXED_TIP if own else FIXED_TIP)

    def _edited(self) -> None:
        own = self.trainer_section.is_own()
        if own != self.space_editor.is_own() or own != self.study_section.own:
            self._apply_trainer(own)
        self.data_section.refresh()
        self.study_section.refresh()
        grid = self.study_section.value("strategy") == "grid"
        if grid != self.space_editor.is_grid():
            self.space_editor.set_grid(grid)
        searched = set(self.space_editor.names())
        self.fixed.set_searched(searched)
        self.own_fixed.set_searched(searched)
        self._validate()
        self.changed.emit()

    def _validate(self) -> None:
        self._clear_marks()
        problem: str | None = None
        config: StudyConfig | None = None
        trainer_problem = False
        try:
            config = self._parse()
        except CaviarError as exc:
            problem = str(exc)
            trainer_problem = exc.field.partition(".")[0] == "trainer"
            self._show(exc)
        else:
            if not config.trainer.is_own:  # the user's own code loads its own data
                problem = self.data_section.preview_data(config.data)
        if not trainer_problem:
            self._describe_trainer(config)
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
            fixed = self.own_fixed if self.trainer_section.is_own() else self.fixed
            fixed.show_problem(key, exc.problem)
        elif section == "trainer":
            self.trainer_section.show_problem(exc.field, exc.problem)
        else:
            widget = self.input(exc.field)
            if widget is not None:
                mark(widget, exc.problem)

    def _clear_marks(self) -> None:
        for part in self._sections.values():
            part.clear_marks()
        self.fixed.clear_problems()
        self.own_fixed.clear_problems()

    def _describe_trainer(self, config: StudyConfig | None) -> None:
        """Say what will run (the trainer itself is fine even if another field is not)."""
        try:
            spec = config.trainer if config else self.trainer_section.spec()
        except ConfigError as exc:
            self.trainer_section.show_problem(exc.field, exc.problem)
            return
        names = list(self.space_editor.names())
        names += [n for n in self.raw()["train"] if n not in names]
        self.trainer_section.show_spec(spec, names)


def _boxed(title: str, widget: QWidget, tip: str) -> QGroupBox:
    box = QGroupBox(title)
    box.setToolTip(tip)
    QVBoxLayout(box).addWidget(widget)
    return box
