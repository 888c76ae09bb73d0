"""Verified email domains: added by contacts, verified by a contact's verified
address or by staff; people who sign up in one are affiliated as pending and the
contacts asked to approve."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from alliance.notifications.models import Notification
from members.models import Affiliation, EmailDomain
from members.services.domains import email_domain_add
from tests.members.factories import PASSWORD, EmailDomainFactory

CONFIRM = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)")


def _confirm_link(email):
    for message in reversed(mail.outbox):
        if email in message.to and CONFIRM.search(message.body):
            return CONFIRM.search(message.body).group(1)
    raise AssertionError(f"no confirmation mail to {email}")


def test_a_contact_with_an_address_in_the_domain_verifies_it_at_once(client, cast):
    EmailAddress.objects.create(
        user=cast.contact, email="boss@acme.example", verified=True
    )
    client.force_login(cast.contact)
    page = client.post(
        "/members/acme-research/manage/domains/",
        {"domain": "@ACME.example"},
        follow=True,
    ).content.decode()
    assert "acme.example is verified" in page
    domain = EmailDomain.objects.get()
    assert domain.domain == "acme.example"
    assert domain.is_verified and domain.verified_by == cast.contact


def test_a_domain_is_verified_when_a_contact_confirms_an_address_in_it(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.contact)
    page = client.post(
        "/members/acme-research/manage/domains/",
        {"domain": "acme.example"},
        follow=True,
    ).content.decode()
    assert "It is verified once a contact" in page
    assert not EmailDomain.objects.get().is_verified
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/email/", {"email": "boss@acme.example", "action_add": ""}
        )
    client.post(_confirm_link("boss@acme.example"))
    domain = EmailDomain.objects.get()
    assert domain.is_verified
    assert domain.verified_by == cast.contact


def test_sign_up_in_a_verified_domain_asks_the_contacts_to_approve(
    client, cast, django_capture_on_commit_callbacks
):
    EmailDomainFactory(organization=cast.organization, domain="acme.example")
    with django_capture_on_commit_callbacks(execute=True):  # the mail is queued
        response = client.post(
            "/accounts/signup/",
            {
                "email": "Newbie@Acme.example",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    assert response["Location"] == "/accounts/confirm-email/"
    # Nothing happens for an address nobody has verified yet.
    assert not Affiliation.objects.filter(user__email="newbie@acme.example").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_confirm_link("newbie@acme.example"))
    affiliation = Affiliation.objects.get(user__email="newbie@acme.example")
    assert affiliation.organization == cast.organization
    assert (affiliation.status, affiliation.role) == ("pending", "member")
    assert affiliation.source == "email_domain"
    # Pending is not a member yet.
    assert client.get("/members/people/").status_code == 403
    dashboard = client.get("/dashboard/").content.decode()
    assert "Awaiting approval" in dashboard

    # The contacts are asked to approve, in the portal and by email.
    note = Notification.objects.get(recipient=cast.contact)
    assert note.kind == "affiliation_requested"
    assert "asks to join Acme Research" in note.title
    assert note.url == "/members/acme-research/manage/"
    assert not Notification.objects.filter(recipient=cast.member).exists()
    assert any(
        cast.contact.email in m.to and "asks to join Acme Research" in m.subject
        for m in mail.outbox
    )
    client.force_login(cast.contact)
    assert (
        "1 person asks to join Acme Research."
        in client.get("/dashboard/").content.decode()
    )
    client.post(f"/members/acme-research/manage/people/{affiliation.pk}/approve/")
    affiliation.refresh_from_db()
    assert affiliation.status == "active"
    client.force_login(affiliation.user)
    assert client.get("/members/people/").status_code == 200


@pytest.mark.parametrize("state", ["unverified", "lapsed"])
def test_no_auto_affiliation_for_unverified_domains_or_lapsed_organizations(
    client, cast, state, django_capture_on_commit_callbacks
):
    EmailDomainFactory(
        organization=cast.organization,
        domain="acme.example",
        verified_at=None if state == "unverified" else EmailDomainFactory.verified_at,
    )
    if state == "lapsed":
        cast.organization.status = "lapsed"
        cast.organization.save()
    with django_capture_on_commit_callbacks(execute=True):  # the mail is queued
        client.post(
            "/accounts/signup/",
            {
                "email": "newbie@acme.example",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_confirm_link("newbie@acme.example"))
    assert not Affiliation.objects.filter(user__email="newbie@acme.example").exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("gmail.com", "public email service"),
        ("not a domain", "Enter a domain such as example.org"),
        ("localhost", "Enter a domain such as example.org"),
        ("name@", "Enter a domain"),
    ],
)
def test_bad_domains_are_refused_with_a_reason(client, cast, value, message):
    client.force_login(cast.contact)
    page = client.post(
        "/members/acme-research/manage/domains/", {"domain": value}, follow=True
    ).content.decode()
    assert message in page
    assert not EmailDomain.objects.exists()


def test_a_domain_verified_for_one_organization_cannot_be_verified_for_another(
    client, cast, staff_user
):
    EmailDomainFactory(organization=cast.other_organization, domain="shared.example")
    claim = email_domain_add(organization=cast.organization, domain="shared.example")
    assert not claim.is_verified
    client.force_login(staff_user)
    response = client.post(
        "/admin/members/emaildomain/",
        {"action": "verify", "_selected_action": [claim.pk]},
        follow=True,
    )
    page = response.content.decode().lower()  # the admin capitalizes messages
    assert "shared.example is already verified for globex labs." in page
    claim.refresh_from_db()
    assert not claim.is_verified


def test_staff_verify_a_domain_in_the_admin(client, cast, staff_user):
    claim = email_domain_add(organization=cast.organization, domain="acme.example")
    client.force_login(staff_user)
    client.post(
        "/admin/members/emaildomain/",
        {"action": "verify", "_selected_action": [claim.pk]},
    )
    claim.refresh_from_db()
    assert claim.is_verified and claim.verified_by == staff_user
