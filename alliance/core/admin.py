"""What every app's admin shares: actions that call a service row by row, and
list filters with a default."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext


def _reason(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or gettext("You may not do this.")


def admin_apply(
    modeladmin: admin.ModelAdmin,
    request,
    queryset,
    service: Callable,
    *,
    success,
    name: Callable = str,
) -> int:
    """Call ``service`` on each selected object; tell staff how many it did
    (``success`` formatted with ``count``) and each refusal with the object's
    name and reason; return how many it did."""
    done, refusals = 0, []
    for obj in queryset:
        try:
            service(obj)
        except (ValidationError, PermissionDenied) as error:
            refusals.append(f"{name(obj)}: {_reason(error)}")
        else:
            done += 1
    modeladmin.message_user(
        request,
        success % {"count": done},
        messages.SUCCESS if done else messages.WARNING,
    )
    for refusal in refusals:
        modeladmin.message_user(request, refusal, messages.ERROR)
    return done


class DefaultingListFilter(admin.SimpleListFilter):
    """A list filter that applies ``default`` until staff choose "all" or another
    value (the djangoproject.com pattern); ``filter`` narrows by one value.

    The default may stand for several values of the field (``default_values``,
    e.g. "open": active, requested or invited); the field is ``field_name``,
    else the parameter's name."""

    default = "all"
    default_values: tuple = ()
    field_name = ""

    def choices(self, changelist):
        value = self.value() or self.default
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string(
                    {self.parameter_name: lookup}
                ),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or self.default
        return queryset if value == "all" else self.filter(queryset, value)

    def filter(self, queryset, value):
        field = self.field_name or self.parameter_name
        if value == self.default and self.default_values:
            return queryset.filter(**{f"{field}__in": self.default_values})
        return queryset.filter(**{field: value})


def admin_confirm(
    modeladmin: admin.ModelAdmin,
    request,
    queryset,
    *,
    title,
    button,
    consequences: Callable,
    apply: Callable,
    reason_label=None,
):
    """An admin action with an intermediate page: list the selected objects, each
    with what the action will do to it (``consequences(obj)``: lines of text),
    and, with ``reason_label``, ask for a reason; on confirmation call
    ``apply(queryset, reason)`` (which reports, e.g. with ``admin_apply``)."""
    from django import forms
    from django.shortcuts import render

    class ConfirmForm(forms.Form):
        reason = forms.CharField(
            label=reason_label or "",
            required=False,
            max_length=500,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    confirmed = "confirm" in request.POST
    form = ConfirmForm(request.POST if confirmed else None)
    if confirmed and form.is_valid():
        apply(queryset, form.cleaned_data["reason"])
        return None
    return render(
        request,
        "admin/alliance/confirm_action.html",
        {
            **modeladmin.admin_site.each_context(request),
            "opts": modeladmin.model._meta,
            "title": title,
            "button": button,
            "objects": [(obj, consequences(obj)) for obj in queryset],
            "form": form if reason_label else None,
            "action_name": request.POST.get("action", ""),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )
