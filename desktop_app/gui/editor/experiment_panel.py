"""The Experiment panel: data, what to search, how to search, and the fixed training values.

It turns what the user typed into TOML-shaped data and lets the core's ``parse_config`` judge
it: a :class:`CaviarError` is shown on the field it names (``study.trials`` -> the trials box,
``params.learning_rate`` -> that row, ...) and Run stays disabled until it is fixed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.config import DATASET_KEYS, StudyConfig, default_workers, parse_config
from desktop_app.core.data import BUILTIN, DataSpec, describe
from desktop_app.core.data.catalog import FIXED_CLASSES, SYNTHETIC
from desktop_app.core.errors import CaviarError
from desktop_app.core.search import PRUNERS, STRATEGIES
from desktop_app.core.study import METRIC_NAMES
from desktop_app.gui.editor.dataset_preview import DatasetPreview
from desktop_app.gui.editor.field_marks import mark, set_hint
from desktop_app.gui.editor.fixed_settings import FixedSettings
from desktop_app.gui.editor.space_editor import SpaceEditor

STRATEGY_HELP = {
    "grid": "grid: every combination of a few values per parameter; simple, but the number "
            "of trials multiplies with each parameter",
    "random": "random: independent random samples on each parameter's scale; the course's "
              "advice, better than a grid when few parameters matter",
    "quasi_random": "quasi_random: a Sobol sequence, like random but covering the space more "
                    "evenly",
    "tpe": "tpe: Bayesian (Tree-structured Parzen Estimator): later trials concentrate where "
           "earlier ones did well",
}
PRUNER_HELP = {
    "none": "none: every trial trains all its epochs",
    "median": "median: stop a trial whose metric is worse than the median of earlier trials "
              "at the same epoch",
    "asha": "asha: successive halving, keep only the best share of trials at each rung",
    "hyperband": "hyperband: several successive-halving brackets with different budgets",
}
FILE_ITEM = "Choose a file…"


class ExperimentPanel(QWidget):
    """Edits a whole sweep config; ``config()`` returns the validated :class:`StudyConfig`."""

    changed = Signal()
    validity_changed = Signal(bool)

    def __init__(self, space_editor: SpaceEditor | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.space_editor = space_editor or SpaceEditor()
        self.fixed = FixedSettings()
        self.problem: str | None = None
        self.current: StudyConfig | None = None  # the valid config shown, None while invalid
        self._valid = True
        self._file: str | None = None
        self._shown_spec: DataSpec | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self._data_group())
        space_box = QGroupBox("2. What to search")
        space_box.setToolTip("The hyperparameters whose values the trials try")
        QVBoxLayout(space_box).addWidget(self.space_editor)
        layout.addWidget(space_box)
        layout.addWidget(self._study_group())
        fixed_box = QGroupBox("4. Fixed training settings")
        fixed_box.setToolTip("Values every trial uses for the hyperparameters not searched")
        QVBoxLayout(fixed_box).addWidget(self.fixed)
        layout.addWidget(fixed_box)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d64541;")
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.space_editor.changed.connect(self._edited)
        self.fixed.changed.connect(self._edited)
        self._edited()
        self._defaults = self.raw()

    # --- building ------------------------------------------------------------------------
    def _data_group(self) -> QGroupBox:
        box = QGroupBox("1. Data")
        form = QFormLayout(box)
        self.dataset = QComboBox()
        for name in BUILTIN:
            self.dataset.addItem(name)
            self.dataset.setItemData(self.dataset.count() - 1, describe(name),
                                     Qt.ItemDataRole.ToolTipRole)
        self.dataset.addItem(FILE_ITEM)
        set_hint(self.dataset, "A built-in dataset, or your own CSV/NPZ file (you can also "
                 "drop a file on the window)")
        self.dataset.activated.connect(self._dataset_picked)
        self.dataset.currentTextChanged.connect(self._edited)
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.samples = _spin(20, 100_000, 600, "Examples generated for a synthetic set")
        self.classes = _spin(2, 10, 3, "Classes (spiral arms, blobs) of a synthetic set")
        self.noise = QDoubleSpinBox()
        self.noise.setRange(0.0, 5.0)
        self.noise.setSingleStep(0.05)
        self.noise.setValue(0.2)
        set_hint(self.noise, "How much the synthetic points scatter around their shape")
        self.validation = QDoubleSpinBox()
        self.validation.setRange(0.05, 0.9)
        self.validation.setSingleStep(0.05)
        self.validation.setValue(0.2)
        set_hint(self.validation, "Share of the examples held out to measure val_loss and "
                 "val_accuracy (never trained on)")
        self.label_column = QLineEdit()
        self.label_column.setPlaceholderText("last column")
        set_hint(self.label_column, "CSV files: the label column, by header name or 0-based "
                 "index (default: the last column)")
        form.addRow("Dataset", self.dataset)
        form.addRow(self.about)
        form.addRow("Samples", self.samples)
        form.addRow("Classes", self.classes)
        form.addRow("Noise", self.noise)
        form.addRow("Validation share", self.validation)
        form.addRow("Label column", self.label_column)
        self.preview = DatasetPreview()
        form.addRow(self.preview)
        for w in (self.samples, self.classes):
            w.valueChanged.connect(self._edited)
        for d in (self.noise, self.validation):
            d.valueChanged.connect(self._edited)
        self.label_column.textChanged.connect(self._edited)
        self._data_form = form
        return box

    def _study_group(self) -> QGroupBox:
        box = QGroupBox("3. How to search")
        form = QFormLayout(box)
        self.name = QLineEdit("study")
        set_hint(self.name, "Name of the study inside its .db file; a study of the same name "
                 "is resumed")
        self.strategy = _combo(STRATEGIES, "random", STRATEGY_HELP)
        self.trials = _spin(1, 1_000_000, 20, "How many trials to finish (a grid runs at "
                            "most its size)")
        self.workers = _spin(1, 64, default_workers(), "Trials trained at the same time "
                             "(one per core is best)")
        self.executor = _combo(("process", "thread", "dask"), "process", {
            "process": "process: worker processes, the real parallelism on several cores",
            "thread": "thread: workers inside this process; no speed-up, but no start-up cost",
            "dask": "dask: trials run on a Dask cluster (pip install caviar[dask])",
        })
        self.scheduler = QLineEdit("")
        self.scheduler.setPlaceholderText("tcp://host:8786 (empty: a local cluster)")
        set_hint(self.scheduler, "The Dask scheduler's address; empty starts a local cluster "
                 "on this machine (127.0.0.1 only)")
        self.pruner = _combo(PRUNERS, "none", PRUNER_HELP)
        self.seed = _spin(0, 2**31 - 1, 0, "Same seed, same trials: change it to draw others")
        self.metric_box = _combo(METRIC_NAMES, "val_accuracy", {
            m: f"{m}: the value each trial is judged by "
               + ("(lower is better)" if m.endswith("loss") else "(higher is better)")
            for m in METRIC_NAMES})
        form.addRow("Study name", self.name)
        form.addRow("Strategy", self.strategy)
        form.addRow("Trials", self.trials)
        form.addRow("Workers", self.workers)
        form.addRow("Executor", self.executor)
        form.addRow("Scheduler", self.scheduler)
        self._study_form = form
        form.addRow("Early stopping", self.pruner)
        form.addRow("Seed", self.seed)
        form.addRow("Metric", self.metric_box)
        for line in (self.name, self.scheduler):
            line.textChanged.connect(self._edited)
        for c in (self.strategy, self.executor, self.pruner, self.metric_box):
            c.currentTextChanged.connect(self._edited)
        for s in (self.trials, self.workers, self.seed):
            s.valueChanged.connect(self._edited)
        return box

    # --- public --------------------------------------------------------------------------
    def raw(self) -> dict[str, Any]:
        """The config as TOML-shaped data, exactly as typed."""
        source = self._file if self.dataset.currentText() == FILE_ITEM else \
            self.dataset.currentText()
        data: dict[str, Any] = {"dataset": source or "",
                                "validation_fraction": round(self.validation.value(), 4)}
        if source in SYNTHETIC:
            data.update(samples=self.samples.value(), noise=round(self.noise.value(), 4))
            if source in SYNTHETIC and source not in FIXED_CLASSES:
                data["classes"] = self.classes.value()
        label = self.label_column.text().strip()
        if label and str(source).lower().endswith(".csv"):
            data["label_column"] = int(label) if label.isdigit() else label
        study = {"name": self.name.text().strip(), "metric": self.metric_box.currentText(),
                 "strategy": self.strategy.currentText(), "trials": self.trials.value(),
                 "workers": self.workers.value(), "executor": self.executor.currentText(),
                 "seed": self.seed.value(), "pruner": self.pruner.currentText()}
        if self.executor.currentText() == "dask" and self.scheduler.text().strip():
            study["scheduler"] = self.scheduler.text().strip()
        searched = set(self.space_editor.names())
        return {"study": study, "data": data, "train": self.fixed.values(skip=searched),
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

    def set_config(self, config: StudyConfig | dict[str, Any]) -> None:
        """Show a config (a :class:`StudyConfig` or its ``to_dict()`` form)."""
        raw = config.to_dict() if isinstance(config, StudyConfig) else config
        study, data = raw.get("study", {}), raw.get("data", {})
        widgets = self._inputs()
        for w in widgets:
            w.blockSignals(True)
        self.name.setText(str(study.get("name", "study")))
        self.scheduler.setText(str(study.get("scheduler", "")))
        for combo, key in ((self.strategy, "strategy"), (self.executor, "executor"),
                           (self.pruner, "pruner"), (self.metric_box, "metric")):
            if key in study:
                if combo.findText(str(study[key])) < 0:
                    combo.addItem(str(study[key]))
                combo.setCurrentText(str(study[key]))
        for spin, key in ((self.trials, "trials"), (self.workers, "workers"),
                          (self.seed, "seed")):
            if key in study:
                spin.setValue(int(study[key]))
        source = str(next((data[k] for k in DATASET_KEYS if k in data), "spiral"))
        if source in BUILTIN:
            self.dataset.setCurrentText(source)
        else:
            self._file = source
            self.dataset.setCurrentText(FILE_ITEM)
        self.samples.setValue(int(data.get("samples", 600)))
        self.classes.setValue(int(data.get("classes", 3)))
        self.noise.setValue(float(data.get("noise", 0.2)))
        self.validation.setValue(float(data.get("validation_fraction", 0.2)))
        label = data.get("label_column")
        self.label_column.setText("" if label is None else str(label))
        for w in widgets:
            w.blockSignals(False)
        self.space_editor.set_space(dict(raw.get("params", {})))
        self.fixed.set_values(dict(raw.get("train", {})))
        self._edited()

    def reset(self) -> None:
        """Back to the settings of a new study."""
        self._file = None
        self.set_config(self._defaults)

    def set_data_file(self, path: str | os.PathLike[str]) -> None:
        """Train on a CSV/NPZ file (from the file chooser or a drop on the window)."""
        self._file = str(path)
        self.dataset.setCurrentText(FILE_ITEM)
        self._edited()

    # --- internals -----------------------------------------------------------------------
    def _dataset_picked(self, index: int) -> None:
        if self.dataset.itemText(index) != FILE_ITEM:
            return
        start = str(Path(self._file).parent) if self._file else ""
        path, _ = QFileDialog.getOpenFileName(self, "Choose a dataset", start,
                                              "Data files (*.csv *.npz)")
        if path:
            self.set_data_file(path)
        elif not self._file:
            self.dataset.setCurrentIndex(0)

    def _edited(self) -> None:
        source = self.dataset.currentText()
        is_file = source == FILE_ITEM
        synthetic = source in SYNTHETIC
        if is_file:
            self.about.setText(f"File: {self._file}" if self._file else "No file chosen yet")
        else:
            self.about.setText(describe(source))
        for widget, shown in ((self.samples, synthetic), (self.noise, synthetic),
                              (self.classes, source in SYNTHETIC and source not in FIXED_CLASSES),
                              (self.label_column, is_file and str(self._file).endswith(".csv"))):
            widget.setVisible(shown)
            self._data_form.labelForField(widget).setVisible(shown)
        dask = self.executor.currentText() == "dask"
        self.scheduler.setVisible(dask)
        self._study_form.labelForField(self.scheduler).setVisible(dask)
        grid = self.strategy.currentText() == "grid"
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
            if config.data != self._shown_spec:
                self._shown_spec = config.data
                self.preview.show_spec(config.data)
            problem = self.preview.problem
        if problem is None and not self.space_editor.is_valid():
            problem = "; ".join(self.space_editor.problems())
        self.problem = problem
        self.current = config if problem is None else None
        self.error.setText(problem or "")
        valid = problem is None
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)

    def _field_widget(self, field: str) -> QWidget | None:
        section, _, key = field.partition(".")
        if section == "study":
            return {"name": self.name, "metric": self.metric_box, "strategy": self.strategy,
                    "trials": self.trials, "workers": self.workers,
                    "executor": self.executor, "scheduler": self.scheduler, "seed": self.seed,
                    "pruner": self.pruner}.get(key)
        if section == "data":
            return {"source": self.dataset, "dataset": self.dataset, "samples": self.samples,
                    "classes": self.classes, "noise": self.noise,
                    "validation_fraction": self.validation,
                    "label_column": self.label_column}.get(key)
        return None

    def _show(self, exc: CaviarError) -> None:
        section, _, key = exc.field.partition(".")
        if section == "params":
            self.space_editor.show_problem(key, exc.problem)
        elif section == "train":
            self.fixed.show_problem(key, exc.problem)
        else:
            widget = self._field_widget(exc.field)
            if widget is not None:
                mark(widget, exc.problem)

    def _inputs(self) -> tuple[QWidget, ...]:
        """Every study and data input of the panel (the fixed settings have their own)."""
        return (self.name, self.metric_box, self.strategy, self.trials, self.workers,
                self.executor, self.scheduler, self.seed, self.pruner, self.dataset,
                self.samples, self.classes, self.noise, self.validation, self.label_column)

    def _clear_marks(self) -> None:
        for widget in self._inputs():
            mark(widget, None)
        self.fixed.clear_problems()


def _spin(low: int, high: int, value: int, tip: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    set_hint(spin, tip)
    return spin


def _combo(items: tuple[str, ...], current: str, help_text: dict[str, str]) -> QComboBox:
    combo = QComboBox()
    for item in items:
        combo.addItem(item)
        combo.setItemData(combo.count() - 1, help_text.get(item, item), Qt.ItemDataRole.ToolTipRole)
    combo.setCurrentText(current)
    set_hint(combo, "\n".join(help_text[i] for i in items if i in help_text))
    return combo
