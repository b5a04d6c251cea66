"""How fast the study views draw, and how responsive the GUI thread stays during a sweep.

1. Frame time: a 1600x900 window holding the loss curves of 200 trials x 100 epochs and a
   sweep scatter of 2,000 points (two StudyModels: 2,000 curves is not the case we size for).
   Timed, 50 frames each, offscreen:
   - "live tick": two running trials of each model get an epoch, the views run their 30 Hz
     flush and the event loop paints what changed: one frame of a running sweep;
   - "plots repaint": ``grab()`` renders curves and scatter completely, as after an expose;
     "window repaint" adds the trials table (reported, no target).
   Target: median and p95 under 16 ms.
2. Event-loop lateness: a real sweep (Coordinator, process executor, 2 workers, spiral data)
   driven from a QThread by ``RunController``, events relayed by signals into a StudyModel and
   the three views in a shown window; a 10 ms precise QTimer measures how late the GUI thread
   serves it. Target: p99 under 50 ms. Run again with the importance view shown too, on a
   study that already holds 2,000 finished trials (the sweep's trials numbered after them):
   once its first computation is done, the sweep starts and PED-ANOVA is recomputed on its
   worker thread every 3 s as trials finish. Same target.
3. The analysis views (``bench_analysis.py``): importance first computation and recompute
   (target: recompute under 200 ms), parallel coordinates and 2-D map frame (16 ms) and brush
   step (30 ms) at 2,000 trials, frame and brush step at 100,000 (50 ms).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_ui.py [--frames 50]
        [--seconds 10] [--no-sweep] [--baseline] [--no-analysis] [--big 100000]

Exits 1 when a target is missed. The machine's other load shows up in the figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import sys
import time
from typing import NamedTuple

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication, QSplitter

from desktop_app.core.events import EpochEnded, TrialFinished, TrialStarted
from desktop_app.core.search import build_space
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.views.importance_view import ImportanceView
from desktop_app.gui.views.loss_curves import LossCurves
from desktop_app.gui.views.sweep_scatter import SweepScatter
from desktop_app.gui.views.trials_table import TrialsTable

FRAME_TARGET_MS = 16.0
LATENESS_TARGET_MS = 50.0
TIMER_MS = 10
HISTORY = 2000
"""Finished trials the study holds before the sweep of the importance run."""
SPACE = {
    "learning_rate": {"scale": "log", "low": 1e-4, "high": 1.0},
    "beta_2": {"scale": "reverse_log", "low": 0.9, "high": 0.9999},
    "batch_size": {"scale": "pow2", "low": 16, "high": 512},
}


def synthetic_events(trials: int, epochs: int, running: int, seed: int = 0) -> list:
    """``trials`` trials with noisy decaying losses; the last ``running`` ones stay running
    with half of their epochs."""
    rng = np.random.default_rng(seed)
    events: list = []
    for n in range(trials):
        lr = 10 ** rng.uniform(-4, 0)
        params = {"learning_rate": lr, "beta_2": 1 - 10 ** rng.uniform(-4, -1),
                  "batch_size": int(2 ** rng.integers(4, 10))}
        events.append(TrialStarted("bench", n, params, seed=n))
        floor = 0.1 + 0.3 * abs(math.log10(lr) + 2)
        e = np.arange(1, epochs + 1)
        train = floor + np.exp(-e / 10) + rng.normal(0, 0.01, epochs)
        val = train + 0.05 + rng.normal(0, 0.02, epochs)
        done = n < trials - running
        events += [
            EpochEnded("bench", n, int(i), float(t), 1 - t / 3, float(v), 1 - v / 3, lr, 0.01)
            for i, t, v in zip(e, train, val, strict=True)
            if done or i <= epochs // 2
        ]
        if done:
            events.append(TrialFinished("bench", n, "complete", float(val[-1]), epochs, 1.0))
    return events


def stats(samples_ms: list[float]) -> tuple[float, float, float, float]:
    """Median, p95, p99 and max of ``samples_ms``."""
    a = np.asarray(samples_ms)
    return (float(np.median(a)), float(np.percentile(a, 95)), float(np.percentile(a, 99)),
            float(a.max()))


def build_window(curve_model: StudyModel, scatter_model: StudyModel) -> tuple:
    """A realistic main-window-sized splitter: curves | scatter over the trials table."""
    window = QSplitter(Qt.Orientation.Vertical)
    plots = QSplitter(Qt.Orientation.Horizontal)
    curves, scatter = LossCurves(curve_model), SweepScatter(scatter_model)
    table = TrialsTable(curve_model)
    plots.addWidget(curves)
    plots.addWidget(scatter)
    window.addWidget(plots)
    window.addWidget(table)
    window.setSizes([650, 250])
    window.resize(1600, 900)
    window.show()
    return window, plots, curves, scatter, table


def settle(app: QApplication, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


Row = tuple[str, tuple[float, float, float, float], float | None]


def bench_frames(app: QApplication, frames: int) -> list[Row]:
    """Frame times (ms) of a live tick and of full repaints, with their targets: wall clock,
    and the GUI thread's CPU time (which other programs on a busy machine inflate less)."""
    space = build_space(SPACE)
    curve_model, scatter_model = StudyModel(), StudyModel()
    curve_model.set_study(space, "val_loss", "minimize")
    scatter_model.set_study(space, "val_loss", "minimize")
    curve_model.apply_many(synthetic_events(200, 100, running=2))
    scatter_model.apply_many(synthetic_events(2000, 3, running=2, seed=1))
    window, plots, curves, scatter, _ = build_window(curve_model, scatter_model)
    curves.flush()
    scatter.flush()
    settle(app)
    window.grab()
    live: list[float] = []
    live_cpu: list[float] = []
    for epoch in range(51, 51 + frames):  # the two running trials of each model go on
        t0, c0 = time.perf_counter(), time.thread_time()
        for model, first in ((curve_model, 198), (scatter_model, 1998)):
            model.apply_many([EpochEnded("bench", n, epoch, 0.3 + 1 / epoch, 0.9, 0.35 + 1 / epoch,
                                         0.88, 0.01, 0.01) for n in (first, first + 1)])
        curves.flush()  # what the views' 30 Hz timers run
        scatter.flush()
        app.processEvents()  # paints what changed (and the table when its 100 ms timer fires)
        live.append((time.perf_counter() - t0) * 1e3)
        live_cpu.append((time.thread_time() - c0) * 1e3)
    rows: list[Row] = [("live tick", stats(live), FRAME_TARGET_MS),
                       ("  (GUI-thread CPU)", stats(live_cpu), None)]
    for name, widget, target in (("plots repaint", plots, FRAME_TARGET_MS),
                                 ("window repaint", window, None)):
        wall: list[float] = []
        cpu: list[float] = []
        for _ in range(frames):
            t0, c0 = time.perf_counter(), time.thread_time()
            widget.grab()
            wall.append((time.perf_counter() - t0) * 1e3)
            cpu.append((time.thread_time() - c0) * 1e3)
        rows += [(name, stats(wall), target), ("  (GUI-thread CPU)", stats(cpu), None)]
    counts = (curves.curve_count(), scatter.point_count())
    print(f"frame: {counts[0]} curves x 100 epochs, {counts[1]} scatter points; plots "
          f"{plots.width()}x{plots.height()} in a {window.width()}x{window.height()} window "
          f"whose trials table adds the rest (no target for the table)")
    window.close()
    return rows


class SweepResult(NamedTuple):
    """Lateness statistics (ms), events relayed, trials shown, GUI-thread CPU share."""

    lateness: tuple[float, float, float, float]
    events: int
    trials: int
    busy: float


def bench_lateness(app: QApplication, seconds: float, shown: bool = True,
                   importance: bool = False) -> SweepResult:
    """GUI-thread lateness (ms) of a 10 ms timer while a 2-worker sweep runs; ``shown=False``
    keeps the views hidden (a baseline: what the machine and the relay cost alone);
    ``importance`` adds the importance view, shown, and :data:`HISTORY` finished trials."""
    from desktop_app.core.config import parse_config
    from desktop_app.core.study import open_storage
    from desktop_app.gui.live.run_controller import RunController

    config = parse_config({
        "study": {"name": "bench-ui", "metric": "val_loss", "strategy": "random",
                  "trials": 1000, "workers": 2, "executor": "process", "seed": 0},
        "data": {"dataset": "spiral", "samples": 600},
        "train": {"epochs": 50, "hidden_units": 64, "hidden_layers": 2},
        "params": SPACE,
    })
    model = StudyModel()
    model.set_study(config.space, config.study.metric, config.study.direction)
    offset = HISTORY if importance else 0
    if importance:
        model.apply_many(synthetic_events(HISTORY, 3, running=0, seed=2))
    window, *_ = build_window(model, model)
    if not shown:
        window.hide()
    view = ImportanceView(model) if importance else None
    if view is not None:  # the first computation (part 3 times it) ends before the sweep
        view.resize(700, 400)
        view.show()  # then it is recomputed every 3 s as trials finish
        deadline = time.perf_counter() + 30
        while view.result is None and time.perf_counter() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    controller = RunController()
    events = [0]

    def on_event(event: object) -> None:
        events[0] += 1
        if offset and hasattr(event, "number"):
            event = dataclasses.replace(event, number=event.number + offset)
        model.apply(event)

    controller.event.connect(on_event)
    lateness: list[float] = []
    clock = QElapsedTimer()
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(TIMER_MS)
    last = [0]

    def tick() -> None:
        now = clock.nsecsElapsed()
        if last[0]:
            lateness.append(max(0.0, (now - last[0]) / 1e6 - TIMER_MS))
        last[0] = now

    timer.timeout.connect(tick)
    loop = QEventLoop()
    controller.finished.connect(lambda _: loop.quit())
    controller.failed.connect(lambda message: print("sweep failed:", message))
    storage = open_storage(None)
    if not controller.start(config, storage):
        raise SystemExit("could not start the sweep")
    clock.start()
    timer.start()
    cpu0 = time.thread_time()
    QTimer.singleShot(int(seconds * 1000), controller.stop)
    loop.exec()
    busy = (time.thread_time() - cpu0) / (clock.nsecsElapsed() / 1e9)
    timer.stop()
    window.close()
    if view is not None:
        view.shutdown()
        view.close()
    if len(lateness) < 10:
        raise SystemExit("the sweep ended before the lateness could be measured")
    return SweepResult(stats(lateness), events[0], len(model), busy)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0, help="sweep time for part 2")
    parser.add_argument("--no-sweep", action="store_true", help="skip part 2")
    parser.add_argument("--baseline", action="store_true",
                        help="part 2 again with the views hidden, to separate their cost from "
                             "the machine's")
    parser.add_argument("--no-analysis", action="store_true",
                        help="skip part 3 and part 2's importance run")
    parser.add_argument("--big", type=int, default=100_000, help="trials of part 3's big case "
                        "(0: skip it)")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    ok = True
    for name, (median, p95, p99, worst), target in bench_frames(app, args.frames):
        verdict = ""
        if target is not None:
            passed = median < target and p95 < target
            ok &= passed
            verdict = f"  [{'ok' if passed else 'MISSED'}: median and p95 < {target:g} ms]"
        print(f"  {name:19s} median {median:6.2f} ms  p95 {p95:6.2f} ms  p99 {p99:6.2f} ms  "
              f"max {worst:6.2f} ms{verdict}")
    if not args.no_sweep:
        runs = [("views shown", True, False)]
        runs += [("views hidden", False, False)] if args.baseline else []
        runs += [] if args.no_analysis else [(f"+ importance, {HISTORY:,} trials before", True,
                                              True)]
        for label, shown, importance in runs:
            result = bench_lateness(app, args.seconds, shown, importance)
            median, p95, p99, worst = result.lateness
            print(f"sweep ({label}): 2 process workers, {result.events} events, "
                  f"{result.trials} trials in {args.seconds:g} s; GUI thread busy "
                  f"{100 * result.busy:.0f}% of the time")
            verdict = ""
            if shown:
                passed = p99 < LATENESS_TARGET_MS
                ok &= passed
                verdict = f"  [{'ok' if passed else 'MISSED'}: p99 < {LATENESS_TARGET_MS:g} ms]"
            print(f"  lateness of a {TIMER_MS} ms timer: median {median:.2f} ms  p95 {p95:.2f} ms"
                  f"  p99 {p99:.2f} ms  max {worst:.2f} ms{verdict}")
    if not args.no_analysis:
        from bench_analysis import run as bench_analysis

        ok &= bench_analysis(app, args.frames, args.big or None)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
