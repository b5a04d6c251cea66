"""When the sweep scatter's view must move to take in its points, and by how much.

Boxes are ``[x low, x high, y low, y high]`` in view coordinates (log10 on a log axis).
"""

from __future__ import annotations


def inside(box: list[float], shown: list[float]) -> bool:
    """True when ``shown`` takes in all of ``box``."""
    return shown[0] <= box[0] and box[1] <= shown[1] and shown[2] <= box[2] and box[3] <= shown[3]


def too_loose(box: list[float], shown: list[float]) -> bool:
    """True when ``shown`` is more than twice as wide or tall as ``box`` needs."""
    needed = padded(box, 0.1)
    return (shown[1] - shown[0] > 2 * (needed[1] - needed[0])
            or shown[3] - shown[2] > 2 * (needed[3] - needed[2]))


def padded(box: list[float], fraction: float) -> list[float]:
    """``box`` grown by ``fraction`` of its size on each side (a point gets a small box)."""
    out: list[float] = []
    for low, high in ((box[0], box[1]), (box[2], box[3])):
        span = high - low or max(abs(high) * 0.1, 0.1)
        out += [low - fraction * span, high + fraction * span]
    return out
