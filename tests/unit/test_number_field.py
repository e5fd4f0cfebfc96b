"""A number field keeps what was typed, and its words around the number stay whole."""

from tutor_desktop.gui.kit.number_field import NumberField


def test_a_number_field_keeps_its_suffix_and_any_typed_number(qapp):
    field = NumberField()
    field.setRange(0, 104)
    field.setSuffix(" more weeks")
    field.keep_typed()
    assert field.text() == "0 more weeks"
    field.setValue(999_999)
    assert field.text() == "999999 more weeks" and not field.is_valid()
    assert field.problem("Repeats") == "Repeats must be between 0 and 104 (it is 999999)."
    field.setValue(104)
    field.stepBy(1)  # the arrows stay inside what is allowed
    assert field.value() == 104 and field.is_valid() and field.problem("Repeats") == ""
