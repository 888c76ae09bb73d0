"""Pages of the alliance domain: focus areas, working groups, notifications."""

from django.urls import include, path

from alliance import views, views_notifications

app_name = "alliance"

urlpatterns = [
    path("focus-areas/", views.focus_area_list_view, name="focus_area_list"),
    path("focus-areas/<slug:slug>/", views.focus_area_detail, name="focus_area_detail"),
    path("working-groups/", include("alliance.working_group_urls")),
    path(
        "notifications/",
        views_notifications.notification_list_view,
        name="notification_list",
    ),
    path(
        "notifications/<int:pk>/read/",
        views_notifications.notification_read_view,
        name="notification_read",
    ),
    path(
        "notifications/<int:pk>/open/",
        views_notifications.notification_open_view,
        name="notification_open",
    ),
    path(
        "notifications/read-all/",
        views_notifications.notification_read_all_view,
        name="notification_read_all",
    ),
    path(
        "notifications/preferences/",
        views_notifications.notification_preferences_view,
        name="notification_preferences",
    ),
    path(
        "notifications/subscriptions/",
        views_notifications.subscription_list_view,
        name="subscription_list",
    ),
    path(
        "notifications/subscriptions/change/",
        views_notifications.subscription_change_view,
        name="subscription_change",
    ),
    path(
        "notifications/unsubscribe/<str:token>/",
        views_notifications.unsubscribe_view,
        name="unsubscribe",
    ),
]
