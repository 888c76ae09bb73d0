from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from alliance.models import (
    Activity,
    FocusArea,
    Notification,
    WorkingGroup,
    WorkingGroupMembership,
)


@admin.register(FocusArea)
class FocusAreaAdmin(TranslationAdmin):
    list_display = ["number", "name", "slug"]
    ordering = ["number"]


class MembershipInline(admin.TabularInline):
    model = WorkingGroupMembership
    extra = 0
    autocomplete_fields = ["user", "organization"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "focus_area", "join_policy", "visibility", "status"]
    list_filter = ["status", "focus_area", "join_policy", "visibility"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["focus_area"]
    inlines = [MembershipInline]


@admin.register(WorkingGroupMembership)
class WorkingGroupMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "group", "organization", "role", "status", "voting"]
    list_filter = ["status", "role", "voting", "group__focus_area"]
    search_fields = ["user__email", "group__name", "organization__name"]
    autocomplete_fields = ["user", "group", "organization"]
    list_select_related = ["user", "group", "organization"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["kind", "actor", "created_at", "fanned_out_at"]
    list_filter = ["kind", "fanned_out_at"]
    readonly_fields = [f.name for f in Activity._meta.fields]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind", "read_at"]
    search_fields = ["title", "recipient__email"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "activity"]
