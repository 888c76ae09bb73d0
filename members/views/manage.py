"""An organization's contacts look after its profile, people and domains."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliance.core.forms import form_add_service_errors
from members.forms import (
    EmailDomainForm,
    InvitationForm,
    OrganizationProfileForm,
    RoleForm,
)
from members.models import Affiliation, EmailDomain, Invitation
from members.permissions import can_manage_organization
from members.selectors import organization_visible_to
from members.selectors.organizations import organization_manage_overview
from members.services.affiliations import (
    affiliation_approve,
    affiliation_change_role,
    affiliation_decline,
    affiliation_end,
)
from members.services.domains import email_domain_add, email_domain_remove
from members.services.invitations import invitation_create, invitation_revoke
from members.services.organizations import organization_logo_set, organization_update
from members.views.errors import message_service_errors


class NotAllowed(Exception):
    def __init__(self, response):
        self.response = response


def _organization(request, slug):
    """Return the organization if the person may manage it, else raise NotAllowed
    with the page to show (sign in, or why not)."""
    if not request.user.is_authenticated:
        raise NotAllowed(redirect_to_login(request.get_full_path()))
    organization = get_object_or_404(organization_visible_to(request.user), slug=slug)
    if not can_manage_organization(request.user, organization):
        raise NotAllowed(
            render(
                request,
                "members/not_a_contact.html",
                {"organization": organization},
                status=403,
            )
        )
    return organization


def managed(view):
    """Let only the organization's contacts and staff through."""

    def wrapper(request, slug, *args, **kwargs):
        try:
            organization = _organization(request, slug)
        except NotAllowed as refused:
            return refused.response
        return view(request, organization, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _back(organization, anchor=""):
    response = redirect("members:organization_manage", slug=organization.slug)
    response["Location"] += anchor
    return response


@managed
def organization_manage(request, organization):
    profile_form = OrganizationProfileForm(
        request.POST or None,
        request.FILES or None,
        slug=organization.slug,
        initial={
            "website": organization.website,
            "description": organization.description,
        },
    )
    if request.method == "POST" and profile_form.is_valid():
        data = profile_form.cleaned_data
        try:
            organization_update(
                organization=organization,
                website=data["website"],
                description=data["description"],
            )
            if data["logo"]:
                organization_logo_set(organization=organization, logo=data["logo"])
            elif data["remove_logo"] and organization.logo:
                organization_logo_set(organization=organization, logo=None)
        except ValidationError as exc:
            form_add_service_errors(profile_form, exc)
        else:
            messages.success(
                request,
                _("The profile of %(name)s has been saved.")
                % {"name": organization.name},
            )
            return _back(organization)
    return render(
        request,
        "members/organization_manage.html",
        {
            "organization": organization,
            "profile_form": profile_form,
            "invitation_form": InvitationForm(
                initial={"language": translation.get_language()}
            ),
            "domain_form": EmailDomainForm(),
            "role_choices": Affiliation.Role.choices,
            **organization_manage_overview(organization),
        },
        status=400 if profile_form.errors else 200,
    )


@managed
@require_POST
def invite(request, organization):
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = invitation_create(
                organization=organization, invited_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            message_service_errors(request, exc)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link works once, for 7 days.")
                % {"email": invitation.email},
            )
    else:
        messages.error(
            request,
            " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
    return _back(organization, "#invite")


@managed
@require_POST
def invitation_withdraw(request, organization, pk):
    invitation = get_object_or_404(
        Invitation.objects.filter(organization=organization), pk=pk
    )
    try:
        invitation_revoke(invitation=invitation)
    except ValidationError as exc:
        message_service_errors(request, exc)
    else:
        messages.success(
            request,
            _("The invitation to %(email)s has been withdrawn.")
            % {"email": invitation.email},
        )
    return _back(organization, "#invitations")


AFFILIATION_ACTIONS = {
    "approve": (affiliation_approve, gettext_lazy("%(person)s is now affiliated.")),
    "decline": (affiliation_decline, gettext_lazy("%(person)s was declined.")),
    "end": (affiliation_end, gettext_lazy("%(person)s is no longer affiliated.")),
}


@managed
@require_POST
def affiliation_action(request, organization, pk, action):
    affiliation = get_object_or_404(
        Affiliation.objects.filter(organization=organization).select_related("user"),
        pk=pk,
    )
    service, success = AFFILIATION_ACTIONS[action]
    try:
        service(affiliation=affiliation)
    except ValidationError as exc:
        message_service_errors(request, exc)
    else:
        messages.success(request, success % {"person": affiliation.user.public_name})
    return _back(organization, "#people")


@managed
@require_POST
def affiliation_role(request, organization, pk):
    affiliation = get_object_or_404(
        Affiliation.objects.filter(organization=organization).select_related("user"),
        pk=pk,
    )
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the listed roles."))
        return _back(organization, "#people")
    try:
        affiliation_change_role(affiliation=affiliation, role=form.cleaned_data["role"])
    except ValidationError as exc:
        message_service_errors(request, exc)
    else:
        messages.success(
            request,
            _("%(person)s is now %(role)s.")
            % {
                "person": affiliation.user.public_name,
                "role": affiliation.get_role_display(),
            },
        )
    return _back(organization, "#people")


@managed
@require_POST
def domain_add(request, organization):
    form = EmailDomainForm(request.POST)
    if form.is_valid():
        try:
            domain = email_domain_add(
                organization=organization,
                domain=form.cleaned_data["domain"],
                added_by=request.user,
            )
        except ValidationError as exc:
            message_service_errors(request, exc)
        else:
            if domain.is_verified:
                messages.success(
                    request,
                    _(
                        "%(domain)s is verified. People who sign up with an address "
                        "in it will ask to join %(name)s."
                    )
                    % {"domain": domain.domain, "name": organization.name},
                )
            else:
                messages.info(
                    request,
                    _(
                        "%(domain)s was added. It is verified once a contact of "
                        "%(name)s verifies an address in it, or staff verify it."
                    )
                    % {"domain": domain.domain, "name": organization.name},
                )
    else:
        messages.error(request, _("Enter a domain such as example.org."))
    return _back(organization, "#domains")


@managed
@require_POST
def domain_remove(request, organization, pk):
    domain = get_object_or_404(
        EmailDomain.objects.filter(organization=organization), pk=pk
    )
    email_domain_remove(email_domain=domain)
    messages.success(
        request, _("%(domain)s has been removed.") % {"domain": domain.domain}
    )
    return _back(organization, "#domains")
