from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from alliance import working_group_admin  # noqa: F401 - registers its models
from alliance.models import Activity, FocusArea, Notification


@admin.register(FocusArea)
class FocusAreaAdmin(TranslationAdmin):
    list_display = ["number", "name", "slug"]
    ordering = ["number"]


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
