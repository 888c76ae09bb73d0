from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext, ngettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from alliance.core.admin import admin_apply, admin_confirm
from projects.models import CatalogEntry, Contribution, EntryStatusChange, Review
from projects.services.entries import (
    ENTRY_FIELDS,
    entry_clean_metadata,
    entry_search_refresh,
    entry_set_lifecycle,
)
from projects.services.vetting import entry_independence_recheck, entry_mark_review_due

E = CatalogEntry


class ContributionInline(admin.TabularInline):
    model = Contribution
    extra = 0
    autocomplete_fields = ["user", "organization"]


class ReviewInline(admin.StackedInline):
    model = Review
    extra = 0
    autocomplete_fields = ["reviewer", "organization"]
    readonly_fields = ["round", "created_at"]
    fields = [
        ("reviewer", "reviewer_name", "organization"),
        ("round", "verdict", "counts", "created_at"),
        (
            "license_clear",
            "documentation_adequate",
            "maintained_recently",
            "security_contact_given",
            "evaluation_evidence_given",
        ),
        "findings",
    ]

    def has_add_permission(self, request, obj=None):
        # Reviews are posted by reviewers on the entry's page.
        return False


class StatusChangeInline(admin.TabularInline):
    model = EntryStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "field", "old_value", "new_value", "actor", "note"]
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("entry", "actor")

    def has_add_permission(self, request, obj=None):
        return False


class ChangedSinceVettingFilter(admin.SimpleListFilter):
    title = _("changed since vetting")
    parameter_name = "changed"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes"))]

    def queryset(self, request, queryset):
        if self.value() != "yes":
            return queryset
        ids = [
            entry.pk
            for entry in queryset.filter(vetting_status__in=[E.Vetting.VETTED])
            if entry.changed_since_vetting
        ]
        return queryset.filter(pk__in=ids)


class CatalogEntryAdminForm(forms.ModelForm):
    """Validates the metadata like the portal's forms do."""

    class Meta:
        model = CatalogEntry
        fields = ["license", "languages", "modalities", "hardware", "tags"]

    def _clean_metadata(self, name):
        value = self.cleaned_data.get(name)
        if name != "license" and not isinstance(value, list):
            raise ValidationError(_('Enter a list, e.g. ["en", "de"].'))
        try:
            return entry_clean_metadata({name: value})[name]
        except ValidationError as error:
            raise ValidationError(error.message_dict[name]) from error

    def clean_license(self):
        return self._clean_metadata("license")

    def clean_languages(self):
        return self._clean_metadata("languages")

    def clean_modalities(self):
        return self._clean_metadata("modalities")

    def clean_hardware(self):
        return self._clean_metadata("hardware")

    def clean_tags(self):
        return self._clean_metadata("tags")


@admin.register(CatalogEntry)
class CatalogEntryAdmin(SimpleHistoryAdmin):
    form = CatalogEntryAdminForm
    list_display = [
        "name",
        "kind",
        "focus_area",
        "vetting_status",
        "lifecycle",
        "vetting_expires_at",
        "review_count",
        "updated_at",
    ]
    list_filter = [
        "vetting_status",
        "lifecycle",
        "kind",
        "focus_area",
        ChangedSinceVettingFilter,
        "working_group",
    ]
    search_fields = ["name", "slug", "summary", "owners__name", "license"]
    list_select_related = ["focus_area"]
    autocomplete_fields = ["owners", "working_group", "created_by"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "created_at"
    readonly_fields = [
        "vetting_status",
        "vetting_round",
        "vetting_requested_at",
        "vetted_at",
        "lifecycle",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        # What members set on the site and through the API, then what only staff do.
        (None, {"fields": [*ENTRY_FIELDS, "owners", "slug", "created_by"]}),
        (
            _("Status"),
            {
                "fields": [
                    "lifecycle",
                    "vetting_status",
                    "vetting_round",
                    "vetting_requested_at",
                    "vetted_at",
                    "vetting_expires_at",
                    "created_at",
                    "updated_at",
                ],
                "description": _(
                    "Change the status with the actions of the entry list, so "
                    "that every change is recorded and notified."
                ),
            },
        ),
    ]
    inlines = [ContributionInline, ReviewInline, StatusChangeInline]
    actions = ["archive", "restore", "mark_review_due", "refresh_search"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_reviews=Count("reviews"))

    @admin.display(description=_("reviews"), ordering="_reviews")
    def review_count(self, obj):
        return obj._reviews

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        entry_search_refresh(entry_ids=[form.instance.pk])
        # Owners and team may have changed: approvals from organizations that
        # are no longer independent stop counting.
        entry_independence_recheck(entry=form.instance, actor=request.user)

    def _set_lifecycle(self, request, queryset, lifecycle, success):
        admin_apply(
            self,
            request,
            queryset,
            lambda entry: entry_set_lifecycle(
                entry=entry,
                actor=request.user,
                lifecycle=lifecycle,
                note=gettext_noop("Changed by staff."),
            ),
            success=success,
        )

    @admin.action(description=_("Archive the selected entries…"))
    def archive(self, request, queryset):
        return admin_confirm(
            self,
            request,
            queryset,
            title=_("Archive catalog entries"),
            button=_("Confirm: archive"),
            consequences=lambda entry: [
                _(
                    "It is marked archived, with the change in its history; "
                    "nothing is deleted."
                )
            ],
            apply=lambda entries, reason: self._set_lifecycle(
                request,
                entries,
                E.Lifecycle.ARCHIVED,
                ngettext_lazy(
                    "%(count)d entry archived.", "%(count)d entries archived.", "count"
                ),
            ),
        )

    @admin.action(description=_("Restore the selected entries (active)"))
    def restore(self, request, queryset):
        self._set_lifecycle(
            request,
            queryset,
            E.Lifecycle.ACTIVE,
            ngettext_lazy(
                "%(count)d entry is active.", "%(count)d entries are active.", "count"
            ),
        )

    @admin.action(description=_("Ask for a new review of the selected vetted entries"))
    def mark_review_due(self, request, queryset):
        done = sum(
            entry_mark_review_due(entry=entry, actor=request.user) for entry in queryset
        )
        self.message_user(
            request,
            ngettext(
                "%d entry is due for review; its maintainers were notified.",
                "%d entries are due for review; their maintainers were notified.",
                done,
            )
            % done,
        )

    @admin.action(description=_("Rebuild the search index of the selected entries"))
    def refresh_search(self, request, queryset):
        entry_search_refresh(entry_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, _("Search index rebuilt."))


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = [
        "entry",
        "reviewer_name",
        "organization",
        "verdict",
        "counts",
        "round",
        "created_at",
    ]
    list_filter = ["verdict", "counts", "entry__kind"]
    search_fields = ["entry__name", "reviewer_name", "reviewer__email"]
    list_select_related = ["entry", "organization"]
    autocomplete_fields = ["entry", "reviewer", "organization"]
    readonly_fields = ["round", "created_at"]


@admin.register(Contribution)
class ContributionAdmin(SimpleHistoryAdmin):
    list_display = ["user", "entry", "role", "organization", "joined_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "entry__name", "organization__name"]
    list_select_related = ["user", "entry", "organization"]
    autocomplete_fields = ["user", "entry", "organization"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        entry_independence_recheck(entry=obj.entry, actor=request.user)
