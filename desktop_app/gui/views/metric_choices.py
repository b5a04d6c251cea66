"""Which metrics the views offer: those the trials reported, not a fixed list.

Caviar's network reports the four built-in metrics, so its choices are as they always were
(loss curves: validation and training loss; table: the four). A trainer of the user's own
may report any names (``StudyModel.metric_names``): they are offered after the built-in ones,
and the study metric always is, even before (or without) a value.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from desktop_app.core.study import METRIC_NAMES, Direction
from desktop_app.core.study.storage import ordered_metric_names
from desktop_app.gui.live.study_model import StudyModel

LABELS = {
    "val_loss": "Validation loss",
    "train_loss": "Training loss",
    "val_accuracy": "Validation accuracy",
    "train_accuracy": "Training accuracy",
}
CURVE_BUILTINS = ("val_loss", "train_loss")
"""The built-in metrics the loss curves offer (accuracies only as the study metric)."""


def _arrived(study: StudyModel) -> list[str]:
    """The metrics reported, else what the study will report (before any result)."""
    names = study.metric_names()
    if names:
        return names
    return list(METRIC_NAMES) if study.metric in METRIC_NAMES else [study.metric]


def table_metrics(study: StudyModel) -> list[str]:
    """The trials table's metric columns: those reported and the study metric, in order."""
    return ordered_metric_names({*_arrived(study), study.metric})


def curve_metrics(study: StudyModel) -> list[str]:
    """The loss curves' choices: the losses, the study metric, then the rest reported by a
    trainer of the user's own (Caviar's network: no accuracy but the study metric)."""
    names = _arrived(study)
    first = [n for n in CURVE_BUILTINS if n in names]
    if study.metric not in first:
        first.append(study.metric)
    own = study.metric not in METRIC_NAMES or not set(names) <= set(METRIC_NAMES)
    return [*first, *(n for n in names if n not in first and (own or n not in METRIC_NAMES))]


def scatter_metrics(study: StudyModel) -> list[str]:
    """The scatter's y choices: the study metric first, then every other one reported."""
    return [study.metric, *(n for n in _arrived(study) if n != study.metric)]


def metric_label(name: str) -> str:
    """A metric for people: "Validation loss" for val_loss, an own metric's own name."""
    return LABELS.get(name, name)


def is_loss_like(study: StudyModel, name: str) -> bool:
    """Whether lower values of ``name`` are better (its curves start high and fall): a loss,
    or the study metric when minimised. The curves' view caps exploding starts only then."""
    if name == study.metric:
        return study.direction is Direction.MINIMIZE
    return "loss" in name.lower() or "error" in name.lower()


def refill(box: QComboBox, names: list[str], current: str | None, labels: bool = True) -> None:
    """Offer ``names`` in ``box`` (data: the name; shown as :func:`metric_label` with
    ``labels``, else as is), keeping ``current`` selected when it is offered (else the
    first); emits no signal."""
    box.blockSignals(True)
    box.clear()
    for name in names:
        box.addItem(metric_label(name) if labels else name, name)
    box.setCurrentIndex(max(0, box.findData(current)))
    box.blockSignals(False)
