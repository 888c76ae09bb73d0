"""What in the membership needs a staff member now (the staff home's counts)."""

import datetime as dt

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliance.registries.staff_counts import StaffCount, changelist_url
from members.models import MembershipApplication, Organization

A = MembershipApplication


def membership_staff_counts(*, now: dt.datetime | None = None) -> list[StaffCount]:
    """Return applications waiting (and how long the oldest has), renewals due
    within the renewal window and organizations lapsed this month; two queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due_by = today + Organization.RENEWAL_WINDOW
    month_start = timezone.make_aware(
        dt.datetime.combine(today.replace(day=1), dt.time())
    )
    waiting = A.objects.filter(status__in=A.AWAITING_DECISION).aggregate(
        n=Count("pk"), oldest=Min("submitted_at")
    )
    active, lapsed = Organization.Status.ACTIVE, Organization.Status.LAPSED
    counted = Organization.objects.aggregate(
        due=Count("pk", filter=Q(status=active, renewal_due__lte=due_by)),
        lapsed=Count("pk", filter=Q(status=lapsed, updated_at__gte=month_start)),
    )
    detail = ""
    if waiting["oldest"]:
        days = (now - waiting["oldest"]).days
        detail = ngettext(
            "the oldest has waited %(days)s day",
            "the oldest has waited %(days)s days",
            days,
        ) % {"days": days}
    organizations = "admin:members_organization_changelist"
    window = Organization.RENEWAL_WINDOW.days
    return [
        StaffCount(
            key="applications_waiting",
            group="membership",
            label=_("Applications waiting for a decision"),
            count=waiting["n"],
            url=changelist_url("admin:members_membershipapplication_changelist"),
            detail=detail,
        ),
        StaffCount(
            key="renewals_due",
            group="membership",
            label=ngettext(
                "Renewals due within %(days)s day",
                "Renewals due within %(days)s days",
                window,
            )
            % {"days": window},
            count=counted["due"],
            url=changelist_url(organizations, status=active, renewal_due__lte=due_by),
        ),
        StaffCount(
            key="lapsed_this_month",
            group="membership",
            label=_("Organizations lapsed this month"),
            count=counted["lapsed"],
            url=changelist_url(
                organizations, status=lapsed, updated_at__gte=month_start
            ),
        ),
    ]
