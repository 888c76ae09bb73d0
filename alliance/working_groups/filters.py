"""The working-group index's filters, shared by the page and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alliance.focus_areas.models import FocusArea
from alliance.working_groups.models import WorkingGroup


class WorkingGroupFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    focus_area = django_filters.ModelChoiceFilter(
        queryset=FocusArea.objects.order_by("number"),
        to_field_name="slug",
        label=_("Focus area"),
        empty_label=_("All focus areas"),
    )
    join_policy = django_filters.ChoiceFilter(
        choices=WorkingGroup.JoinPolicy.choices,
        label=_("Join policy"),
        empty_label=_("Any policy"),
    )
    status = django_filters.ChoiceFilter(
        choices=WorkingGroup.Status.choices,
        label=_("Status"),
        empty_label=_("Active"),
        method="filter_status",
    )
    mine = django_filters.BooleanFilter(
        method="filter_mine",
        label=_("Only my groups"),
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = WorkingGroup
        fields = ["q", "focus_area", "join_policy", "status", "mine"]

    @property
    def qs(self):
        groups = super().qs
        status = self.form.cleaned_data.get("status") if self.is_bound else None
        if not status:
            groups = groups.filter(status=WorkingGroup.Status.ACTIVE)
        return groups

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(summary__icontains=value))

    def filter_status(self, queryset, name, value):
        return queryset.filter(status=value) if value else queryset

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        user = getattr(self.request, "user", None)
        if not getattr(user, "is_authenticated", False):
            return queryset.none()
        return queryset.filter(my_status__isnull=False)
