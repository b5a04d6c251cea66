"""Before/after: run one benchmark on an earlier commit and on this tree, in the same run.

A refactor must not slow anything down; timings taken on different days (or under different
load) cannot show that, so this script checks out ``--ref`` into a temporary git worktree and
runs the same benchmark command alternately on it and on the working tree (``--rounds`` times
each, interleaved so both see the same load). Each line of output that carries numbers is then
printed once with both trees' figures (median over rounds) and the ratio now/before::

    .venv/bin/python benchmarks/compare_trees.py --ref HEAD~5 -- benchmarks/bench_sweep.py --part b

The script after ``--`` is run with this interpreter and ``PYTHONPATH`` pointing at the tree
under test, so ``desktop_app`` is imported from that tree (also in spawned worker processes);
each tree runs its own copy of the script (a refactor may move what it imports), or this
tree's copy when the earlier commit has none.
Lines whose wording differs between the trees are printed as they are.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")  # not the 95 of "p95"


def run_in(tree: Path, command: list[str]) -> list[str]:
    """The output lines of ``command`` run with ``desktop_app`` imported from ``tree``."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    own = tree / command[0]
    script = [str(own if own.exists() else ROOT / command[0]), *command[1:]]
    done = subprocess.run([sys.executable, *script], cwd=tree, env=env, capture_output=True,
                          text=True, check=False)
    if done.returncode not in (0, 1):  # benchmarks exit 1 when a target is missed
        sys.exit(f"{tree}: {' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout.splitlines()


def median_lines(runs: list[list[str]]) -> list[tuple[str, str, list[float]]]:
    """Per line: its first run's text, its wording with numbers as {} ("" when the runs word
    it differently) and the median of each number over the runs."""
    lines = []
    for parts in zip(*runs, strict=False):
        shapes = {NUMBER.sub("{}", line) for line in parts}
        if len(shapes) != 1:
            lines.append((parts[0], "", []))
            continue
        numbers = [[float(x) for x in NUMBER.findall(line)] for line in parts]
        medians = [statistics.median(col) for col in zip(*numbers, strict=True)]
        lines.append((parts[0], shapes.pop(), medians))
    return lines


def compare(before: list[list[str]], after: list[list[str]]) -> list[str]:
    """One printable line per output line: ``before -> after (xratio)`` for each number."""
    out = []
    for (text, shape, old), (new_text, new_shape, new) in zip(
        median_lines(before), median_lines(after), strict=False
    ):
        if shape != new_shape or not shape:
            out += [f"before: {text}", f"after:  {new_text}"] if text != new_text else [text]
            continue
        if not old:
            out.append(text)
            continue
        cells = [f"{a:.4g} -> {b:.4g}" + (f" (x{b / a:.2f})" if a else "")
                 for a, b in zip(old, new, strict=True)]
        out.append(shape.replace("{}", "[{}]").format(*cells))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", required=True, help="the earlier commit (any git revision)")
    parser.add_argument("--rounds", type=int, default=3, help="runs per tree, interleaved")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- script.py [args]")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the benchmark command after --")
    with tempfile.TemporaryDirectory(prefix="caviar-ref-") as tmp:
        ref_tree = Path(tmp) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(ref_tree), args.ref],
                       cwd=ROOT, check=True)
        try:
            before, after = [], []
            for _ in range(args.rounds):
                before.append(run_in(ref_tree, command))
                after.append(run_in(ROOT, command))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(ref_tree)], cwd=ROOT,
                           check=False)
    print(f"{' '.join(command)}: {args.ref} -> working tree, median of {args.rounds} rounds each")
    print("\n".join(compare(before, after)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
