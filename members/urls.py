from django.urls import path, re_path

from members.views import accounts, applications, directory, invitations, manage

app_name = "members"

urlpatterns = [
    path("", directory.directory, name="directory"),
    path("people/", directory.people, name="people"),
    path("join/", applications.join, name="join"),
    path("join/apply/", applications.application_form, name="apply"),
    path(
        "applications/<int:pk>/",
        applications.application_detail,
        name="application_detail",
    ),
    path(
        "applications/<int:pk>/edit/",
        applications.application_form,
        name="application_edit",
    ),
    path(
        "applications/<int:pk>/withdraw/",
        applications.application_withdraw_view,
        name="application_withdraw",
    ),
    path(
        "invitations/<str:token>/",
        invitations.invitation_accept_view,
        name="invitation_accept",
    ),
    path("me/profile/", accounts.profile, name="profile"),
    path("me/api-tokens/", accounts.api_tokens, name="api_tokens"),
    path(
        "me/api-tokens/<int:pk>/revoke/",
        accounts.api_token_revoke_view,
        name="api_token_revoke",
    ),
    path("me/data/", accounts.personal_data, name="personal_data"),
    path(
        "me/data/download/",
        accounts.personal_data_download,
        name="personal_data_download",
    ),
    path("me/delete/", accounts.account_close, name="account_close"),
    path("<slug:slug>/", directory.organization_detail, name="organization_detail"),
    path("<slug:slug>/logo/", directory.organization_logo, name="organization_logo"),
    path("<slug:slug>/manage/", manage.organization_manage, name="organization_manage"),
    path("<slug:slug>/manage/invite/", manage.invite, name="organization_invite"),
    path(
        "<slug:slug>/manage/invitations/<int:pk>/withdraw/",
        manage.invitation_withdraw,
        name="organization_invitation_withdraw",
    ),
    path(
        "<slug:slug>/manage/people/<int:pk>/role/",
        manage.affiliation_role,
        name="organization_affiliation_role",
    ),
    re_path(
        r"^(?P<slug>[-a-zA-Z0-9_]+)/manage/people/(?P<pk>[0-9]+)/"
        r"(?P<action>approve|decline|end)/$",
        manage.affiliation_action,
        name="organization_affiliation_action",
    ),
    path(
        "<slug:slug>/manage/domains/", manage.domain_add, name="organization_domain_add"
    ),
    path(
        "<slug:slug>/manage/domains/<int:pk>/remove/",
        manage.domain_remove,
        name="organization_domain_remove",
    ),
]
