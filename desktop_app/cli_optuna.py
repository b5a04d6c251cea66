"""``caviar import`` and ``caviar export --format optuna``: Optuna studies both ways
(docs/optuna.md). Errors are one line naming the storage (and study), exit status 2."""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from desktop_app.cli_common import UserError, open_storage, pick_study, user_errors

IMPORT_HELP = """\
Copy one Optuna study into a Caviar study file, to view it, export it or resume it with
Caviar's strategies. Not carried over: your objective function (a resume trains Caviar's
network, on the spiral data unless the study came from Caviar), trial start/finish times
(stamped at import), system attrs, the sampler and pruner and their state, and Optuna's step
numbers (intermediate values become epochs 1, 2, ... in step order). A multi-objective study
keeps one objective as the metric (--objective) and every value in the config's [optuna]
section; a study whose parameters are not all Caviar hyperparameters imports for viewing and
export only.

STORAGE is an Optuna storage URL (sqlite:///optuna.db) or a path to an Optuna RDB .db file
or journal .log file; it is only read."""


def add_import_parser(verbs: argparse._SubParsersAction) -> None:
    """The ``import`` verb's arguments."""
    parser = verbs.add_parser(
        "import", help="copy an Optuna study into a Caviar study file", description=IMPORT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("storage", metavar="STORAGE")
    parser.add_argument("--study", metavar="NAME", help="the Optuna study (needed if several)")
    parser.add_argument("-o", "--output", metavar="STUDY.db", required=True,
                        help="the Caviar study file to write (created if new)")
    parser.add_argument("--objective", type=int, default=0, metavar="N",
                        help="multi-objective studies: which objective is the metric (from 0)")


def import_verb(args: argparse.Namespace) -> int:
    """``caviar import STORAGE --study NAME -o STUDY.db``."""
    from desktop_app.core.optuna_bridge import open_source, read_study, store_study, study_names

    _quiet_optuna()
    with user_errors(""):
        name = args.study or _only_study(args.storage, study_names(args.storage))
        source = open_source(args.storage, name)
        try:
            imported = read_study(source, args.objective)
        finally:
            source.close()
    out = Path(args.output)
    plan = imported.plan
    with open_storage(out) as storage:
        if plan.name in {s.name for s in storage.list_studies()}:
            raise UserError(f"{out}: holds a study named {plan.name!r} already; choose another "
                            "file")
        store_study(storage, imported)
    for note in plan.notes:
        print(f"{args.storage}: study {name!r}: note: {note}", file=sys.stderr)
    if plan.resume_problem:
        print(f"{out}: study {plan.name!r}: viewing and export only, Caviar cannot resume it: "
              f"{plan.resume_problem}", file=sys.stderr)
    print(f"{len(imported.trials)} trials of {name!r} imported into {out} as study "
          f"{plan.name!r}")
    return 0


def export_optuna(args: argparse.Namespace) -> int:
    """``caviar export STUDY.db --study NAME --format optuna -o STORAGE``."""
    from desktop_app.core.optuna_bridge import export_study

    if not args.output:
        raise UserError(f"{args.storage}: --format optuna needs -o STORAGE (a .db or .log "
                        "file, or a URL such as sqlite:///out.db)")
    _quiet_optuna()
    path = Path(args.storage)
    with open_storage(path, must_exist=True) as storage:
        record = pick_study(storage, path, args.study)
        with user_errors(""):
            count = export_study(storage, record.name, args.output)
    print(f"{count} trials of {record.name!r} exported to {args.output}")
    return 0


def _only_study(storage: str, names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    if not names:
        raise UserError(f"{storage}: no studies in this storage")
    raise UserError(f"{storage}: holds several studies, choose one with --study: "
                    + ", ".join(names))


def _quiet_optuna() -> None:
    """Optuna's info lines and experimental-API warnings are not the user's business here."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
