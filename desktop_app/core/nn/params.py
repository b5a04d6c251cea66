"""Named parameter views over one flat buffer, so optimizers can update everything in one pass.

A network keeps all its parameters in one contiguous array and all gradients in another; the
dicts it hands out (:class:`ParamDict`) map names to views into those arrays. An optimizer that
receives two intact ``ParamDict`` objects built on the same :class:`FlatLayout` updates the flat
arrays with a handful of vectorised operations instead of a handful per parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from operator import is_

import numpy as np

_ALIGN = 16  # elements; keeps every view 64-byte aligned in float32 (128 in float64)


class FlatLayout:
    """Where each named array lives in a flat buffer; names listed first are packed first."""

    def __init__(self, shapes: Mapping[str, tuple[int, ...]], first: tuple[str, ...] = ()) -> None:
        order = [n for n in first if n in shapes] + [n for n in shapes if n not in first]
        self.offsets: dict[str, int] = {}
        offset = 0
        for name in order:
            self.offsets[name] = offset
            size = int(np.prod(shapes[name], dtype=np.int64))
            offset += -(-size // _ALIGN) * _ALIGN
        self.names = tuple(shapes)  # the caller's (layer) order
        self.shapes = dict(shapes)
        self.size = offset
        # end of the packed block of ``first`` names (used for the L2 slice over all W)
        self.first_end = max(
            (self.offsets[n] + int(np.prod(shapes[n])) for n in first if n in shapes), default=0
        )

    def allocate(self, dtype: np.dtype) -> np.ndarray:
        """A zeroed flat buffer, 64-byte aligned."""
        itemsize = np.dtype(dtype).itemsize
        raw = np.zeros(self.size + 64 // itemsize, dtype=dtype)
        start = (-raw.ctypes.data % 64) // itemsize
        return raw[start : start + self.size]

    def views(self, flat: np.ndarray) -> ParamDict:
        """A :class:`ParamDict` of reshaped views into ``flat``, in the caller's order."""
        views = [
            flat[self.offsets[n] : self.offsets[n] + int(np.prod(s))].reshape(s)
            for n, s in self.shapes.items()
        ]
        return ParamDict(self, flat, zip(self.names, views, strict=True))


class ParamDict(dict):
    """A plain dict of named arrays that also remembers the flat buffer they view.

    Mutating the dict (replacing or removing an entry) silently turns the fast path off: the
    optimizer then updates entry by entry, which is always correct.
    """

    __slots__ = ("_views", "flat", "layout")

    def __init__(self, layout: FlatLayout, flat: np.ndarray, items: object) -> None:
        super().__init__(items)
        self.layout = layout
        self.flat = flat
        self._views = tuple(self.values())

    def intact_flat(self) -> np.ndarray | None:
        """The flat buffer when every entry is still its original view, else None."""
        views = self._views
        if len(self) == len(views) and all(map(is_, self.values(), views)):
            return self.flat
        return None

    def fresh(self) -> ParamDict:
        """A new dict over the same views (cheap; used to hand out an unmutated copy)."""
        new = dict.__new__(ParamDict)
        dict.update(new, zip(self.layout.names, self._views, strict=True))
        new.layout, new.flat, new._views = self.layout, self.flat, self._views
        return new
