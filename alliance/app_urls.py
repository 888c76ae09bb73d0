"""Pages of the alliance domain: focus areas, working groups, notifications."""

from django.urls import path

from alliance import views

app_name = "alliance"

urlpatterns = [
    path("focus-areas/", views.focus_area_list_view, name="focus_area_list"),
    path("focus-areas/<slug:slug>/", views.focus_area_detail, name="focus_area_detail"),
    path("working-groups/", views.working_group_list_view, name="working_group_list"),
    path(
        "working-groups/<slug:slug>/",
        views.working_group_detail,
        name="working_group_detail",
    ),
    path("notifications/", views.notification_list_view, name="notification_list"),
]
