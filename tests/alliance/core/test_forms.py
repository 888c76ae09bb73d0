"""A service's ValidationError shown on a form, whatever its shape."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from alliance.core.forms import form_add_service_errors


class NameForm(forms.Form):
    name = forms.CharField()


def _bound() -> NameForm:
    form = NameForm({"name": "Ada"})
    assert form.is_valid()
    return form


def test_a_plain_message_goes_above_the_form():
    form = _bound()
    form_add_service_errors(form, ValidationError("The group is closed."))
    assert form.non_field_errors() == ["The group is closed."]
    assert not form.is_valid()


def test_a_list_of_messages_goes_above_the_form_with_params_applied():
    form = _bound()
    error = ValidationError(
        [
            ValidationError("%(name)s is closed.", params={"name": "Evaluation"}),
            "Ask staff.",
        ]
    )
    form_add_service_errors(form, error)
    assert form.non_field_errors() == ["Evaluation is closed.", "Ask staff."]


def test_field_errors_go_on_the_field_and_unknown_fields_above_the_form():
    form = _bound()
    error = ValidationError(
        {
            "name": ValidationError("Taken.", code="taken"),
            "email": "This account is closed.",
            NON_FIELD_ERRORS: "Try again later.",
        }
    )
    form_add_service_errors(form, error)
    assert form.errors["name"] == ["Taken."]
    assert form.has_error("name", code="taken")
    assert form.non_field_errors() == ["This account is closed.", "Try again later."]
    assert "name" not in form.cleaned_data
