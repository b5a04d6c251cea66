"""``caviar weights``: write the trained models a study kept (its best trials) as ``.npz``
files, one per trial (``<study>-trial-<N>.npz``; numpy's ``np.load`` reads them, and Caviar's
network rebuilds from one with ``desktop_app.core.nn.load_network``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli_common import UserError, open_storage, pick_study


def add_weights_parser(verbs: argparse._SubParsersAction) -> None:
    """The ``weights`` verb's arguments."""
    parser = verbs.add_parser("weights", help="write the kept models of a study's best trials "
                                              "as .npz files")
    parser.add_argument("storage", metavar="FILE.db")
    parser.add_argument("--study", metavar="NAME", help="which study (needed if several)")
    parser.add_argument("--trial", type=int, metavar="N", help="only this trial's model")
    parser.add_argument("-o", "--output", metavar="DIR", required=True,
                        help="the folder to write into (created if new)")


def weights_verb(args: argparse.Namespace) -> int:
    """Write the models; one line per file written, one error line naming the file if not."""
    path = Path(args.storage)
    with open_storage(path, must_exist=True) as storage:
        record = pick_study(storage, path, args.study)
        kept = storage.weights_numbers(record.study_id)
        numbers = kept if args.trial is None else [args.trial]
        if args.trial is not None and args.trial not in kept:
            listed = ", ".join(map(str, kept)) or "none (keep_weights = 0, or no trial completed)"
            raise UserError(f"{path}: study {record.name!r} kept no model of trial "
                            f"{args.trial}; kept: {listed}")
        if not numbers:
            print(f"{path}: study {record.name!r} kept no model")
            return 0
        folder = Path(args.output)
        for number in numbers:
            data = storage.get_weights(record.study_id, number) or b""
            target = folder / f"{record.name}-trial-{number}.npz"
            try:
                folder.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            except OSError as exc:
                raise UserError(f"{target}: cannot write it ({exc.strerror or exc}); pick "
                                "another folder with -o") from None
            print(target)
    return 0
