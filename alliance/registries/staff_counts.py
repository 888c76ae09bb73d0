"""What needs a staff member now: counts that apps contribute to the staff home
(the admin's index) and to a staff member's dashboard.

Each app registers one function in its ``hooks.connect()``; the function is a
selector that runs a constant number of queries and returns ``StaffCount`` rows,
each linking to the filtered admin list where the work is done::

    staff_count_register("applications", build=members_staff_counts, order=10)

The staff home groups the rows by ``group`` (one of ``GROUPS``).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The staff console's task groups, in the order staff see them. The admin index
# groups its models by the same keys (``alliance.core.admin_site``).
GROUPS = {
    "membership": _("Membership"),
    "working_groups": _("Working groups"),
    "catalog": _("Catalog"),
    "events": _("Events"),
    "mail": _("Mail and notifications"),
    "system": _("System"),
}


@dataclass(frozen=True)
class StaffCount:
    """One thing that may need a person: how many, where to act, and a detail
    such as how long the oldest has waited. ``urgent`` marks counts that mean
    something is wrong (failed emails) rather than ordinary work."""

    key: str
    group: str
    label: str
    count: int
    url: str
    detail: str = ""
    urgent: bool = False


def changelist_url(viewname: str, **filters) -> str:
    """Return the address of an admin list filtered by ``filters`` (lookups such
    as ``status="lapsed"`` or ``created_at__lt=moment``; times in ISO 8601 with
    their offset, so the list shows exactly the rows that were counted)."""
    query = {
        key: value.isoformat() if isinstance(value, dt.date) else str(value)
        for key, value in filters.items()
    }
    url = reverse(viewname)
    return f"{url}?{urlencode(query)}" if query else url


@dataclass(frozen=True)
class _Source:
    key: str
    build: Callable[[], list[StaffCount]]
    order: int


_sources: dict[str, _Source] = {}


def staff_count_register(
    key: str, *, build: Callable[[], list[StaffCount]], order: int = 100
) -> None:
    """Add an app's counts to the staff home; registering a key again replaces it."""
    _sources[key] = _Source(key=key, build=build, order=order)


def staff_counts() -> list[StaffCount]:
    """Return every registered count, in the sources' order."""
    counts = []
    for source in sorted(_sources.values(), key=lambda s: (s.order, s.key)):
        counts.extend(source.build())
    return counts


def staff_counts_by_group() -> list[dict]:
    """Return the counts as ``{"key", "title", "counts"}`` per task group, in the
    order of ``GROUPS``; groups without a count are left out."""
    counts = staff_counts()
    return [
        {
            "key": key,
            "title": title,
            "counts": [c for c in counts if c.group == key],
        }
        for key, title in GROUPS.items()
        if any(c.group == key for c in counts)
    ]
