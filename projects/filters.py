"""One set of catalog filters for the pages and the API."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alliance.focus_areas.models import FocusArea
from alliance.working_groups.selectors import working_group_list
from projects.models import CatalogEntry
from projects.selectors import catalog_facets, entry_search, json_list_contains
from projects.validators import language_name, language_normalize, license_normalize

E = CatalogEntry


class LanguageCodeField(forms.CharField):
    """An ISO 639 code, normalized (``deu`` becomes ``de``)."""

    def clean(self, value):
        value = super().clean(value)
        return language_normalize(value) if value else value


class LanguageFilter(django_filters.CharFilter):
    field_class = LanguageCodeField


ANY = _("Any")


def _any(choices):
    return [("", ANY)] + list(choices)


class CatalogEntryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search", max_length=200
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=E.Kind.choices, empty_label=ANY
    )
    focus_area = django_filters.ModelChoiceFilter(
        label=_("Focus area"),
        queryset=FocusArea.objects.all(),
        to_field_name="slug",
        empty_label=ANY,
    )
    working_group = django_filters.ModelChoiceFilter(
        label=_("Working group"),
        queryset=working_group_list(with_counts=False, include_archived=True),
        to_field_name="slug",
        empty_label=ANY,
    )
    modality = django_filters.ChoiceFilter(
        label=_("Modality"),
        choices=E.Modality.choices,
        method="filter_json_list",
        empty_label=ANY,
    )
    language = LanguageFilter(
        label=_("Language"), method="filter_language", max_length=20
    )
    license = django_filters.CharFilter(
        label=_("License"), method="filter_license", max_length=100
    )
    hardware = django_filters.ChoiceFilter(
        label=_("Hardware"),
        choices=E.Hardware.choices,
        method="filter_json_list",
        empty_label=ANY,
    )
    status = django_filters.ChoiceFilter(
        label=_("Vetting status"),
        field_name="vetting_status",
        choices=E.Vetting.choices,
        empty_label=ANY,
    )
    lifecycle = django_filters.ChoiceFilter(
        label=_("Lifecycle"),
        choices=E.Lifecycle.choices,
        method="filter_lifecycle",
        empty_label=_("Current (not archived)"),
    )
    tag = django_filters.CharFilter(
        label=_("Tag"), method="filter_json_list", max_length=40
    )

    class Meta:
        model = CatalogEntry
        fields: list[str] = []

    def __init__(self, data=None, *args, facets_from=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        if facets_from is not None:
            self._facet_widgets(catalog_facets(facets_from))

    def _facet_widgets(self, facets: dict) -> None:
        """Offer the licenses and languages in use as drop-downs (pages only)."""
        form = self.form
        form.fields["license"].widget = forms.Select(
            choices=_any((code, code) for code in facets["licenses"])
        )
        form.fields["language"].widget = forms.Select(
            choices=_any((code, language_name(code)) for code in facets["languages"])
        )

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # Archived entries are listed only when asked for.
        if not self.form.cleaned_data.get("lifecycle"):
            queryset = queryset.exclude(lifecycle=E.Lifecycle.ARCHIVED)
        return queryset

    def filter_search(self, queryset, name, value):
        return entry_search(queryset, value)

    def filter_json_list(self, queryset, name, value):
        field = {"modality": "modalities", "tag": "tags"}.get(name, name)
        if name == "tag":
            value = " ".join(value.split()).lower()
        return queryset.filter(json_list_contains(field, value))

    def filter_language(self, queryset, name, value):
        return queryset.filter(json_list_contains("languages", value))

    def filter_license(self, queryset, name, value):
        try:
            value = license_normalize(value)
        except ValidationError:
            return queryset.filter(license__iexact=value)
        return queryset.filter(license=value)

    def filter_lifecycle(self, queryset, name, value):
        return queryset.filter(lifecycle=value)
