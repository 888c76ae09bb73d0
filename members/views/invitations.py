"""The page an invitation link opens: sign up or sign in, then accept."""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from members.selectors import user_has_verified_email
from members.services.invitations import invitation_accept, invitation_for_token

PROBLEM_STATUS = {"expired": 410, "used": 410, "revoked": 410}


def invitation_accept_view(request, token):
    try:
        invitation = invitation_for_token(token)
    except ValidationError as exc:
        return render(
            request,
            "members/invitation.html",
            {"problem": " ".join(exc.messages)},
            status=PROBLEM_STATUS.get(exc.code, 404),
        )
    if not request.user.is_authenticated:
        # Whoever opened the emailed link holds the address: sign-up with it
        # needs no second verification email (allauth honours this).
        get_adapter(request).stash_verified_email(request, invitation.email)
        return render(
            request,
            "members/invitation.html",
            {"invitation": invitation, "next": request.get_full_path()},
        )
    if request.method == "POST":
        try:
            affiliation = invitation_accept(token=token, user=request.user)
        except ValidationError as exc:
            return render(
                request,
                "members/invitation.html",
                {"invitation": invitation, "problem": " ".join(exc.messages)},
                status=403 if exc.code == "wrong_person" else 400,
            )
        messages.success(
            request,
            _("Welcome to %(name)s: you are now affiliated as %(role)s.")
            % {
                "name": affiliation.organization.name,
                "role": affiliation.get_role_display(),
            },
        )
        return redirect(affiliation.organization)
    problem = None
    if not user_has_verified_email(request.user, invitation.email):
        problem = _(
            "This invitation was sent to %(email)s, but you are signed in as "
            "%(you)s. Sign in with that address, or add and verify it under Email "
            "addresses, then open the link again."
        ) % {"email": invitation.email, "you": request.user.email}
    return render(
        request,
        "members/invitation.html",
        {"invitation": invitation, "problem": problem, "can_accept": not problem},
    )
