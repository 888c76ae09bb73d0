"""Search and filters of the member directory, shared by the page and the API."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from alliance.focus_areas.models import FocusArea
from alliance.working_groups.selectors import working_group_seats
from members.models import Affiliation, Organization, Tier, User
from members.selectors.directory import people_named


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search by name"))
    kind = django_filters.ChoiceFilter(
        choices=Organization.Kind.choices, label=_("Kind"), empty_label=_("Any kind")
    )
    country = django_filters.ChoiceFilter(
        choices=lambda: list(countries),
        label=_("Country"),
        empty_label=_("Any country"),
    )
    tier = django_filters.ModelChoiceFilter(
        queryset=Tier.objects.order_by("rank"),
        to_field_name="slug",
        label=_("Tier"),
        empty_label=_("Any tier"),
    )
    focus_area = django_filters.ModelChoiceFilter(
        queryset=FocusArea.objects.order_by("number"),
        to_field_name="slug",
        method="filter_focus_area",
        label=_("Focus area"),
        empty_label=_("Any focus area"),
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "country", "tier", "focus_area"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value))

    @extend_schema_field(OpenApiTypes.STR)
    def filter_focus_area(self, queryset, name, value):
        # Interest comes from the application and from the working groups its
        # people take part in; Exists keeps one row per organization.
        stated = Organization.focus_areas.through.objects.filter(
            organization_id=OuterRef("pk"), focusarea_id=value.pk
        )
        in_groups = working_group_seats(organization=OuterRef("pk"), focus_area=value)
        return queryset.filter(Q(Exists(stated)) | Q(Exists(in_groups)))


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search by name"))
    organization = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.filter(status=Organization.Status.ACTIVE),
        to_field_name="slug",
        method="filter_organization",
        label=_("Organization"),
        empty_label=_("Any organization"),
    )

    class Meta:
        model = User
        fields = ["q", "organization"]

    def filter_q(self, queryset, name, value):
        # By the name people see, never by a full name behind a display name
        # (staff excepted): the view passes the request for whose search it is.
        return people_named(queryset, value, user=getattr(self.request, "user", None))

    def filter_organization(self, queryset, name, value):
        return queryset.filter(
            Exists(
                Affiliation.objects.filter(
                    user_id=OuterRef("pk"),
                    organization=value,
                    status=Affiliation.Status.ACTIVE,
                )
            )
        )
