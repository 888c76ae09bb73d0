import datetime as dt

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from alliance import working_group_admin  # noqa: F401 - registers its models
from alliance.models import (
    Activity,
    Digest,
    FocusArea,
    Notification,
    NotificationPreference,
    NotificationSettings,
    OutboxEmail,
    StaffReport,
)
from alliance.services.outbox import outbox_requeue
from alliance.services.reports import (
    report_build,
    report_csv,
    report_dashboard,
    report_period,
)


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


@admin.register(StaffReport)
class StaffReportAdmin(admin.ModelAdmin):
    """The weekly report as a dashboard: charts, tables, CSV per table."""

    list_display = ["week", "period_start", "emailed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "csv/<str:week>/<str:key>/",
                self.admin_site.admin_view(self.csv_view),
                name="alliance_staffreport_csv",
            ),
            *super().get_urls(),
        ]

    def _period(self, request, week):
        try:
            return report_period(week or None)
        except ValueError:
            self.message_user(
                request,
                _("“%(week)s” is not a week like 2026-W47; showing last week.")
                % {"week": week},
                messages.WARNING,
            )
            return report_period()

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        period = self._period(request, request.GET.get("week", ""))
        last = report_period()
        # This week so far, then the twelve weeks before it.
        weeks = [
            (last.start + dt.timedelta(weeks=1 - i)).strftime("%G-W%V")
            for i in range(13)
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Weekly report %(week)s") % {"week": period.week},
            "opts": self.model._meta,
            "period": period,
            "weeks": weeks,
            "sections": report_dashboard(period),
            "sent_reports": StaffReport.objects.order_by("-period_start")[:12],
        }
        return TemplateResponse(request, "admin/alliance/staff_report.html", context)

    def csv_view(self, request, week, key):
        if not self.has_view_permission(request):
            raise PermissionDenied
        period = self._period(request, week)
        for section in report_build(period):
            if section.key == key:
                response = HttpResponse(
                    report_csv(section), content_type="text/csv; charset=utf-8"
                )
                response["Content-Disposition"] = (
                    f'attachment; filename="{period.week}-{key}.csv"'
                )
                return response
        raise Http404
