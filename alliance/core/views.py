"""The platform's own pages: home and dashboard, made of the panels the apps
register, and the health probes."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from alliance.core.health import health_report
from alliance.registries.panels import panels_for


def home(request):
    return render(
        request, "alliance/home.html", {"panels": panels_for("home", request)}
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
