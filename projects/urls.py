from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("new/", views.entry_create_view, name="entry_create"),
    path("review-queue/", views.review_queue, name="review_queue"),
    path("<slug:slug>/", views.entry_detail, name="entry_detail"),
    path("<slug:slug>/edit/", views.entry_edit, name="entry_edit"),
    path("<slug:slug>/history/", views.entry_history_view, name="entry_history"),
    path("<slug:slug>/submit/", views.entry_submit, name="entry_submit"),
    path("<slug:slug>/review/", views.entry_review, name="entry_review"),
    path("<slug:slug>/follow/", views.entry_follow, name="entry_follow"),
    path("<slug:slug>/join/", views.entry_join, name="entry_join"),
    path("<slug:slug>/team/", views.entry_team, name="entry_team"),
    path("<slug:slug>/lifecycle/", views.entry_lifecycle, name="entry_lifecycle"),
]
