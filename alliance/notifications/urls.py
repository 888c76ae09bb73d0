"""Pages of a person's notifications, under /notifications/ in the alliance
namespace: the inbox, preferences, subscriptions and one-click unsubscribe."""

from django.urls import path

from alliance.notifications import views

urlpatterns = [
    path("", views.notification_list_view, name="notification_list"),
    path("<int:pk>/read/", views.notification_read_view, name="notification_read"),
    path("<int:pk>/open/", views.notification_open_view, name="notification_open"),
    path("read-all/", views.notification_read_all_view, name="notification_read_all"),
    path(
        "preferences/",
        views.notification_preferences_view,
        name="notification_preferences",
    ),
    path(
        "preferences/digest-preview/",
        views.digest_preview_view,
        name="digest_preview",
    ),
    path(
        "preferences/digest-preview/email/",
        views.digest_preview_email_view,
        name="digest_preview_email",
    ),
    path("subscriptions/", views.subscription_list_view, name="subscription_list"),
    path(
        "subscriptions/change/",
        views.subscription_change_view,
        name="subscription_change",
    ),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
