"""Sections the members app adds to shared pages (dashboard, home)."""

from members.permissions import can_see_member_details
from members.selectors import organization_list_newest
from members.selectors.applications import application_open_for
from members.selectors.people import user_membership_overview


def dashboard_membership(request) -> dict:
    """Return the person's affiliations, applications and pending approvals."""
    return user_membership_overview(request.user)


def home_join(request) -> dict | None:
    """Invite visitors who are not members yet to apply; nothing for members."""
    if can_see_member_details(request.user):
        return None
    return {"open_application": application_open_for(request.user)}


def home_newest(request) -> dict:
    """Return the organizations that became members most recently."""
    return {"organizations": organization_list_newest(limit=8)}
