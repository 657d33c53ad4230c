"""portal.forms.Select writes plain options itself: the same HTML as WTForms' own widget."""

from __future__ import annotations

import pytest
from wtforms import Form
from wtforms.widgets import Select as WTFormsSelect

from portal.forms import Select, SelectField

CHOICES = [("", "Choose"), ("AT", "Asti"), ('a"b', 'Quote " & <tag>'), ("x&y", "Ampersand & co"), ("7", "Sette")]


@pytest.mark.parametrize("chosen", ["", "AT", 'a"b', "x&y", "missing"])
def test_a_select_renders_as_wtforms_would(chosen):
    class Picked(Form):
        place = SelectField("Place", choices=CHOICES, default=chosen)

    field = Picked().place
    assert isinstance(field.widget, Select)
    assert field() == WTFormsSelect()(field)
    html = field()
    assert html.count(" selected ") == (0 if chosen == "missing" else 1)
    if chosen == "AT":
        assert '<option selected value="AT">Asti</option>' in html


def test_grouped_choices_and_options_with_attributes_are_left_to_wtforms():
    class Grouped(Form):
        code = SelectField("Code", choices={"A": [("01", "Farming")], "C": [("10", "Food", {"disabled": True})]})

    field = Grouped().code
    assert field() == WTFormsSelect()(field)
    assert "<optgroup" in field() and "disabled" in field()
