"""The API under /api/v1/: each app contributes its own routes."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from alliance.api import views

router = SimpleRouter()
router.register("focus-areas", views.FocusAreaViewSet, basename="focus-area")

urlpatterns = [
    path("", include(router.urls)),
    path("", include("members.api.urls")),
    path("", include("projects.api.urls")),
    path("", include("events.api.urls")),
]
