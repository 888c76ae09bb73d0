"""The portal's URLs: each context and app brings its own pages and API routes."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve
from drf_spectacular.views import SpectacularSwaggerSplitView

from alliance.core import views
from alliance.core.api.schema import CachedSchemaView
from members.views.accounts import set_language

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "AI Alliance Portal"
admin.site.site_title = "AI Alliance Portal"

# The alliance's own pages share the "alliance" namespace
# (alliance:working_group_detail, alliance:notification_list, ...).
alliance_pages = [
    path("focus-areas/", include("alliance.focus_areas.urls")),
    path("working-groups/", include("alliance.working_groups.urls")),
    path("notifications/", include("alliance.notifications.urls")),
    path("ballots/", include("alliance.governance.urls")),
    path("search/", include("alliance.search.urls")),
    path("", include("alliance.conversation.urls")),
]

api_v1 = [
    path("", include("alliance.focus_areas.api.urls")),
    path("", include("alliance.working_groups.api.urls")),
    path("", include("alliance.governance.api.urls")),
    path("", include("alliance.conversation.api.urls")),
    path("", include("alliance.notifications.api.urls")),
    path("", include("alliance.search.api.urls")),
    path("", include("members.api.urls")),
    path("", include("projects.api.urls")),
    path("", include("events.api.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("health/", views.health, name="health"),
    path("health/live/", views.live, name="health_live"),
    path("health/ready/", views.ready, name="health_ready"),
    # The language switch of every page; a signed-in person's choice is kept
    # with their profile (members).
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include((alliance_pages, "alliance"))),
    path("members/", include("members.urls")),
    path("projects/", include("projects.urls")),
    path("events/", include("events.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", CachedSchemaView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    path("api/v1/", include(api_v1)),
]

handler400 = "alliance.core.api.errors.bad_request"
handler403 = "alliance.core.api.errors.permission_denied"
handler404 = "alliance.core.api.errors.page_not_found"
handler500 = "alliance.core.api.errors.server_error"

# Uploaded files (logos) in the local demo; production serves MEDIA_ROOT separately.
if settings.DEBUG:
    urlpatterns += [
        path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
