"""`caviar weights`: the kept models of the best trials as .npz files Caviar's network (and
numpy) read back."""

from __future__ import annotations

from pathlib import Path

from desktop_app.cli import main
from desktop_app.core.nn import load_network
from desktop_app.core.study import SQLiteStorage
from tests.cli.helpers import write_config


def test_the_kept_models_are_written_and_load(tmp_path: Path, capsys) -> None:
    config = write_config(tmp_path, trials=4, epochs=1)
    config.write_text(config.read_text().replace("seed = 3", "seed = 3\nkeep_weights = 2"))
    assert main(["sweep", str(config)]) == 0
    capsys.readouterr()
    db = tmp_path / "sweep.db"
    assert main(["weights", str(db), "-o", str(tmp_path / "models")]) == 0
    written = capsys.readouterr().out.split()
    with SQLiteStorage(db) as storage:
        kept = storage.weights_numbers(storage.get_study("small").study_id)
    assert written == [str(tmp_path / "models" / f"small-trial-{n}.npz") for n in kept]
    assert len(kept) == 2
    assert load_network(written[0]).n_inputs == 2
    assert main(["weights", str(db), "--trial", "99", "-o", str(tmp_path / "m")]) == 2
    line = capsys.readouterr().err.strip()
    assert line == (f"{db}: study 'small' kept no model of trial 99; kept: "
                    f"{', '.join(map(str, kept))}")
    (tmp_path / "file").write_text("")
    assert main(["weights", str(db), "-o", str(tmp_path / "file" / "sub")]) == 2
    assert "cannot write it" in capsys.readouterr().err
