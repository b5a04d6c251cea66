""""1. Data" of the experiment panel: the dataset, its generator settings and the split.

The rows come from :data:`FIELDS` (one line per ``[data]`` key, defaults from
:class:`DataSpec`); the dataset chooser, its description and the preview sit around them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QWidget

from desktop_app.core.config import DATASET_KEYS
from desktop_app.core.data import BUILTIN, DataSpec, describe
from desktop_app.core.data.catalog import FIXED_CLASSES, SYNTHETIC
from desktop_app.gui.editor.dataset_preview import DatasetPreview
from desktop_app.gui.editor.field_marks import set_hint
from desktop_app.gui.editor.form_fields import Field, Values, column, defaults_of, real, whole
from desktop_app.gui.editor.form_section import FormSection

FILE_ITEM = "Choose a file…"
DATASET = "dataset"  # the key the panel writes the source under


def _synthetic(values: Values) -> bool:
    return values[DATASET] in SYNTHETIC


def _own_classes(values: Values) -> bool:
    return values[DATASET] in SYNTHETIC and values[DATASET] not in FIXED_CLASSES


def _csv(values: Values) -> bool:
    return str(values[DATASET]).lower().endswith(".csv")


FIELDS = (
    Field("samples", "Samples",
          whole(20, 100_000, "Examples generated for a synthetic set"), _synthetic),
    Field("classes", "Classes",
          whole(2, 10, "Classes (spiral arms, blobs) of a synthetic set"), _own_classes),
    Field("noise", "Noise",
          real(0.0, 5.0, 0.05, "How much the synthetic points scatter around their shape"),
          _synthetic),
    Field("validation_fraction", "Validation share",
          real(0.05, 0.9, 0.05, "Share of the examples held out to measure val_loss and "
               "val_accuracy (never trained on)")),
    Field("label_column", "Label column",
          column("CSV files: the label column, by header name or 0-based index (default: the "
                 "last column)", "last column"), _csv, omit_empty=True),
)


class DataSection(FormSection):
    """The ``[data]`` table: a built-in set or a CSV/NPZ file, shown with a preview."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("1. Data", FIELDS, defaults_of(DataSpec), parent)
        self.file: str | None = None  # the chosen data file (kept while a built-in set shows)
        self._shown_spec: DataSpec | None = None
        self.dataset = QComboBox()
        for name in BUILTIN:
            self.dataset.addItem(name)
            self.dataset.setItemData(self.dataset.count() - 1, describe(name),
                                     Qt.ItemDataRole.ToolTipRole)
        self.dataset.addItem(FILE_ITEM)
        self.dataset.setCurrentText(self.defaults["source"])
        set_hint(self.dataset, "A built-in dataset, or your own CSV/NPZ file (you can also "
                 "drop a file on the window)")
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.form.addRow("Dataset", self.dataset)
        self.form.addRow(self.about)
        self._add_fields()
        self.preview = DatasetPreview()
        self.form.addRow(self.preview)
        self.inputs[DATASET] = self.dataset
        self.dataset.activated.connect(self._dataset_picked)
        self.dataset.currentTextChanged.connect(self._emit_changed)

    def source(self) -> str:
        """The chosen built-in name or file path ("" while no file is chosen)."""
        text = self.dataset.currentText()
        return (self.file or "") if text == FILE_ITEM else text

    def _context(self) -> dict[str, Any]:
        return {DATASET: self.source()}

    def input(self, key: str) -> QWidget | None:
        """The widget of ``key``; every name of the dataset key means the chooser."""
        return self.dataset if key in DATASET_KEYS else super().input(key)

    def set_values(self, table: Mapping[str, Any]) -> None:
        """Show a ``[data]`` table (the dataset under any of its keys)."""
        source = str(next((table[k] for k in DATASET_KEYS if k in table),
                          self.defaults["source"]))
        self.dataset.blockSignals(True)
        if source in BUILTIN:
            self.dataset.setCurrentText(source)
        else:
            self.file = source
            self.dataset.setCurrentText(FILE_ITEM)
        self.dataset.blockSignals(False)
        super().set_values(table)

    def value(self, key: str) -> Any:
        """What the field ``key`` shows (the dataset: its name or file path)."""
        return self.source() if key in DATASET_KEYS else super().value(key)

    def set_value(self, key: str, value: Any) -> None:
        """Show ``value`` in the field ``key``; a dataset that is no built-in is a file."""
        if key in DATASET_KEYS and str(value) not in BUILTIN:
            self.set_data_file(str(value))
        elif key in DATASET_KEYS:
            self.dataset.setCurrentText(str(value))
        else:
            super().set_value(key, value)

    def set_data_file(self, path: str | os.PathLike[str]) -> None:
        """Train on a CSV/NPZ file (from the file chooser or a drop on the window)."""
        self.file = str(path)
        self.dataset.setCurrentText(FILE_ITEM)
        self.changed.emit()

    def refresh(self) -> None:
        """Describe the chosen data and show only the rows that apply to it."""
        if self.dataset.currentText() == FILE_ITEM:
            self.about.setText(f"File: {self.file}" if self.file else "No file chosen yet")
        else:
            self.about.setText(describe(self.dataset.currentText()))
        self._fit_about()
        super().refresh()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep every line of the description at the new width."""
        super().resizeEvent(event)
        self._fit_about()

    def _fit_about(self) -> None:
        # The form in this group box asks a wrapped row's height for a few pixels more width
        # than it then gives the row: at some widths two lines got one line's height.
        self.about.setMinimumHeight(self.about.heightForWidth(self.about.width()))

    def preview_data(self, spec: DataSpec) -> str | None:
        """Preview ``spec`` (when it changed); return the problem loading it, if any."""
        if spec != self._shown_spec:
            self._shown_spec = spec
            self.preview.show_spec(spec)
        return self.preview.problem

    def _dataset_picked(self, index: int) -> None:
        if self.dataset.itemText(index) != FILE_ITEM:
            return
        start = str(Path(self.file).parent) if self.file else ""
        path, _ = QFileDialog.getOpenFileName(self, "Choose a dataset", start,
                                              "Data files (*.csv *.npz)")
        if path:
            self.set_data_file(path)
        elif not self.file:
            self.dataset.setCurrentIndex(0)
