"""The staff console's section of a staff member's dashboard: the staff home's
counts, each linking to the admin list where the work is done."""

from django.urls import reverse

from alliance.registries.staff_counts import staff_counts_by_group


def dashboard_staff(request) -> dict | None:
    """Return the staff home's counts for staff; nothing for anyone else."""
    if not request.user.is_staff:
        return None
    return {
        "groups": staff_counts_by_group(),
        "console_url": reverse("admin:index"),
        "report_url": reverse("admin:alliance_staffreport_changelist"),
    }
