import datetime as dt

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alliance.reports.models import StaffReport
from alliance.reports.services import (
    report_build,
    report_csv,
    report_dashboard,
    report_period,
    report_period_to_date,
)


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

    def _period(self, week: str):
        """Return the week asked for (the current week up to now when it is this
        week or none is given); ValueError for anything else."""
        current = report_period_to_date()
        if not week or week == current.week:
            return current
        return report_period(week)

    def _refusal(self, week: str) -> str:
        return gettext(
            "“%(week)s” is not a week like 2026-W47 between 2000 and 2100."
        ) % {"week": week}

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        week = request.GET.get("week", "")
        status = 200
        try:
            period = self._period(week)
        except ValueError:
            # Refused, saying why, over this week's figures.
            self.message_user(request, self._refusal(week), messages.ERROR)
            period, status = self._period(""), 400
        current = report_period_to_date()
        # This week so far, then the twelve weeks before it.
        weeks = [
            (current.start - dt.timedelta(weeks=i)).strftime("%G-W%V")
            for i in range(13)
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Weekly report %(week)s") % {"week": period.week},
            "opts": self.model._meta,
            "period": period,
            "to_date": period.week == current.week,
            "weeks": weeks,
            "sections": report_dashboard(period),
            "sent_reports": StaffReport.objects.order_by("-period_start")[:12],
        }
        return TemplateResponse(
            request, "admin/alliance/staff_report.html", context, status=status
        )

    def csv_view(self, request, week, key):
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            period = self._period(week)
        except ValueError:
            return HttpResponseBadRequest(
                self._refusal(week), content_type="text/plain; charset=utf-8"
            )
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
