import contextlib

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from alliance.core.health import health_report
from alliance.focus_areas.selectors import focus_area_list
from alliance.registries.panels import panels_for
from members.selectors import organization_list_newest
from members.services import user_set_language


def home(request):
    return render(
        request,
        "alliance/home.html",
        {
            "focus_areas": focus_area_list(),
            "newest_organizations": organization_list_newest(limit=8),
            "panels": panels_for("home", request),
        },
    )


@login_required
def dashboard(request):
    return render(
        request,
        "alliance/dashboard.html",
        {"panels": panels_for("dashboard", request)},
    )


@never_cache
def health(request):
    healthy, checks = health_report()
    return JsonResponse(
        {"status": "up" if healthy else "down", "checks": checks},
        status=200 if healthy else 503,
    )


@never_cache
def live(request):
    """Liveness probe: the process answers, touching neither database nor cache.

    Load balancers use it, and ``make bench`` measures it as the server's
    baseline throughput."""
    return HttpResponse("ok", content_type="text/plain")


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
