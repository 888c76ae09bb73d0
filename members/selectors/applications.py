"""Reads of membership applications."""

from django.db.models import QuerySet

from members.models import MembershipApplication


def application_list_for(user) -> QuerySet[MembershipApplication]:
    """Return the applications the person may read: their own (staff: all)."""
    if not getattr(user, "is_authenticated", False):
        return MembershipApplication.objects.none()
    applications = MembershipApplication.objects.select_related(
        "applicant", "organization", "decided_by"
    ).prefetch_related("focus_areas")
    if user.is_staff:
        return applications
    return applications.filter(applicant=user)


def application_open_for(user) -> MembershipApplication | None:
    """Return the person's own open application (draft, submitted, in review)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        MembershipApplication.objects.filter(
            applicant=user, status__in=MembershipApplication.OPEN_STATUSES
        )
        .order_by("-created_at")
        .first()
    )


def application_queue() -> QuerySet[MembershipApplication]:
    """Return applications awaiting a decision, oldest first."""
    return (
        MembershipApplication.objects.filter(
            status__in=MembershipApplication.AWAITING_DECISION
        )
        .select_related("applicant")
        .order_by("submitted_at")
    )
