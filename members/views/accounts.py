"""The person's own account: profile, language, API tokens, their data, closing
it."""

import contextlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from alliance.registries.personal_data import personal_data_collect
from members.forms import AccountCloseForm, ApiTokenForm, ProfileForm
from members.selectors import api_token_list
from members.services import (
    api_token_create,
    api_token_revoke,
    user_account_close,
    user_set_language,
    user_update_profile,
)


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        return redirect("members:profile")
    return render(request, "members/profile.html", {"form": form})


@require_POST
def set_language(request):
    """Switch the language; a signed-in person keeps it for their next visit."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language:
        with contextlib.suppress(ValueError):
            user_set_language(user=request.user, language=language)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        response["Location"] = "/"
    return response


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


@login_required
def personal_data(request):
    return render(request, "members/personal_data.html")


@login_required
@never_cache
def personal_data_download(request):
    data = {
        "generated_at": timezone.now().isoformat(),
        "site": settings.SITE_URL,
        **personal_data_collect(request.user),
    }
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"alliance-portal-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def account_close(request):
    form = AccountCloseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user_account_close(user=request.user)
        logout(request)
        messages.success(
            request,
            _(
                "Your account has been deleted. What you wrote stays, attributed to "
                "a former member."
            ),
        )
        return redirect("home")
    return render(request, "members/account_close.html", {"form": form})
