"""The staff console: the admin index is the staff home (what needs a person now,
each count linking to the list where it is done) and the models are grouped by
task."""

import datetime as dt
import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alliance.notifications.models import OutboxEmail
from alliance.working_groups.models import WorkingGroupMembership
from projects.models import CatalogEntry
from tests.alliance.factories import WorkingGroupMembershipFactory
from tests.events.factories import EventFactory, RegistrationFactory, in_days
from tests.members.factories import ApplicationFactory, OrganizationFactory
from tests.projects.factories import CatalogEntryFactory

pytestmark = pytest.mark.django_db
_serial = itertools.count()


def _count(html: str, key: str) -> int:
    match = re.search(rf'data-key="{key}">\s*<span class="count">(\d+)</span>', html)
    assert match, f"{key} is not on the staff home"
    return int(match.group(1))


def _link(html: str, key: str) -> str:
    match = re.search(rf'data-key="{key}">.*?<a href="([^"]+)"', html, re.S)
    return match.group(1).replace("&amp;", "&")


def _work(n: int) -> None:
    """n of every kind of work the staff home counts."""
    now = timezone.now()
    for i in range(n):
        ApplicationFactory(submitted_at=now - dt.timedelta(days=5 + i))
        OrganizationFactory(renewal_due=timezone.localdate() + dt.timedelta(days=10))
        OrganizationFactory(status="lapsed")
        CatalogEntryFactory(vetting_status=CatalogEntry.Vetting.IN_REVIEW)
        CatalogEntryFactory(
            vetting_status=CatalogEntry.Vetting.VETTED,
            vetting_expires_at=now + dt.timedelta(days=10),
        )
        EventFactory(starts_at=in_days(2, hour=10))
        full = EventFactory(starts_at=in_days(20, hour=10), capacity=1)
        RegistrationFactory(event=full)
        for status in (OutboxEmail.Status.FAILED, OutboxEmail.Status.UNCERTAIN):
            OutboxEmail.objects.create(
                key=f"test:{status}:{next(_serial)}",
                to_email="someone@example.org",
                language="en",
                subject="Hello",
                body_text="Hello",
                status=status,
            )
        membership = WorkingGroupMembershipFactory(
            status=WorkingGroupMembership.Status.PENDING
        )
        WorkingGroupMembership.objects.filter(pk=membership.pk).update(
            created_at=now - dt.timedelta(days=8)
        )


KEYS = (
    "applications_waiting",
    "renewals_due",
    "lapsed_this_month",
    "catalog_review",
    "catalog_expiring",
    "events_this_week",
    "events_nearly_full",
    "emails_failed",
    "emails_uncertain",
    "join_requests_stale",
)


def test_the_staff_home_counts_what_needs_a_person(admin_client):
    _work(2)
    html = admin_client.get("/admin/").content.decode()
    for key in KEYS:
        assert _count(html, key) == 2, key
    assert "the oldest has waited 6 days" in html


def test_each_count_links_to_the_list_that_shows_exactly_those_rows(admin_client):
    _work(2)
    # Noise that must not be counted nor listed.
    ApplicationFactory(status="approved")
    OrganizationFactory(renewal_due=timezone.localdate() + dt.timedelta(days=90))
    EventFactory(starts_at=in_days(20, hour=10), capacity=10)
    html = admin_client.get("/admin/").content.decode()
    for key in KEYS:
        response = admin_client.get(_link(html, key))
        assert response.status_code == 200, key
        assert response.context["cl"].result_count == 2, key


def test_the_staff_home_runs_a_constant_number_of_queries(admin_client):
    admin_client.get("/admin/")
    _work(1)
    with CaptureQueriesContext(connection) as few:
        admin_client.get("/admin/")
    _work(6)
    with CaptureQueriesContext(connection) as many:
        admin_client.get("/admin/")
    assert len(many) == len(few)


def test_the_admin_is_grouped_by_task_with_the_scheduler_under_system(admin_client):
    app_list = admin_client.get("/admin/").context["app_list"]
    names = [str(group["name"]) for group in app_list]
    assert names == [
        "Membership",
        "Working groups",
        "Catalog",
        "Events",
        "Mail and notifications",
        "System",
    ]
    by_group = {
        str(group["name"]): [m["object_name"] for m in group["models"]]
        for group in app_list
    }
    assert by_group["Membership"][:2] == ["MembershipApplication", "Organization"]
    assert {"ClockedSchedule", "SolarSchedule", "IntervalSchedule"} <= set(
        by_group["System"]
    )
    assert "OutboxEmail" in by_group["Mail and notifications"]


def test_the_staff_home_speaks_german(admin_client, admin_user):
    admin_user.language = "de"
    admin_user.save()
    html = admin_client.get("/admin/").content.decode()
    assert "Mitgliedschaft" in html
    assert "Anträge, die auf eine Entscheidung warten" in html


def test_staff_are_staff_on_the_member_side_too(client, staff_user, member):
    ApplicationFactory()
    client.force_login(staff_user)
    html = client.get("/dashboard/").content.decode()
    assert 'id="staff-console"' in html
    assert "Join the alliance" not in html
    assert (
        _count(
            html.replace("<strong>", '<span class="count">').replace(
                "</strong>", "</span>"
            ),
            "applications_waiting",
        )
        == 1
    )
    assert "Join the alliance" not in client.get("/members/").content.decode()
    client.force_login(member)
    assert 'id="staff-console"' not in client.get("/dashboard/").content.decode()
