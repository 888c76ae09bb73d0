from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.forms import ApiTokenForm, ProfileForm
from members.selectors import api_token_list, organization_list_active
from members.services import api_token_create, api_token_revoke, user_update_profile


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        return redirect("members:profile")
    return render(request, "members/profile.html", {"form": form})


@login_required
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        token, new_key = api_token_create(
            user=request.user, name=form.cleaned_data["name"]
        )
        messages.success(
            request,
            _("Token “%(name)s” created. Copy it now: it is shown only once.")
            % {"name": token.name},
        )
        form = ApiTokenForm()
    return render(
        request,
        "members/api_tokens.html",
        {"form": form, "tokens": api_token_list(user=request.user), "new_key": new_key},
    )


@login_required
@require_POST
def api_token_revoke_view(request, pk):
    token = get_object_or_404(api_token_list(user=request.user), pk=pk)
    api_token_revoke(token=token)
    messages.success(
        request,
        _("Token “%(name)s” revoked: scripts using it now get 401.")
        % {"name": token.name},
    )
    return redirect("members:api_tokens")


def directory(request):
    return render(
        request,
        "members/directory.html",
        {"organizations": organization_list_active().order_by("tier__rank", "name")},
    )


def organization_detail(request, slug):
    organization = get_object_or_404(organization_list_active(), slug=slug)
    return render(
        request, "members/organization_detail.html", {"organization": organization}
    )
