""""3. How to search" of the experiment panel: the ``[study]`` table.

One line of :data:`FIELDS` per key (defaults from :class:`StudySettings`); the help texts
become the tooltips of the choices. With a trainer of the user's own (:meth:`StudySection.
set_own`) the metric is any name typed (the built-in ones stay suggestions) and the direction
is asked for whenever the metric's name does not say which way is better.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from desktop_app.core.config import StudySettings, direction_for
from desktop_app.core.search import PRUNERS, STRATEGIES
from desktop_app.core.study import METRIC_NAMES
from desktop_app.gui.editor.field_marks import set_hint
from desktop_app.gui.editor.form_fields import (
    Field,
    Values,
    choice,
    defaults_of,
    optional_choice,
    text,
    whole,
)
from desktop_app.gui.editor.form_section import FormSection

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
EXECUTOR_HELP = {  # in the order the box offers them
    "process": "process: worker processes, the real parallelism on several cores",
    "thread": "thread: workers inside this process; no speed-up, but no start-up cost",
    "dask": "dask: trials run on a Dask cluster (pip install caviar[dask])",
}
METRIC_HELP = {m: f"{m}: the value each trial is judged by "
                  + ("(lower is better)" if m.endswith("loss") else "(higher is better)")
               for m in METRIC_NAMES}


DIRECTION_HELP = {"maximize": "maximize: a higher metric is better (accuracy, f1)",
                  "minimize": "minimize: a lower metric is better (loss, error)"}
OWN = "own"  # the section's state key: a trainer of the user's own is chosen
METRIC_HINT = "The metric each trial is judged by"
OWN_METRIC_HINT = ("Any metric your code reports, e.g. trial.report(epoch, f1=0.8); the "
                   "built-in names are suggestions")


def _dask(values: Values) -> bool:
    return values["executor"] == "dask"


def _own(values: Values) -> bool:
    return bool(values.get(OWN))


FIELDS = (
    Field("name", "Study name",
          text("Name of the study inside its .db file; a study of the same name is resumed")),
    Field("strategy", "Strategy", choice(STRATEGIES, STRATEGY_HELP)),
    Field("trials", "Trials",
          whole(1, 1_000_000, "How many trials to finish (a grid runs at most its size)")),
    Field("workers", "Workers",
          whole(1, 64, "Trials trained at the same time (one per core is best)")),
    Field("executor", "Executor", choice(tuple(EXECUTOR_HELP), EXECUTOR_HELP)),
    Field("scheduler", "Scheduler",
          text("The Dask scheduler's address; empty starts a local cluster on this machine "
               "(127.0.0.1 only)", "tcp://host:8786 (empty: a local cluster)"),
          _dask, omit_empty=True),
    Field("pruner", "Early stopping", choice(PRUNERS, PRUNER_HELP)),
    Field("seed", "Seed",
          whole(0, 2**31 - 1, "Same seed, same trials: change it to draw others")),
    Field("keep_weights", "Keep models",
          whole(0, 1000, "The trained models of this many best trials are kept in the study "
                "file (0: none); the others are dropped as better ones finish")),
    Field("metric", "Metric", choice(METRIC_NAMES, METRIC_HELP)),
    Field("direction", "Better is",
          optional_choice("from the metric's name", tuple(DIRECTION_HELP), DIRECTION_HELP),
          _own),
)


class StudySection(FormSection):
    """The ``[study]`` table: name, strategy, budget, workers, early stopping, seed, metric."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("3. How to search", FIELDS, defaults_of(StudySettings), parent)
        self.own = False
        self._add_fields()
        metric = self.metric_box()
        metric.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for box in (metric, self.inputs["direction"]):  # long texts shrink with the panel
            assert isinstance(box, QComboBox)
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(12)
        set_hint(metric, f"{METRIC_HINT}\n{metric.toolTip()}")

    def metric_box(self) -> QComboBox:
        """The metric's combo box (editable with a trainer of the user's own)."""
        box = self.inputs["metric"]
        assert isinstance(box, QComboBox)
        return box

    def set_own(self, own: bool) -> None:
        """A trainer of the user's own: any metric name, and a direction when needed."""
        if own == self.own:
            return
        self.own = own
        box = self.metric_box()
        box.blockSignals(True)
        box.setEditable(own)
        if own:
            box.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        else:  # the network reports only its own metrics: drop the names typed for own code
            for index in reversed(range(box.count())):
                if box.itemText(index) not in METRIC_NAMES:
                    box.removeItem(index)
        box.blockSignals(False)
        set_hint(box, (OWN_METRIC_HINT if own else METRIC_HINT) + "\n"
                 + "\n".join(METRIC_HELP.values()))

    def set_values(self, table: Mapping[str, Any]) -> None:
        """Show ``[study]``; a direction the metric's name implies shows as "from the name"."""
        table = dict(table)
        implied = direction_for(str(table.get("metric", self.defaults["metric"])))
        if implied is not None and table.get("direction") == implied.value:
            table["direction"] = ""
        super().set_values(table)

    def refresh(self) -> None:
        """Show the direction row (own code only) saying what the metric's name implies."""
        super().refresh()
        implied = direction_for(str(self.value("metric")))
        direction = self.inputs["direction"]
        assert isinstance(direction, QComboBox)
        direction.setItemText(0, f"{implied.value} (from the metric's name)" if implied
                              else "choose: the metric's name does not say")

    def _state(self) -> dict[str, Any]:
        return {OWN: self.own}
