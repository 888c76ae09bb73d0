"""Pages of the working groups, under /working-groups/ in the alliance namespace."""

from django.urls import path

from alliance.working_groups import views

urlpatterns = [
    path("", views.working_group_list_view, name="working_group_list"),
    path(
        "action-items/<int:pk>/done/",
        views.action_item_done_view,
        name="action_item_done",
    ),
    path("<slug:slug>/", views.working_group_detail, name="working_group_detail"),
    path("<slug:slug>/join/", views.working_group_join_view, name="working_group_join"),
    path(
        "<slug:slug>/leave/", views.working_group_leave_view, name="working_group_leave"
    ),
    path(
        "<slug:slug>/invitation/",
        views.working_group_invitation_view,
        name="working_group_invitation",
    ),
    path(
        "<slug:slug>/follow/",
        views.working_group_follow_view,
        name="working_group_follow",
    ),
    path(
        "<slug:slug>/requests/",
        views.working_group_manage,
        name="working_group_manage",
    ),
    path(
        "<slug:slug>/requests/<int:pk>/",
        views.working_group_request_decide_view,
        name="working_group_request_decide",
    ),
    path(
        "<slug:slug>/updates/",
        views.working_group_update_list_view,
        name="working_group_update_list",
    ),
    path(
        "<slug:slug>/updates/new/",
        views.working_group_update_create,
        name="working_group_update_create",
    ),
    path(
        "<slug:slug>/updates/<int:pk>/",
        views.working_group_update_detail,
        name="working_group_update_detail",
    ),
    path(
        "<slug:slug>/updates/<int:pk>/edit/",
        views.working_group_update_edit,
        name="working_group_update_edit",
    ),
    path(
        "<slug:slug>/updates/<int:pk>/versions/",
        views.working_group_update_versions_view,
        name="working_group_update_versions",
    ),
]
