"""A titled form built from one table of :class:`~.form_fields.Field` rows.

The table is walked to build the rows, show a config table, read it back, hide the rows that
do not apply and mark the field a core error names; a section adds its special widgets
around it (the data section its dataset chooser and preview).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QWidget

from desktop_app.gui.editor import form_fields
from desktop_app.gui.editor.field_marks import mark
from desktop_app.gui.editor.form_fields import Field


class FormSection(QGroupBox):
    """One config table (``[study]``, ``[data]``) as a form; ``changed`` fires on every edit."""

    changed = Signal()

    def __init__(self, title: str, fields: tuple[Field, ...], defaults: Mapping[str, Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.fields = fields
        self.defaults = dict(defaults)
        self.form = QFormLayout(self)
        self.inputs: dict[str, QWidget] = {}  # config key -> its widget (special ones too)

    def _add_fields(self) -> None:
        """Add a row per field, showing its default (the subclass decides where)."""
        for field in self.fields:
            widget = field.make()
            form_fields.write(widget, self.defaults[field.key])
            self.form.addRow(field.label, widget)
            self.inputs[field.key] = widget
            form_fields.edited(widget).connect(self._emit_changed)

    def _emit_changed(self, *_: object) -> None:
        self.changed.emit()

    def _context(self) -> dict[str, Any]:
        """Values of the section's special widgets that fields' ``applies`` may look at."""
        return {}

    def _state(self) -> dict[str, Any]:
        """Choices outside the table (e.g. the trainer) that fields' ``applies`` may look at."""
        return {}

    def _typed(self) -> dict[str, Any]:
        values = {**self._state(), **self._context()}
        values.update((f.key, form_fields.read(self.inputs[f.key])) for f in self.fields)
        return values

    # --- public --------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """The table as typed: fields that do not apply, or are empty and optional, left out."""
        typed = self._typed()
        values = self._context()
        for field in self.fields:
            value = typed[field.key]
            if field.applies(typed) and not (field.omit_empty and value == ""):
                values[field.key] = value
        return values

    def set_values(self, table: Mapping[str, Any]) -> None:
        """Show ``table``; a key it lacks shows the core's default. Emits no ``changed``."""
        for field in self.fields:
            widget = self.inputs[field.key]
            widget.blockSignals(True)
            form_fields.write(widget, table.get(field.key, self.defaults[field.key]))
            widget.blockSignals(False)

    def value(self, key: str) -> Any:
        """What the field ``key`` shows."""
        return form_fields.read(self.inputs[key])

    def set_value(self, key: str, value: Any) -> None:
        """Show ``value`` in the field ``key`` (as if typed: ``changed`` fires)."""
        form_fields.write(self.inputs[key], value)

    def input(self, key: str) -> QWidget | None:
        """The widget of config key ``key``, or None."""
        return self.inputs.get(key)

    def refresh(self) -> None:
        """Show only the rows that apply to what is chosen now."""
        typed = self._typed()
        for field in self.fields:
            shown = field.applies(typed)
            widget = self.inputs[field.key]
            widget.setVisible(shown)
            self.form.labelForField(widget).setVisible(shown)

    def clear_marks(self) -> None:
        """Clear every problem shown on the section's inputs."""
        for widget in self.inputs.values():
            mark(widget, None)
