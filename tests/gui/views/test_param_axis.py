"""Parameter axes whose tick labels never overlap, whatever the plot's width."""

from __future__ import annotations

import numpy as np
import pytest

from desktop_app.gui.views.param_axis import ParamAxis


@pytest.mark.parametrize("size", [120.0, 200.0, 320.0, 500.0, 900.0])
def test_log_tick_labels_never_overlap(qapp, size) -> None:
    axis = ParamAxis("bottom")
    axis.setLogMode(x=True)
    for scale, (low, high) in (("log", (-6.0, 2.0)), ("reverse_log", (-4.0, -0.5))):
        axis.set_scale(scale)
        (_, values), = axis.logTickValues(low, high, size, [])
        assert len(values) >= 1
        assert axis.labels_fit(values, size)


def test_pow2_tick_labels_never_overlap(qapp) -> None:
    axis = ParamAxis("bottom")
    axis.setLogMode(x=True)
    axis.set_scale("pow2")
    (_, values), = axis.tickValues(0.0, np.log10(4096), 200.0)
    assert axis.labels_fit(values, 200.0)
    assert axis.tickStrings(values, 1.0, 1.0)[0] == "1"
