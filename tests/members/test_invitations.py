"""Invitations: a contact invites a colleague, who signs up from the emailed link
and accepts; links work once, for 7 days, for the invited address only; the
tier's contact limit holds."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from members.models import Affiliation, Invitation, Tier
from members.services.affiliations import affiliation_change_role, affiliation_end
from members.services.invitations import invitation_create
from tests.members.factories import PASSWORD, AffiliationFactory, UserFactory

LINK = re.compile(r"https?://[^/\s]+(/members/invitations/[^\s]+/)")


def _invite(client, email, role="member", capture=None):
    with capture(execute=True):
        response = client.post(
            "/members/acme-research/manage/invite/",
            {"email": email, "role": role, "language": "en"},
            follow=True,
        )
    return response


def _link_to(email):
    for message in reversed(mail.outbox):
        if email in message.to:
            return LINK.search(message.body).group(1)
    raise AssertionError(f"no invitation mailed to {email}")


def test_invite_sign_up_from_the_link_and_accept(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.contact)
    page = _invite(
        client, "Colleague@Example.org", "technical_contact",
        django_capture_on_commit_callbacks,
    )  # fmt: skip
    assert "Invitation sent to colleague@example.org" in page.content.decode()
    message = mail.outbox[-1]
    assert message.to == ["colleague@example.org"]
    assert "invited you to join Acme Research" in message.body
    assert "Technical contact" in message.body
    link = _link_to("colleague@example.org")

    client.logout()
    page = client.get(link)
    assert page.status_code == 200
    assert "Join Acme Research in the AI Alliance" in page.content.decode()
    # Signing up with the invited address needs no second verification email.
    outbox_before = len(mail.outbox)
    response = client.post(
        f"/accounts/signup/?next={link}",
        {
            "email": "colleague@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == link
    assert len(mail.outbox) == outbox_before
    page = client.get(link).content.decode()
    assert "Accept and join Acme Research" in page
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == "/members/acme-research/"
    affiliation = Affiliation.objects.get(user__email="colleague@example.org")
    assert affiliation.organization == cast.organization
    assert (affiliation.role, affiliation.status) == ("technical_contact", "active")
    assert affiliation.source == "invitation"
    assert Invitation.objects.get().accepted_by == affiliation.user
    welcome = client.get(response["Location"]).content.decode()
    assert "you are now affiliated as Technical contact" in welcome
    # Both now see member-only pages.
    assert client.get("/members/people/").status_code == 200

    # The link works once.
    response = client.get(link)
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    response = client.post(link)
    assert response.status_code == 410
    assert Affiliation.objects.filter(user=affiliation.user).count() == 1


def test_an_invitation_expires_after_seven_days(
    client, cast, django_capture_on_commit_callbacks
):
    person = UserFactory(email="late@example.org")
    client.force_login(cast.contact)
    _invite(client, "late@example.org", capture=django_capture_on_commit_callbacks)
    link = _link_to("late@example.org")
    client.force_login(person)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=6, hours=23)):
        assert client.get(link).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        response = client.get(link)
        assert response.status_code == 410
        assert "expired" in response.content.decode()
        assert client.post(link).status_code == 410
    assert not Affiliation.objects.filter(user=person).exists()


def test_a_withdrawn_or_replaced_invitation_no_longer_works(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.contact)
    _invite(client, "twice@example.org", capture=django_capture_on_commit_callbacks)
    first = _link_to("twice@example.org")
    _invite(client, "twice@example.org", capture=django_capture_on_commit_callbacks)
    second = _link_to("twice@example.org")
    assert first != second
    client.logout()
    response = client.get(first)
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
    assert client.get(second).status_code == 200

    client.force_login(cast.contact)
    invitation = Invitation.objects.get(revoked_at__isnull=True)
    client.post(f"/members/acme-research/manage/invitations/{invitation.pk}/withdraw/")
    client.logout()
    assert client.get(second).status_code == 410


def test_a_tampered_link_is_refused(client, cast):
    invitation = invitation_create(
        organization=cast.organization, email="x@example.org", invited_by=cast.contact
    )
    from members.services.invitations import invitation_url

    url = invitation_url(invitation)
    response = client.get(url[:-3] + "xx/")
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_only_the_invited_address_may_accept(client, cast):
    invitation = invitation_create(
        organization=cast.organization,
        email="intended@example.org",
        invited_by=cast.contact,
    )
    from members.services.invitations import invitation_url

    link = invitation_url(invitation)
    client.force_login(cast.outsider)
    page = client.get(link).content.decode()
    assert "This invitation was sent to intended@example.org" in page
    assert "Accept and join" not in page
    response = client.post(link)
    assert response.status_code == 403
    assert not Affiliation.objects.filter(user=cast.outsider).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.fixture
def small_tier(cast):
    tier = Tier.objects.create(name="Small", slug="small", rank=50, max_contacts=2)
    cast.organization.tier = tier
    cast.organization.save()
    return tier


def test_contact_limit_counts_contacts_and_open_invitations(
    client, cast, small_tier, django_capture_on_commit_callbacks
):
    client.force_login(cast.contact)
    _invite(
        client, "rep@example.org", "representative", django_capture_on_commit_callbacks
    )
    page = _invite(
        client, "tech@example.org", "technical_contact",
        django_capture_on_commit_callbacks,
    ).content.decode()  # fmt: skip
    assert "Acme Research may name 2 contacts and has 2" in page
    assert not Invitation.objects.filter(email="tech@example.org").exists()
    # Members are never limited.
    _invite(client, "member@example.org", "member", django_capture_on_commit_callbacks)
    assert Invitation.objects.filter(email="member@example.org").exists()
    # Promoting a member is refused too, and says why.
    affiliation = cast.member.affiliations.get()
    page = client.post(
        f"/members/acme-research/manage/people/{affiliation.pk}/role/",
        {"role": "communications_contact"},
        follow=True,
    ).content.decode()
    assert "may name 2 contacts" in page
    affiliation.refresh_from_db()
    assert affiliation.role == "member"
    # Withdrawing the open contact invitation frees the seat.
    invitation = Invitation.objects.get(email="rep@example.org")
    client.post(f"/members/acme-research/manage/invitations/{invitation.pk}/withdraw/")
    client.post(
        f"/members/acme-research/manage/people/{affiliation.pk}/role/",
        {"role": "communications_contact"},
    )
    affiliation.refresh_from_db()
    assert affiliation.role == "communications_contact"


def test_a_lapsed_organization_names_no_more_contacts_than_its_primary(
    client, cast, small_tier
):
    # Issue 17, item 3: the contact limit read the tier, whatever the
    # organization's status; it asks the entitlement selector now.
    from members.selectors import organization_contact_limit
    from members.services.organizations import organization_set_status

    assert organization_contact_limit(cast.organization) == 2
    organization_set_status(organization=cast.organization, status="lapsed")
    assert organization_contact_limit(cast.organization) == 1
    client.force_login(cast.contact)
    affiliation = cast.member.affiliations.get()
    page = client.post(
        f"/members/acme-research/manage/people/{affiliation.pk}/role/",
        {"role": "communications_contact"},
        follow=True,
    ).content.decode()
    assert "may name 1 contacts" in page
    affiliation.refresh_from_db()
    assert affiliation.role == "member"


def test_the_only_primary_contact_stays_until_another_is_named(cast):
    from django.core.exceptions import ValidationError

    primary = cast.contact.affiliations.get()
    with pytest.raises(ValidationError, match="only primary contact"):
        affiliation_end(affiliation=primary)
    with pytest.raises(ValidationError, match="only primary contact"):
        affiliation_change_role(affiliation=primary, role="member")
    colleague = AffiliationFactory(organization=cast.organization)
    affiliation_change_role(affiliation=colleague, role="primary_contact")
    affiliation_end(affiliation=primary)
    primary.refresh_from_db()
    assert primary.status == "ended" and primary.ended_at is not None


def test_contacts_approve_decline_and_end(client, cast):
    pending = AffiliationFactory(organization=cast.organization, status="pending")
    declined = AffiliationFactory(organization=cast.organization, status="pending")
    client.force_login(cast.contact)
    page = client.get("/members/acme-research/manage/").content.decode()
    assert "2 people ask to join" in page
    base = "/members/acme-research/manage/people"
    response = client.post(f"{base}/{pending.pk}/approve/", follow=True)
    assert f"{pending.user.public_name} is now affiliated." in response.content.decode()
    client.post(f"{base}/{declined.pk}/decline/")
    client.post(f"{base}/{cast.member.affiliations.get().pk}/end/")
    pending.refresh_from_db()
    declined.refresh_from_db()
    assert pending.status == "active"
    assert declined.status == "ended"
    assert cast.member.affiliations.get().status == "ended"
    # Approving twice is a message, not an error page.
    response = client.post(f"{base}/{pending.pk}/approve/", follow=True)
    assert "Only a pending affiliation can be approved." in response.content.decode()
