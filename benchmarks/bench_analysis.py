"""How fast the analysis views are (issue 14 "How fast", issue 15 big studies), offscreen:

- importance: Optuna's PED-ANOVA (``ImportanceModel``) over 2,000 finished trials of six
  parameters (log, reverse_log, pow2, a linear integer, linear, a list of values): the first
  computation, adding the trials included, and a recompute after 50 more trials finish (what
  the view does every 3 s during a sweep). Target: the recompute under 200 ms;
- parallel coordinates and the 2-D map, 2,000 trials: a frame (a trial finishes, the view
  flushes and paints: ``flush()`` then ``grab()``) -- target median under 16 ms; a brush drag
  step (``set_brush`` / ``set_rect`` with a slightly moved range, then the paint) -- target
  median under 30 ms;
- the history, 2,000 trials: a frame as above -- target median under 16 ms; a selection step
  (another trial selected, the flush and the paint) -- target median under 30 ms;
- the same at 100,000 trials (sampled lines, the map's point image, the history's chunked
  points) -- target median under 50 ms for a frame and for a brush, rectangle or selection
  step; the first draw is printed (no target).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_analysis.py [--frames 30]
        [--big 100000] [--no-big]

``bench_ui.py`` runs these too. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from analysis_study import importance_trials, space, study_model, trial_events
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.core.analysis import ImportanceModel
from desktop_app.gui.views.history_view import HistoryView
from desktop_app.gui.views.map_view import MapView
from desktop_app.gui.views.parallel_view import ParallelView

IMPORTANCE_TARGET_MS = 200.0
FRAME_TARGET_MS = 16.0
BRUSH_TARGET_MS = 30.0
BIG_TARGET_MS = 50.0
Figure = tuple[str, float, float | None]  # name, milliseconds, target (None: printed only)


def bench_importance(trials: int = 2000, more: int = 50, repeats: int = 3) -> list[Figure]:
    """The first PED-ANOVA (adding ``trials``) and a recompute after ``more``: the median
    of ``repeats`` fresh models, in ms."""
    model = study_model(trials + more)
    first_trials = importance_trials(model, range(trials))
    later = importance_trials(model, range(trials, trials + more))
    first, again = [], []
    for _ in range(repeats):
        importance = ImportanceModel(space(), "minimize")
        t0 = time.perf_counter()
        importance.add(first_trials)
        importance.compute("ped_anova")
        t1 = time.perf_counter()
        importance.add(later)
        result = importance.compute("ped_anova")
        t2 = time.perf_counter()
        first.append((t1 - t0) * 1e3)
        again.append((t2 - t1) * 1e3)
    assert result.values and result.values[0][0] == "learning_rate", result
    return [(f"importance, first ({trials:,} trials)", statistics.median(first), None),
            (f"importance, recompute (+{more})", statistics.median(again),
             IMPORTANCE_TARGET_MS)]


def _timed(app: QApplication, steps: int, step: Callable[[int], None],
           widget: QWidget) -> float:
    """Median ms of ``step(i)`` followed by painting ``widget`` completely."""
    times = []
    for i in range(steps):
        t0 = time.perf_counter()
        step(i)
        widget.grab()
        times.append((time.perf_counter() - t0) * 1e3)
        app.processEvents()
    return statistics.median(times)


def bench_view(app: QApplication, cls: type, trials: int, frames: int) -> tuple[float, ...]:
    """(first draw, frame median, brush-step median) in ms of view ``cls`` over ``trials``
    (for the history, a selection step instead of the brush step)."""
    model = study_model(trials)
    view = cls(model)
    view.resize(1200, 700)
    t0 = time.perf_counter()
    view.show()  # a view draws when shown (as its tab is chosen), not while hidden
    view.flush()
    view.grab()
    first = (time.perf_counter() - t0) * 1e3
    app.processEvents()

    def finish_one(i: int) -> None:
        model.apply_many(trial_events(1, start=trials + i))  # a trial finishes
        view.flush()

    def brush(i: int) -> None:
        if cls is ParallelView:
            view.set_brush("learning_rate", 0.2 + 0.004 * i, 0.7 + 0.002 * i)
        elif cls is HistoryView:
            model.select((i * 7919) % trials)  # anywhere in the study
            view.flush()
        else:
            view.set_rect(QRectF(-3.0 + 0.01 * i, -3.2, 1.5, 1.5 + 0.01 * i))

    figures = (first, _timed(app, frames, finish_one, view), _timed(app, frames, brush, view))
    view.close()
    view.deleteLater()
    app.processEvents()
    return figures


def bench_views(app: QApplication, trials: int, frames: int) -> list[Figure]:
    """Frame and brush-step medians of the parallel view, the map and the history over
    ``trials``."""
    big = trials > 2000
    frame_target = BIG_TARGET_MS if big else FRAME_TARGET_MS
    brush_target = BIG_TARGET_MS if big else BRUSH_TARGET_MS
    figures: list[Figure] = []
    size = f"{trials:,}"
    for name, cls in (("parallel", ParallelView), ("map", MapView), ("history", HistoryView)):
        first, frame, brush = bench_view(app, cls, trials, frames)
        step = {ParallelView: "brush step", MapView: "rectangle step"}.get(cls, "select step")
        figures += [(f"{name} first draw ({size})", first, None),
                    (f"{name} frame ({size})", frame, frame_target),
                    (f"{name} {step} ({size})", brush, brush_target)]
    return figures


def report(figures: list[Figure]) -> bool:
    """Print each figure beside its target; False when one is missed."""
    ok = True
    for name, ms, target in figures:
        verdict = ""
        if target is not None:
            passed = ms < target
            ok &= passed
            verdict = f"  [{'ok' if passed else 'MISSED'}: < {target:g} ms]"
        print(f"  {name:34s} {ms:8.1f} ms{verdict}")
    return ok


def run(app: QApplication, frames: int, big: int | None) -> bool:
    """Every figure of this module; False when a target is missed."""
    print("analysis views (median ms; frame = a trial finishes, flush and full paint):")
    ok = report(bench_importance())
    ok &= report(bench_views(app, 2000, frames))
    if big:
        ok &= report(bench_views(app, big, frames))
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=30)
    parser.add_argument("--big", type=int, default=100_000, help="trials of the big case")
    parser.add_argument("--no-big", action="store_true", help="skip the big case")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    ok = run(app, args.frames, None if args.no_big else args.big)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
