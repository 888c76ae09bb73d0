from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from alliance import views

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "AI Alliance Portal"
admin.site.site_title = "AI Alliance Portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("health/", views.health, name="health"),
    path("health/live/", views.live, name="health_live"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("", include("alliance.app_urls")),
    path("members/", include("members.urls")),
    path("projects/", include("projects.urls")),
    path("events/", include("events.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    path("api/v1/", include("alliance.api.urls")),
]

handler404 = "alliance.api.errors.page_not_found"
handler500 = "alliance.api.errors.server_error"

# Uploaded files (logos) in the local demo; production serves MEDIA_ROOT separately.
if settings.DEBUG:
    urlpatterns += [
        path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
