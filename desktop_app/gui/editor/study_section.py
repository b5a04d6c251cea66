""""3. How to search" of the experiment panel: the ``[study]`` table.

One line of :data:`FIELDS` per key (defaults from :class:`StudySettings`); the help texts
become the tooltips of the choices.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desktop_app.core.config import StudySettings
from desktop_app.core.search import PRUNERS, STRATEGIES
from desktop_app.core.study import METRIC_NAMES
from desktop_app.gui.editor.form_fields import Field, Values, choice, defaults_of, text, whole
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


def _dask(values: Values) -> bool:
    return values["executor"] == "dask"


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
    Field("metric", "Metric", choice(METRIC_NAMES, METRIC_HELP)),
)


class StudySection(FormSection):
    """The ``[study]`` table: name, strategy, budget, workers, early stopping, seed, metric."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("3. How to search", FIELDS, defaults_of(StudySettings), parent)
        self._add_fields()
