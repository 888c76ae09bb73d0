"""A person's own notifications, subscriptions and preferences in the API:
/api/v1/me/notifications/, /api/v1/me/subscriptions/, /api/v1/me/preferences/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from alliance.notifications.api import views

router = SimpleRouter()
router.register(
    "me/notifications", views.NotificationViewSet, basename="me-notification"
)
router.register(
    "me/subscriptions", views.SubscriptionViewSet, basename="me-subscription"
)

urlpatterns = [
    path(
        "me/preferences/",
        views.PreferencesView.as_view(),
        name="api-me-preferences",
    ),
    *router.urls,
]
