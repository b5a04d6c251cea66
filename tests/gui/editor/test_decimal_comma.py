"""A decimal comma (0,1) typed in an editor field that holds one number reads as 0.1."""

from __future__ import annotations

import pytest

from desktop_app.gui.editor.fixed_settings import FixedSettings
from desktop_app.gui.editor.form_fields import read, real
from desktop_app.gui.editor.param_row import ParamRow


@pytest.mark.parametrize(("field", "typed", "value"),
                         [("low", "0,001", 0.001), ("high", "0,5", 0.5)])
def test_a_range_end_typed_with_a_comma_is_a_number(qtbot, field, typed, value):
    row = ParamRow("learning_rate")
    qtbot.addWidget(row)
    edit = getattr(row, field)
    edit.clear()
    qtbot.keyClicks(edit, typed)
    assert row.table()[field] == pytest.approx(value)
    assert row.problem is None
    assert row.param is not None


def test_a_form_decimal_field_takes_a_comma(qtbot):
    spin = real(0.0, 5.0, 0.05, "noise")()
    qtbot.addWidget(spin)
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, "0,25")
    assert read(spin) == pytest.approx(0.25)


def test_a_fixed_setting_typed_with_a_comma_is_a_number(qtbot):
    settings = FixedSettings()
    qtbot.addWidget(settings)
    editor = settings.editors["dropout"]
    editor.clear()
    qtbot.keyClicks(editor, "0,2")
    assert settings.values()["dropout"] == pytest.approx(0.2)
