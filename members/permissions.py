"""Who may see and do what with organizations, applications and affiliations."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from members.models import MembershipApplication, Organization
from members.selectors import user_is_contact, user_is_member


def can_see_member_details(user) -> bool:
    """Return whether the person sees what only members see (people, contacts,
    groups): members of active organizations and staff."""
    return bool(getattr(user, "is_staff", False)) or user_is_member(user)


def can_manage_organization(user, organization: Organization) -> bool:
    """Return whether the person may manage the organization's people, domains and
    profile: its active contacts and staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or user_is_contact(user, organization)


def can_view_application(user, application: MembershipApplication) -> bool:
    """Return whether the person may read the application: its applicant and staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or application.applicant_id == user.pk


def can_edit_application(user, application: MembershipApplication) -> bool:
    """Return whether the person may change the application: its applicant, while
    it is a draft."""
    return (
        getattr(user, "is_authenticated", False)
        and application.applicant_id == user.pk
        and application.status == MembershipApplication.Status.DRAFT
    )


class IsOrganizationContact(permissions.BasePermission):
    """Allow the organization's contacts and staff (the view sets ``organization``)."""

    message = _("Only the organization's contacts may manage its people.")

    def has_permission(self, request, view):
        return can_manage_organization(request.user, view.organization)


class IsApplicantOrStaff(permissions.BasePermission):
    """Allow reading an application only to its applicant and staff."""

    def has_object_permission(self, request, view, obj):
        return can_view_application(request.user, obj)
