"""Pages and actions of the conversation, under /replies/ in the alliance
namespace; the inbound-email endpoint at /inbound-email/."""

from django.urls import path

from alliance.conversation import views

urlpatterns = [
    path("replies/updates/<int:pk>/", views.reply_create_view, name="reply_create"),
    path(
        "replies/updates/<int:pk>/follow/",
        views.update_follow_view,
        name="update_follow",
    ),
    path("replies/<int:pk>/", views.reply_link_view, name="reply_link"),
    path("replies/<int:pk>/edit/", views.reply_edit_view, name="reply_edit"),
    path("replies/<int:pk>/delete/", views.reply_delete_view, name="reply_delete"),
    path(
        "replies/<int:pk>/versions/", views.reply_versions_view, name="reply_versions"
    ),
    path("inbound-email/", views.inbound_email_view, name="inbound_email"),
]
