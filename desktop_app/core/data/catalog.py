"""The built-in datasets: their names, class counts and one-line descriptions."""

from __future__ import annotations

from desktop_app.core.errors import DataError

BUILTIN: tuple[str, ...] = ("spiral", "moons", "circles", "blobs", "xor", "iris", "digits")

#: Generated from a seed; ``samples``, ``noise`` (and for spiral/blobs ``classes``) apply.
SYNTHETIC: tuple[str, ...] = ("spiral", "moons", "circles", "blobs", "xor")

#: Synthetic sets whose class count is fixed; ``DataSpec.classes`` is ignored for them.
FIXED_CLASSES: dict[str, int] = {"moons": 2, "circles": 2, "xor": 2}

_DESCRIPTIONS: dict[str, str] = {
    "spiral": "K interleaved spiral arms in 2-D (the CS231n spiral); not linearly separable",
    "moons": "Two interleaving half circles in 2-D",
    "circles": "A small circle inside a larger one in 2-D",
    "blobs": "K round Gaussian blobs spaced on a circle in 2-D; almost linearly separable",
    "xor": "Four quadrants in 2-D, opposite quadrants share a class (XOR)",
    "iris": "Fisher's Iris flowers: 150 samples, 4 measurements, 3 species",
    "digits": "Handwritten digits 0-9 as 8x8 grey images: 1797 samples, 64 pixels",
}


def describe(name: str) -> str:
    """One line describing the built-in dataset ``name`` (for the window's dataset picker)."""
    try:
        return _DESCRIPTIONS[name]
    except KeyError:
        raise DataError("data.source", f"unknown dataset {name!r}; choose one of "
                        f"{', '.join(BUILTIN)}") from None
