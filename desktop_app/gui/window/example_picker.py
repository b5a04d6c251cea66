"""File › Open example…: the example sweeps shipped in ``resources/examples/``, each named by
its file and described by the first sentence of the comment it starts with."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QVBoxLayout, QWidget

from desktop_app.core.resources import resource_path


@dataclass(frozen=True)
class Example:
    """A shipped example config and what it shows."""

    path: Path
    description: str

    @property
    def name(self) -> str:
        """The file name without ``.toml``."""
        return self.path.stem


def shipped_examples() -> list[Example]:
    """Every ``resources/examples/*.toml``, by name."""
    folder = resource_path("examples")
    return [Example(path, describe_example(path)) for path in sorted(folder.glob("*.toml"))]


def describe_example(path: Path) -> str:
    """The first sentence of the comment lines a config starts with ("" without one)."""
    lines: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    text = " ".join(lines).strip()
    return text.split(". ")[0].rstrip(".") + "." if text else ""


class ExamplePicker(QDialog):
    """The examples as a list (name and description); ``chosen()`` is the one picked."""

    def __init__(self, examples: list[Example], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open example")
        self.examples = examples
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(3)
        for example in examples:
            self.list.addItem(f"{example.name}\n{example.description}")
            self.list.item(self.list.count() - 1).setToolTip(str(example.path))
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(self.accept)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        intro = QLabel("Each example is a commented sweep config. It loads into the panel: "
                       "look at what it searches and on which scale, then Run.")
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(560, 320)

    def chosen(self) -> Example | None:
        """The example selected in the list (None when the list is empty)."""
        row = self.list.currentRow()
        return self.examples[row] if 0 <= row < len(self.examples) else None
