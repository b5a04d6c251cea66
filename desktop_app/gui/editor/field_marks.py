"""Mark an input field as invalid: a red border and the core's problem text as its tooltip."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

INVALID_STYLE = "border: 2px solid #d64541; border-radius: 3px;"
_HINT = "caviar_hint"  # the widget's own tooltip, restored when the field is fixed


def set_hint(widget: QWidget, text: str) -> None:
    """Give ``widget`` its normal tooltip (kept while a problem is shown)."""
    widget.setProperty(_HINT, text)
    if not is_marked(widget):
        widget.setToolTip(text)


def mark(widget: QWidget, problem: str | None) -> None:
    """Show ``problem`` on ``widget`` (red border, tooltip), or clear it when None."""
    if widget.property(_HINT) is None:
        widget.setProperty(_HINT, widget.toolTip())
    hint = widget.property(_HINT) or ""
    if problem:
        widget.setStyleSheet(f"{type(widget).__name__} {{ {INVALID_STYLE} }}")
        widget.setToolTip(f"Problem: {problem}" + (f"\n\n{hint}" if hint else ""))
        widget.setProperty("caviar_problem", problem)
    else:
        widget.setStyleSheet("")
        widget.setToolTip(hint)
        widget.setProperty("caviar_problem", None)


def is_marked(widget: QWidget) -> bool:
    """True while ``widget`` shows a problem."""
    return bool(widget.property("caviar_problem"))


def problem_of(widget: QWidget) -> str | None:
    """The problem text shown on ``widget``, or None."""
    return widget.property("caviar_problem") or None
