"""The API under /api/v1/: each app contributes its own routes."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from alliance.api import notifications, views
from alliance.api.working_group_views import WorkingGroupViewSet

router = SimpleRouter()
router.register("focus-areas", views.FocusAreaViewSet, basename="focus-area")
router.register("working-groups", WorkingGroupViewSet, basename="working-group")
router.register(
    "me/notifications", notifications.NotificationViewSet, basename="me-notification"
)
router.register(
    "me/subscriptions", notifications.SubscriptionViewSet, basename="me-subscription"
)

urlpatterns = [
    path(
        "me/preferences/",
        notifications.PreferencesView.as_view(),
        name="api-me-preferences",
    ),
    path("", include(router.urls)),
    path("", include("members.api.urls")),
    path("", include("projects.api.urls")),
    path("", include("events.api.urls")),
]
