"""The ``caviar`` command line: the window, and headless sweeps for machines with no display.

Verbs: (none) or ``gui`` open the window; ``sweep``, ``resume``, ``studies``, ``export`` and
``import`` (Optuna studies, in :mod:`desktop_app.cli_optuna`) work without Qt. Bad input
exits with status 2 and one line naming the file and the field, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from desktop_app import __version__
from desktop_app.cli_common import UserError, open_storage, pick_study, user_errors
from desktop_app.core.errors import EXIT_USAGE
from desktop_app.core.kinds import EXECUTOR_KINDS, SCREENSHOT_VIEWS

if TYPE_CHECKING:
    from desktop_app.core.config import StudyConfig
    from desktop_app.core.events import StudyFinished
    from desktop_app.core.runner import Coordinator
    from desktop_app.core.runner.progress import Progress
    from desktop_app.core.study import Storage



def build_parser() -> argparse.ArgumentParser:
    """The argument parser (public so the docs and tests can list the verbs)."""
    parser = argparse.ArgumentParser(
        prog="caviar", description="Caviar: a desktop studio for hyperparameter tuning."
    )
    parser.add_argument("--version", action="version", version=f"caviar {__version__}")
    parser.add_argument("--selftest", action="store_true",
                        help="run a 2-trial sweep in the window offscreen, check it, exit")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")

    gui = verbs.add_parser("gui", help="open the window (optionally a study .db or config .toml)")
    gui.add_argument("file", nargs="?", help="a study database (.db) or a sweep config (.toml)")
    gui.add_argument("--view", choices=SCREENSHOT_VIEWS, default="window",
                     help="with --screenshot: capture this view instead of the whole window")
    gui.add_argument("--screenshot", metavar="OUT.png",
                     help="run a short sweep, save a PNG of the window and exit")

    sweep = verbs.add_parser("sweep", help="run a sweep headless from a TOML config")
    sweep.add_argument("config", help="the sweep config (.toml)")
    sweep.add_argument("--storage", metavar="FILE.db",
                       help="study database (default: the config's path with .db)")
    _add_run_options(sweep)
    sweep.add_argument("--trials", type=int, metavar="N", help="number of trials (budget)")

    resume = verbs.add_parser("resume", help="continue an interrupted study")
    resume.add_argument("storage", metavar="FILE.db")
    resume.add_argument("--study", metavar="NAME", help="which study (needed if several)")
    _add_run_options(resume)

    studies = verbs.add_parser("studies", help="list the studies in a database")
    studies.add_argument("storage", metavar="FILE.db")

    export = verbs.add_parser("export", help="export a study's trials as CSV or JSON")
    export.add_argument("storage", metavar="FILE.db")
    export.add_argument("--study", metavar="NAME", help="which study (needed if several)")
    export.add_argument("--format", choices=("csv", "json", "optuna"), default="csv")
    export.add_argument("-o", "--output", metavar="FILE",
                        help="write here (default: stdout); optuna: a .db, .log or URL")

    report = verbs.add_parser("report", help="every view of a study in one HTML (or PDF) file")
    report.add_argument("storage", metavar="FILE.db")
    report.add_argument("--study", metavar="NAME", help="which study (needed if several)")
    report.add_argument("-o", "--output", metavar="report.html", required=True,
                        help="the file to write: .html (pictures inside) or .pdf")

    from desktop_app.cli_optuna import add_import_parser
    from desktop_app.cli_weights import add_weights_parser

    add_import_parser(verbs)
    add_weights_parser(verbs)
    return parser


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    """Where and how wide trials run: the same overrides for ``sweep`` and ``resume``."""
    parser.add_argument("--workers", type=int, metavar="N", help="parallel trials")
    parser.add_argument("--executor", choices=EXECUTOR_KINDS,
                        help="where trials run")
    parser.add_argument("--scheduler", metavar="tcp://HOST:8786",
                        help="Dask scheduler for --executor dask (default: a local cluster)")


def _overrides(args: argparse.Namespace) -> dict[str, object]:
    """The ``[study]`` values given on the command line."""
    names = ("workers", "executor", "scheduler", "trials")
    return {k: getattr(args, k) for k in names if getattr(args, k, None) is not None}


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the process exit status."""
    args = build_parser().parse_args(argv)
    try:
        if args.selftest:
            from desktop_app.selftest import run_selftest

            return run_selftest()
        if args.verb in (None, "gui"):
            from desktop_app.gui.app import run_gui

            return run_gui(getattr(args, "file", None), getattr(args, "screenshot", None),
                           getattr(args, "view", "window"))
        from desktop_app.cli_optuna import export_optuna, import_verb
        from desktop_app.cli_weights import weights_verb

        if args.verb == "export" and args.format == "optuna":
            return export_optuna(args)
        handler = {"sweep": _sweep, "resume": _resume, "studies": _studies, "export": _export,
                   "import": import_verb, "weights": weights_verb, "report": _report}
        return handler[args.verb](args)
    except UserError as exc:
        print(exc, file=sys.stderr)  # one line that starts with the file, as documented
        return EXIT_USAGE
    except BrokenPipeError:  # `caviar export db | head`: the reader left, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


# --- verbs --------------------------------------------------------------------------------


def _sweep(args: argparse.Namespace) -> int:
    from desktop_app.core.config import check_data, load_config

    path = Path(args.config)
    with user_errors(path.name):
        config = load_config(path).replace(**_overrides(args))
        check_data(config)
    if not config.space.names:
        print(f"{path.name}: params: none searched: every trial trains the same settings (only "
              "the seed differs); add a [params.NAME] table to search", file=sys.stderr)
    storage_path = Path(args.storage) if args.storage else path.with_suffix(".db")
    with open_storage(storage_path) as storage:
        if config.study.name in {s.name for s in storage.list_studies()}:
            raise UserError(
                f"{storage_path}: a study named {config.study.name!r} exists already: "
                f"continue it with 'caviar resume {storage_path} --study {config.study.name}' "
                "or change [study] name"
            )
        return _drive(storage, config, storage_path)


def _resume(args: argparse.Namespace) -> int:
    from desktop_app.core.config import check_data, parse_config

    path = Path(args.storage)
    with open_storage(path, must_exist=True) as storage:
        record = pick_study(storage, path, args.study)
        with user_errors(f"{path.name}: study {record.name!r}"):
            config = parse_config(record.config).replace(**_overrides(args))
            check_data(config)
        return _drive(storage, config, path)


def _studies(args: argparse.Namespace) -> int:
    from desktop_app.core.study import FINISHED_STATES

    path = Path(args.storage)
    with open_storage(path, must_exist=True) as storage:
        studies = storage.list_studies()
        if not studies:
            print(f"{path}: no studies")
        for study in studies:
            trials = storage.get_trials(study.study_id)
            finished = sum(t.state in FINISHED_STATES for t in trials)
            left = sum(t.state not in FINISHED_STATES for t in trials)
            settings = study.config.get("study", {})
            line = (f"{study.name}: {finished} finished of {settings.get('trials', '?')}, "
                    f"strategy {settings.get('strategy', '?')}, metric "
                    f"{settings.get('metric', '?')}")
            if left:
                line += f", {left} to resume"
            print(line)
    return 0


def _report(args: argparse.Namespace) -> int:
    path = Path(args.storage)
    with open_storage(path, must_exist=True) as storage:
        name = pick_study(storage, path, args.study).name
    from desktop_app.gui.app import write_report

    return write_report(str(path), name, Path(args.output))


def _export(args: argparse.Namespace) -> int:
    from desktop_app.core.export import export_table, save_export, write_csv, write_json

    path = Path(args.storage)
    with open_storage(path, must_exist=True) as storage:
        record = pick_study(storage, path, args.study)
        columns, rows = export_table(storage, record.name)  # rows stream while it is open
        write = write_csv if args.format == "csv" else write_json
        if args.output:
            with user_errors(""):
                save_export(write, columns, rows, Path(args.output))
        else:
            write(columns, rows, sys.stdout)
    return 0


# --- helpers ------------------------------------------------------------------------------


def _drive(storage: Storage, config: StudyConfig, storage_path: Path) -> int:
    """Run the coordinator with a progress line; Ctrl-C stops cleanly (resumable)."""
    from desktop_app.core.events import Notice, StudyFinished
    from desktop_app.core.runner import Coordinator

    with user_errors(f"{storage_path.name}"):
        coordinator = Coordinator(storage, config)
    bar = _ProgressLine(sys.stderr)
    finished: StudyFinished | None = None
    try:
        with _stop_on_interrupt(coordinator, bar), user_errors(storage_path.name):
            for event in coordinator.run():
                bar.show(coordinator.progress())
                if isinstance(event, StudyFinished):
                    finished = event
                elif isinstance(event, Notice):
                    bar.note(f"{storage_path.name}: note: {event.text}")
    finally:
        bar.close()  # also before a full disk's one line
    if finished is None:
        return 1
    status = _print_summary(storage, coordinator.study_id, finished, config.study.metric,
                            storage_path)
    return 130 if finished.stopped else status


def _print_summary(
    storage: Storage, study_id: int, finished: StudyFinished, metric: str, storage_path: Path
) -> int:
    """Print how the sweep ended; return 1 when every finished trial failed, else 0."""
    from desktop_app.core.study import FINISHED_STATES, TrialState

    if finished.message:
        print(finished.message)
    print(f"{finished.finished} of {finished.budget} trials finished"
          + (" (stopped: continue with 'caviar resume " + str(storage_path) + "')"
             if finished.stopped else ""))
    if finished.best_number is None:
        done = storage.get_trials(study_id, FINISHED_STATES)
        if done and all(t.state is TrialState.FAILED for t in done):
            reason = (done[0].error.strip().splitlines() or ["no reason stored"])[-1]
            print(f"every trial failed; the first, trial {done[0].number}: "
                  f"{_short_exception(reason)}")
            return 1
        print("no trial completed")
        return 0
    best = storage.get_trial(study_id, finished.best_number)
    params = ", ".join(f"{k}={_fmt(v)}" for k, v in best.params.items())
    print(f"best trial {best.number}: {metric} = {_fmt(finished.best_value)}"
          + (f"  ({params})" if params else ""))
    return 0


def _short_exception(line: str) -> str:
    """A traceback's last line without the exception's module path."""
    name, colon, rest = line.partition(": ")
    return f"{name.rsplit('.', 1)[-1]}{colon}{rest}" if " " not in name else line


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


@contextmanager
def _stop_on_interrupt(coordinator: Coordinator, bar: _ProgressLine) -> Iterator[None]:
    """Ctrl-C, SIGTERM (``timeout``, systemd) and SIGHUP (the terminal closed) ask the
    coordinator to stop; it marks the running trials interrupted, so resume re-runs them."""

    def handler(signum: int, frame: object) -> None:
        bar.note("stopping: running trials will be marked interrupted (resumable)")
        coordinator.stop()

    names = ("SIGINT", "SIGTERM", "SIGHUP")
    previous = {sig: signal.signal(sig, handler)
                for sig in (getattr(signal, n) for n in names if hasattr(signal, n))}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


class _ProgressLine:
    """One self-rewriting progress line on a terminal; a line per finished trial otherwise."""

    WIDTH = 24

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.tty = out.isatty()
        self.last_done = -1

    def show(self, progress: Progress) -> None:
        from desktop_app.core.runner.progress import format_duration

        done, total = progress.done, max(progress.total, 1)
        filled = int(self.WIDTH * min(done, total) / total)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        text = f"[{bar}] {done}/{progress.total} trials, {progress.running} running"
        if progress.best_value is not None:
            text += f", best {progress.best_value:.4g} (trial {progress.best_number})"
        if progress.eta_seconds is not None:
            text += f", ETA {format_duration(progress.eta_seconds)}"
        if self.tty:
            self._write("\r" + text.ljust(100)[:120])
        elif done != self.last_done:
            self._write(text + "\n")
        self.last_done = done

    def note(self, text: str) -> None:
        self._write(("\n" if self.tty else "") + text + "\n")

    def close(self) -> None:
        self._write("\n" if self.tty else "")

    def _write(self, text: str) -> None:
        """Write and flush; a terminal that closed under us (SIGHUP) is no error."""
        with contextlib.suppress(OSError, ValueError):
            self.out.write(text)
            self.out.flush()


__all__ = ["build_parser", "main"]
