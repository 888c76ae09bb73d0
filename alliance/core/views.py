"""The platform's own pages: home and dashboard, made of the panels the apps
register, and the health probes."""

import secrets

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from alliance.core.health import DOWN, UP, health_figures, health_report, readiness
from alliance.core.visitor_pages import visitor_page
from alliance.registries.panels import panel_namespaces, panels_for


@visitor_page(lambda: panel_namespaces("home"))
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


def _may_see_health_details(request, database_up: bool) -> bool:
    """Staff signed in, or a monitor with the HEALTH_TOKEN."""
    token = settings.HEALTH_TOKEN
    sent = request.headers.get("Authorization", "")
    if token and secrets.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    if not database_up:  # who is signed in is in the database
        return False
    try:
        return request.user.is_authenticated and request.user.is_staff
    except DatabaseError:
        return False


@never_cache
def health(request):
    """up / degraded / down for everyone (503 only when the database is down, so
    a missing worker never pulls a serving web process out of a load balancer);
    each part's state and the apps' figures for staff and monitors."""
    status, checks = health_report()
    body = {"status": status}
    if _may_see_health_details(request, checks["database"]["status"] == UP):
        body["checks"] = checks
        if checks["database"]["status"] == UP:
            body["figures"] = health_figures()
    return JsonResponse(body, status=503 if status == DOWN else 200)


@never_cache
def ready(request):
    """Readiness probe for load balancers: 200 while this process can serve
    (its database answers), 503 else. The cache, the broker and the workers are
    not needed to serve."""
    if readiness():
        return HttpResponse("ready", content_type="text/plain")
    return HttpResponse("not ready", content_type="text/plain", status=503)


@never_cache
def live(request):
    """Liveness probe: the process answers, touching neither database nor cache
    (alliance.core.middleware.LivenessMiddleware answers it before any other
    middleware runs).

    Load balancers use it, and ``make bench`` measures it as the server's
    baseline throughput."""
    return HttpResponse("ok", content_type="text/plain")
