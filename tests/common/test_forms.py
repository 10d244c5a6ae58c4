"""A form sent back with errors puts the cursor on the field to fix: htmx focuses the swapped-in `autofocus`,
so a form that kept it on its first field moved the cursor (and the next keystrokes) away from where the user
had to type."""

from __future__ import annotations

from execsponsor.customers.forms_outcomes import OutcomeNewForm


def _autofocused(form) -> list[str]:
    return [name for name, field in form.fields.items() if field.widget.attrs.get("autofocus")]


def test_a_new_form_opens_on_its_first_field():
    assert _autofocused(OutcomeNewForm()) == ["title"]


def test_a_field_that_fails_its_own_validation_takes_the_cursor():
    form = OutcomeNewForm(data={"title": "Halve the time to approve a loan", "status": "no-such-status"})
    assert not form.is_valid()
    assert _autofocused(form) == ["status"]


def test_a_refusal_put_on_a_field_after_cleaning_takes_the_cursor():
    form = OutcomeNewForm(data={"title": "Halve the time to approve a loan", "status": "delivered"})
    assert form.is_valid(), form.errors
    form.add_error("evidence", "say what shows the result was delivered")
    assert _autofocused(form) == ["evidence"]
    assert "autofocus" in str(form["evidence"]) and "autofocus" not in str(form["title"])


def test_an_error_on_the_whole_form_leaves_the_cursor_where_it_was():
    form = OutcomeNewForm(data={"title": "Halve the time to approve a loan", "status": "delivered"})
    assert form.is_valid(), form.errors
    form.add_error(None, "Someone else changed it")
    assert _autofocused(form) == ["title"]
