"""Replies in the admin: searchable, read-only text history; staff delete a
reply through the service (a tombstone stays), never by removing the row."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from alliance.conversation.models import Reply, ReplyVersion
from alliance.conversation.services import reply_delete
from alliance.core.admin import admin_apply


class ReplyVersionInline(admin.TabularInline):
    model = ReplyVersion
    extra = 0
    can_delete = False
    fields = ["written_at", "replaced_at", "body"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "update",
        "author",
        "created_at",
        "edited_at",
        "deleted_at",
    ]
    list_filter = ["via_email", ("deleted_at", admin.EmptyFieldListFilter)]
    search_fields = ["body", "update__title", "author__name", "author__email"]
    list_select_related = ["update", "author"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "update",
        "parent",
        "thread",
        "author",
        "body",
        "via_email",
        "created_at",
        "edited_at",
        "deleted_at",
        "deleted_by",
        "mentioned",
    ]
    inlines = [ReplyVersionInline]
    actions = ["delete_replies"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Delete the selected replies (a tombstone stays)"))
    def delete_replies(self, request, queryset):
        admin_apply(
            self,
            request,
            queryset,
            lambda reply: reply_delete(reply=reply, by=request.user),
            success=_("%(count)d replies deleted."),
        )


@admin.register(ReplyVersion)
class ReplyVersionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "reply", "written_at", "replaced_at"]
    search_fields = ["body", "reply__body"]
    list_select_related = ["reply"]
    readonly_fields = ["reply", "body", "written_at", "replaced_at"]

    def has_add_permission(self, request):
        return False
