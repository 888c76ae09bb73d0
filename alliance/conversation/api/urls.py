"""Replies in the API: /api/v1/updates/<id>/replies/."""

from django.urls import path

from alliance.conversation.api.views import UpdateReplyListView

urlpatterns = [
    path(
        "updates/<int:pk>/replies/",
        UpdateReplyListView.as_view(),
        name="update-replies",
    ),
]
