"""Staff change an organization's membership state through a confirmation page
that shows what will happen (people who lose member access, working-group seats
whose votes end, events affected, who is told) and asks for a reason, which is
kept in the history and told to the primary contacts."""

import pytest
from django.core import mail

from alliance.notifications.models import Activity, Notification
from members.models import Affiliation, Organization
from tests.alliance.factories import WorkingGroupFactory, WorkingGroupMembershipFactory
from tests.events.factories import EventFactory, RegistrationFactory
from tests.members.factories import (
    AffiliationFactory,
    ContactFactory,
    MemberFactory,
    OrganizationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lab(db):
    contact = ContactFactory(name="Clara Contact", email="clara@lab.example")
    organization = contact.affiliations.get().organization
    organization.name = "Lapsing Lab"
    organization.save()
    member = MemberFactory(
        name="Max Member",
        email="max@lab.example",
        affiliation__organization=organization,
    )
    # Also affiliated with another active member: keeps member access.
    both = MemberFactory(name="Bea Both", affiliation__organization=organization)
    AffiliationFactory(user=both, organization=OrganizationFactory(name="Other Org"))
    group = WorkingGroupFactory(name="Evaluation Methods")
    WorkingGroupMembershipFactory(group=group, user=member, organization=organization)
    EventFactory(title="Lab Open Day", organization=organization)
    RegistrationFactory(
        user=member,
        event=EventFactory(title="Members Summit", visibility="members"),
    )
    return organization


def _page(client, organization, status="lapsed"):
    return client.get(f"/admin/members/organization/{organization.pk}/status/{status}/")


def test_the_confirmation_page_shows_what_a_lapse_does_and_changes_nothing(
    admin_client, lab
):
    change = admin_client.get(f"/admin/members/organization/{lab.pk}/change/")
    assert f"/admin/members/organization/{lab.pk}/status/lapsed/" in (
        change.content.decode()
    )
    html = _page(admin_client, lab).content.decode()
    losing = html.split('class="people-losing-access"')[1].split("</ul>")[0]
    assert "Max Member" in losing and "Clara Contact" in losing
    assert "Bea Both" not in losing
    assert "People who keep member access through another organization" in html
    assert "Max Member in Evaluation Methods (Member, vote ends)" in html
    assert "Lab Open Day" in html
    assert "Max Member: Members Summit" in html
    assert "clara@lab.example" in html.split("Who is told")[1]
    lab.refresh_from_db()
    assert lab.status == "active"


def test_a_lapse_needs_a_reason_and_writes_nothing_without_one(admin_client, lab):
    url = f"/admin/members/organization/{lab.pk}/status/lapsed/"
    response = admin_client.post(url, {"apply": "1", "reason": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    lab.refresh_from_db()
    assert lab.status == "active"
    assert not Activity.objects.filter(kind="membership_lapsed").exists()


def test_a_confirmed_lapse_keeps_the_reason_tells_the_contacts_and_shows_the_result(
    admin_client, lab, django_capture_on_commit_callbacks
):
    url = f"/admin/members/organization/{lab.pk}/status/lapsed/"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url, {"apply": "1", "reason": "Fee unpaid since March"}, follow=True
        )
    lab.refresh_from_db()
    assert lab.status == "lapsed"
    assert lab.history.first().history_change_reason == "Fee unpaid since March"
    activity = Activity.objects.get(kind="membership_lapsed")
    assert activity.context["reason"] == "Fee unpaid since March"
    note = Notification.objects.get(kind="membership_lapsed")
    assert note.recipient.email == "clara@lab.example"
    assert "Fee unpaid since March" in mail.outbox[-1].body
    assert mail.outbox[-1].to == ["clara@lab.example"]
    html = response.content.decode()
    assert "1 organization is now lapsed." in html
    # The list after the action shows the organization that changed.
    assert list(response.context["cl"].result_list) == [lab]
    # Its people lose member access.
    member = Affiliation.objects.get(user__name="Max Member").user
    assert not member.affiliations.filter(organization__status="active").exists()


def test_the_bulk_action_confirms_first_and_counts_in_the_plural(admin_client, lab):
    second = OrganizationFactory(name="Second Lab")
    data = {"action": "mark_lapsed", "_selected_action": [lab.pk, second.pk]}
    page = admin_client.post("/admin/members/organization/", data)
    assert page.status_code == 200
    assert "These 2 organizations will be “Lapsed”" in page.content.decode()
    assert Organization.objects.filter(status="lapsed").count() == 0
    response = admin_client.post(
        "/admin/members/organization/",
        {**data, "apply": "1", "reason": "Left the alliance"},
        follow=True,
    )
    assert "2 organizations are now lapsed." in response.content.decode()
    assert set(response.context["cl"].result_list) == {lab, second}


def test_reactivation_needs_no_reason(admin_client, lab):
    lab.status = "lapsed"
    lab.save()
    url = f"/admin/members/organization/{lab.pk}/status/active/"
    assert "regain member access" in admin_client.get(url).content.decode()
    response = admin_client.post(url, {"apply": "1", "reason": ""}, follow=True)
    lab.refresh_from_db()
    assert lab.status == "active"
    assert "1 organization is active again." in response.content.decode()


def test_the_status_is_not_edited_in_the_form(admin_client, lab):
    response = admin_client.get(f"/admin/members/organization/{lab.pk}/change/")
    assert "status" not in response.context["adminform"].form.fields
