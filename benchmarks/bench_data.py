"""Memory and time of loading a big CSV file (issue 11, item 6). Linux (reads /proc).

Writes a CSV of about 200 MB (``--rows`` x ``--features`` numbers and a text label) into a
temporary folder, deleted afterwards, and measures, each step in a fresh process:

(a) one load: ``load_dataset`` and ``load_split`` with no prepared copy beside the file, then
    ``load_split`` again once a first load has left its prepared copy (when the tree under
    test makes one): wall time and peak RSS (VmHWM);
(b) ``--workers`` trial workers starting together, each running one trial for one epoch
    through ``trainers.network.fit`` (as a process worker does), first with no prepared copy, then
    again: wall time, and per worker the trial's time, peak RSS and, at the end of the epoch,
    its private memory (RssAnon), file-backed pages (RssFile, shared between workers) and PSS
    (its fair share).

Before/after the change, in one run::

    .venv/bin/python benchmarks/compare_trees.py --ref <rev> --rounds 1 -- benchmarks/bench_data.py
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

MB = 1 << 20
CACHE = ".caviar-cache"  # where the prepared copy lives (absent before the change)


def write_csv(path: Path, rows: int, features: int) -> None:
    """A CSV with a header, ``features`` numeric columns and a 5-class text label."""
    rng = np.random.default_rng(0)
    block = 100_000
    X = np.char.mod("%.6f", rng.standard_normal((block, features))).tolist()
    y = rng.integers(0, 5, block).tolist()
    text = "".join(",".join(row) + f",class_{k}\n" for row, k in zip(X, y, strict=True))
    with path.open("w", encoding="utf-8") as fh:
        fh.write(",".join(f"f{i}" for i in range(features)) + ",label\n")
        for start in range(0, rows, block):
            fh.write(text if rows - start >= block else "".join(
                text.splitlines(True)[: rows - start]))


def memory() -> dict[str, float]:
    """This process's peak RSS, private, file-backed and proportional memory in MB."""
    fields: dict[str, float] = {}
    for name in ("/proc/self/status", "/proc/self/smaps_rollup"):
        for line in Path(name).read_text().splitlines():
            key, _, value = line.partition(":")
            if value.strip().endswith("kB"):
                fields[key] = int(value.split()[0]) / 1024
    return {"peak": fields["VmHWM"], "anon": fields["RssAnon"], "file": fields["RssFile"],
            "pss": fields["Pss"]}


def child(mode: str, path: str) -> None:
    """One measured step in this fresh process; prints its figures as one JSON line."""
    from threadpoolctl import threadpool_limits

    from desktop_app.core.data import DataSpec, load_dataset, load_split
    from desktop_app.core.search import REGISTRY
    from desktop_app.core.trainers.network import fit

    threadpool_limits(limits=1)  # as a process worker
    spec = DataSpec(path)
    start = time.perf_counter()
    if mode == "dataset":
        kept: object = load_dataset(spec)
    elif mode == "split":
        kept = load_split(spec)
    elif mode == "worker":  # one trial as a worker runs it, one epoch; memory taken after it
        hp = {name: p.default for name, p in REGISTRY.items()} | {"epochs": 1,
                                                                   "batch_size": 4096}
        during: dict[str, float] = {}
        fit(hp, spec, 0, on_epoch=lambda record: during.update(memory()))
        kept = during
    else:
        kept = None
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, **memory(), **(kept if mode == "worker" else {})}))


def measure(modes: list[str], path: Path) -> tuple[float, list[dict[str, float]]]:
    """Run one child per mode, all at once; (wall seconds, their figures)."""
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, __file__, "--child", mode, str(path)],
                              stdout=subprocess.PIPE, text=True) for mode in modes]
    results = []
    for proc in procs:
        out, _ = proc.communicate()
        if proc.returncode:
            sys.exit(f"child {proc.args} failed ({proc.returncode})")
        results.append(json.loads(out))
    return time.perf_counter() - start, results


def forget(folder: Path) -> None:
    """Delete the prepared copy, so the next load starts from the CSV text."""
    shutil.rmtree(folder / CACHE, ignore_errors=True)


def run(rows: int, features: int, workers: int) -> None:
    with tempfile.TemporaryDirectory(prefix="caviar-bench-data-") as tmp:
        folder = Path(tmp)
        path = folder / "big.csv"
        write_csv(path, rows, features)
        size = path.stat().st_size / MB
        print(f"file: {size:.1f} MB, {rows} rows x {features} features + label")
        _, (base,) = measure(["none"], path)
        print(f"fresh interpreter with numpy and Caviar's data package: RSS {base['peak']:.0f} MB "
              f"(private {base['anon']:.0f} MB, file-backed {base['file']:.0f} MB)")
        for mode, again in (("dataset", False), ("split", False), ("split", True)):
            if not again:
                forget(folder)
            _, (r,) = measure([mode], path)
            state = "again, after a first load" if again else "first load of the CSV"
            print(f"(a) load_{mode}, {state}: {r['seconds']:.3f} s, peak RSS {r['peak']:.0f} MB "
                  f"({r['peak'] / size:.2f}x the file)")
        for again in (False, True):
            if not again:
                forget(folder)
            wall, results = measure(["worker"] * workers, path)
            state = "again, after a first load" if again else "first load of the CSV"
            print(f"(b) {workers} workers at once, {state}: wall {wall:.2f} s")
            for i, r in enumerate(results, 1):
                print(f"    worker {i}: trial {r['seconds']:.2f} s, peak RSS {r['peak']:.0f} MB; "
                      f"in training: private {r['anon']:.0f} MB, file-backed {r['file']:.0f} MB, "
                      f"PSS {r['pss']:.0f} MB")
            total = sum(r["pss"] for r in results)
            print(f"    all {workers} workers together: PSS {total:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_100_000)
    parser.add_argument("--features", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "CSV"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not Path("/proc/self/smaps_rollup").exists():
        sys.exit("bench_data.py reads /proc/self: run it on Linux")
    if args.child:
        child(*args.child)
    else:
        run(args.rows, args.features, args.workers)


if __name__ == "__main__":
    main()
