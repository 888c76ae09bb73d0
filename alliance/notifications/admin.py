from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alliance.notifications.models import (
    Activity,
    Digest,
    Notification,
    NotificationPreference,
    NotificationSettings,
    OutboxEmail,
)
from alliance.notifications.services.outbox import outbox_requeue


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


# --- Notifications, outbox, digests and staff reports -------------------------------


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "to_email",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "language", "created_at"]
    search_fields = ["to_email", "subject", "key"]
    date_hierarchy = "created_at"
    raw_id_fields = ["user"]
    actions = ["queue_again"]
    readonly_fields = [
        "key",
        "user",
        "to_email",
        "language",
        "subject",
        "body_text",
        "body_html",
        "headers",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "claimed_by",
        "claimed_until",
        "handed_over_at",
        "sent_at",
        "created_at",
    ]
    exclude = ["attachments", "claim_token"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Queue again (failed or uncertain emails)"))
    def queue_again(self, request, queryset):
        count = outbox_requeue(email_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext(
                "%(count)s email queued again; only failed or uncertain ones are.",
                "%(count)s emails queued again; only failed or uncertain ones are.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["user", "period", "frequency", "item_count", "created_at"]
    list_filter = ["frequency", "created_at"]
    search_fields = ["user__email", "period"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "email"]


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "digest_frequency",
        "digest_hour",
        "last_digest_at",
        "next_digest_at",
    ]
    list_filter = ["digest_frequency", "staff_report"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "email", "inbox"]
    list_filter = ["kind", "email", "inbox"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
