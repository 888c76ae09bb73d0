"""Pages of the alliance domain: focus areas, working groups, notifications."""

from django.urls import include, path

from alliance import views

app_name = "alliance"

urlpatterns = [
    path("focus-areas/", views.focus_area_list_view, name="focus_area_list"),
    path("focus-areas/<slug:slug>/", views.focus_area_detail, name="focus_area_detail"),
    path("working-groups/", include("alliance.working_group_urls")),
    path("notifications/", views.notification_list_view, name="notification_list"),
]
