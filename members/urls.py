from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("me/profile/", views.profile, name="profile"),
    path("me/api-tokens/", views.api_tokens, name="api_tokens"),
    path(
        "me/api-tokens/<int:pk>/revoke/",
        views.api_token_revoke_view,
        name="api_token_revoke",
    ),
    path("<slug:slug>/", views.organization_detail, name="organization_detail"),
]
