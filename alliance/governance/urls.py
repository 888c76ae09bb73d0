"""Pages of ballots, under /ballots/ in the alliance namespace."""

from django.urls import path

from alliance.governance import views

urlpatterns = [
    path("", views.ballot_list_view, name="ballot_list"),
    path("new/", views.ballot_create_view, name="ballot_create"),
    path(
        "new/<slug:slug>/",
        views.ballot_create_for_group_view,
        name="ballot_create_for_group",
    ),
    path("<int:pk>/", views.ballot_detail, name="ballot_detail"),
    path("<int:pk>/vote/", views.ballot_vote_view, name="ballot_vote"),
    path("<int:pk>/delegate/", views.ballot_delegate_view, name="ballot_delegate"),
]
