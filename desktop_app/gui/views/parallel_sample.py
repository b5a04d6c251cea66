"""Which lines the parallel view draws when a study has too many to draw them all: the best
trials, then an even sample of the rest, so a frame costs the same at 3,000 trials and at
100,000. Brushing and the kept trials still use every trial; only the drawing is sampled."""

from __future__ import annotations

import numpy as np

MAX_LINES = 3000
"""Kept lines drawn at most (past this the best and an even sample of the rest)."""
BEST_LINES = 500
"""Of the drawn kept lines, this many are the best trials."""
MAX_FADED = 1000
"""Lines outside the kept ranges drawn at most (an even sample)."""


def even_sample(rows: np.ndarray, count: int) -> np.ndarray:
    """``count`` of ``rows`` spread evenly over them (all when there are no more)."""
    if len(rows) <= count:
        return rows
    return rows[np.linspace(0, len(rows) - 1, count).astype(int)]


def drawn_rows(rows: np.ndarray, goodness: np.ndarray, limit: int = MAX_LINES,
               best: int = BEST_LINES) -> tuple[np.ndarray, int]:
    """Of ``rows``, at most ``limit`` to draw: the ``best`` with the highest ``goodness``
    (1 the better end; NaN last) and an even sample of the others; with how many best ones
    (0 when every row is drawn)."""
    if len(rows) <= limit:
        return rows, 0
    best = min(best, limit)
    score = np.nan_to_num(goodness[rows], nan=-1.0)
    top = np.argpartition(-score, best - 1)[:best]
    others = np.ones(len(rows), dtype=bool)
    others[top] = False
    chosen = np.concatenate([rows[top], even_sample(rows[others], limit - best)])
    return np.sort(chosen), best


def sample_caption(drawn: int, total: int, best: int) -> str:
    """What a sampled drawing shows, in words (empty when every line is drawn)."""
    if not best:
        return ""
    return (f"showing {drawn:,} of {total:,} lines (the best {best:,} and an even sample "
            "of the rest); brushing counts every trial")
