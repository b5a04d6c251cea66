"""The executor factory: the one module that knows every concrete executor.

:func:`make_executor` turns the config's ``study.executor`` / ``study.workers`` /
``study.scheduler`` into an :class:`~desktop_app.core.runner.executor.Executor`. The concrete
executors are imported only when chosen, so a thread sweep never loads ``multiprocessing``
plumbing or ``distributed``. Nothing below the coordinator imports this module.
"""

from __future__ import annotations

from desktop_app.core.errors import CaviarError
from desktop_app.core.kinds import EXECUTOR_KINDS
from desktop_app.core.runner.executor import Executor

__all__ = ["EXECUTOR_KINDS", "make_executor"]


def make_executor(kind: str, workers: int, scheduler: str = "") -> Executor:
    """The executor called ``kind`` with ``workers`` workers (``scheduler``: Dask's address)."""
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise CaviarError("study.workers", f"must be a whole number >= 1 (got {workers!r})")
    if kind == "thread":
        from desktop_app.core.runner.thread_executor import ThreadExecutor

        return ThreadExecutor(workers)
    if kind == "process":
        from desktop_app.core.runner.process_executor import ProcessExecutor

        return ProcessExecutor(workers)
    if kind == "dask":
        from desktop_app.core.runner.dask_executor import DaskExecutor

        return DaskExecutor(workers, scheduler)
    raise CaviarError(
        "study.executor", f"{kind!r} is not one of: {', '.join(EXECUTOR_KINDS)}"
    )
