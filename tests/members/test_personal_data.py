"""A person's own data: download everything as JSON; delete the account (what
they belong to ends, what they wrote stays, attributed to a former member)."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.utils import translation

from alliance.registries import personal_data as hooks
from members.models import Affiliation, ApiToken, MembershipApplication, User
from members.services import api_token_create
from tests.members.factories import PASSWORD, ApplicationFactory


@pytest.fixture
def other_app_hooks():
    """Stand in for another app's sections, to see that both hooks are called."""
    closed = []
    hooks.personal_data_register("test_app", lambda user: {"registrations": [1, 2]})
    hooks.account_closed_register("test_app", closed.append)
    yield closed
    hooks._personal_data.pop("test_app")
    hooks._account_closed.pop("test_app")


def test_download_everything_about_me(client, cast, other_app_hooks):
    ApplicationFactory(applicant=cast.contact, organization_name="Earlier Try")
    api_token_create(user=cast.contact, name="Sync script")
    client.force_login(cast.contact)
    page = client.get("/members/me/data/").content.decode()
    assert "Download my data (JSON)" in page
    response = client.get("/members/me/data/download/")
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert (
        "no-store" in response["Cache-Control"]
        or "no-cache" in response["Cache-Control"]
    )
    data = json.loads(response.content)
    members = data["members"]
    assert members["profile"]["email"] == cast.contact.email
    assert members["email_addresses"][0]["verified"] is True
    assert members["affiliations"][0]["organization"] == "Acme Research"
    assert members["affiliations"][0]["role"] == "primary_contact"
    assert members["membership_applications"][0]["organization_name"] == "Earlier Try"
    assert members["api_tokens"][0]["name"] == "Sync script"
    assert "key_hash" not in json.dumps(members)
    assert data["test_app"] == {"registrations": [1, 2]}
    # Only one's own data: another person's never appears.
    assert cast.member.email not in response.content.decode()


def test_delete_account_needs_the_password(client, cast, other_app_hooks):
    client.force_login(cast.member)
    response = client.post(
        "/members/me/delete/", {"password": "wrong", "confirm": "on"}
    )
    assert "This is not your password." in response.content.decode()
    response = client.post("/members/me/delete/", {"password": PASSWORD})
    assert "This field is required." in response.content.decode()
    assert User.objects.get(pk=cast.member.pk).closed_at is None
    assert other_app_hooks == []


def test_delete_account_anonymizes_and_ends_everything(client, cast, other_app_hooks):
    person = cast.contact
    old_email = person.email
    application = ApplicationFactory(
        applicant=person, status="draft", submitted_at=None
    )
    api_token_create(user=person, name="Script")
    client.force_login(person)
    response = client.post(
        "/members/me/delete/", {"password": PASSWORD, "confirm": "on"}, follow=True
    )
    assert "Your account has been deleted" in response.content.decode()
    assert response.context["user"].is_anonymous

    person.refresh_from_db()
    assert person.closed_at is not None and not person.is_active
    assert person.email != old_email and person.email.endswith("@users.invalid")
    assert (person.name, person.display_name, person.bio) == ("", "", "")
    assert not person.has_usable_password()
    assert person.public_name == "Former member"
    with translation.override("de"):
        assert str(person) == "Ehemaliges Mitglied"
    # Even the only primary contact leaves; open applications are withdrawn.
    affiliation = Affiliation.objects.get(user=person)
    assert affiliation.status == "ended" and affiliation.ended_at
    application.refresh_from_db()
    assert application.status == "withdrawn"
    # What they wrote stays, attributed to the former member.
    assert MembershipApplication.objects.get(pk=application.pk).applicant == person
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not ApiToken.objects.filter(user=person).exists()
    # Other apps ended what they hold.
    assert other_app_hooks == [person]
    # The old address signs in no more.
    response = client.post(
        "/accounts/login/", {"login": old_email, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert client.get("/dashboard/").status_code == 302
    # Nobody sees them in directories.
    client.force_login(cast.member)
    assert "Former member" not in client.get("/members/acme-research/").content.decode()


def test_only_verified_addresses_reach_invitations(client, cast, other_app_hooks):
    """Issue 17 item 7: someone who adds another person's address without
    verifying it neither sees that address's invitations in their export nor,
    by closing their account, rewrites them so the real invitee cannot accept."""
    import datetime

    from django.utils import timezone

    from members.models import Invitation

    person = cast.member
    EmailAddress.objects.create(
        user=person, email="victim@elsewhere.example", verified=False
    )
    invitation = Invitation.objects.create(
        organization=cast.contact.affiliations.get().organization,
        email="victim@elsewhere.example",
        role=Affiliation.Role.MEMBER,
        invited_by=cast.contact,
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    client.force_login(person)
    data = json.loads(client.get("/members/me/data/download/").content)
    assert data["members"]["invitations_received"] == []

    client.post("/members/me/delete/", {"password": PASSWORD, "confirm": "on"})
    assert User.objects.get(pk=person.pk).closed_at is not None
    invitation.refresh_from_db()
    assert invitation.email == "victim@elsewhere.example"
    assert not Invitation.history.filter(email__endswith="@users.invalid").exists()
