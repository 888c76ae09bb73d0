"""What in the membership needs a staff member now (the staff home's counts)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliance.registries.organization_effects import (
    OrganizationEffect,
    organization_effects,
)
from alliance.registries.staff_counts import StaffCount, changelist_url
from members.models import Affiliation, MembershipApplication, Organization, User
from members.selectors import organization_primary_contacts

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


@dataclass(frozen=True)
class StatusChangePreview:
    """What putting an organization out of active membership does: who loses
    member access (people with no other active member organization), who is told,
    and what other apps report (votes that end, events affected)."""

    organization: Organization
    people_losing_access: list[User]
    people_keeping_access: list[User]
    told: list[User]
    effects: list[OrganizationEffect]


def organization_status_change_preview(
    organization: Organization,
) -> StatusChangePreview:
    """Return what ending the organization's active membership would do now."""
    affiliations = list(
        Affiliation.objects.filter(
            organization=organization, status=Affiliation.Status.ACTIVE
        )
        .select_related("user")
        .annotate(
            elsewhere=Exists(
                Affiliation.objects.filter(
                    user=OuterRef("user"),
                    status=Affiliation.Status.ACTIVE,
                    organization__status=Organization.Status.ACTIVE,
                ).exclude(organization=organization)
            )
        )
        .order_by("user__name", "user__email")
    )
    if organization.is_active_member:
        losing = [a.user for a in affiliations if not a.elsewhere]
        keeping = [a.user for a in affiliations if a.elsewhere]
    else:
        losing, keeping = [], []
    return StatusChangePreview(
        organization=organization,
        people_losing_access=losing,
        people_keeping_access=keeping,
        told=organization_primary_contacts(organization),
        effects=organization_effects(organization, [u.pk for u in losing]),
    )
