"""The person signed in is read with the facts every page asks of them (issue 19:
the per-request floor of a signed-in page): whether they belong to an active
member organization and whether anything is unread, in the query that loads
them; sessions signed in with Django's or allauth's own backend stay signed in.
"""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alliance.notifications.models import Notification
from alliance.notifications.services.activities import notification_mark_read
from members.models import Organization
from members.services.organizations import organization_set_status
from tests.alliance.notifications.test_pages import inbox
from tests.members.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/members/"  # a signed-in page shared by audience: only the person is theirs


def _queries(client, path=PAGE) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def _is_about(sql: str, table: str) -> bool:
    """Whether the query reads rows of ``table`` (not only in a subquery)."""
    return sql.startswith(
        (
            f'SELECT "{table}".',
            f'SELECT DISTINCT "{table}".',
            f'SELECT 1 AS "a" FROM "{table}"',  # noqa: S608 - a prefix to compare
        )
    )


def test_a_member_with_nothing_unread_costs_one_query_for_who_they_are(client):
    member = MemberFactory()
    client.force_login(member)
    client.get(PAGE)
    queries = _queries(client)
    person = [sql for sql in queries if _is_about(sql, "members_user")]
    assert len(person) == 1
    # Membership and the bell were read with the person, not on their own.
    assert not any(_is_about(sql, "members_organization") for sql in queries)
    assert not any(_is_about(sql, "alliance_notification") for sql in queries)
    assert "members_affiliation" in person[0]
    assert "alliance_notification" in person[0]


def test_the_bell_still_counts_what_is_unread(client):
    member = MemberFactory()
    inbox(member, 2)
    client.force_login(member)
    assert 'id="unread-count">2<' in client.get(PAGE).content.decode()


def _bell(client) -> str:
    html = client.get(PAGE).content.decode()
    return html.split('id="unread-count">', 1)[1].split("<", 1)[0]


def test_the_bells_count_is_kept_and_follows_every_change_at_once(client):
    """Checking what the person may still see is counted once and kept for
    them (issue 19: it cost 100-150 ms of every page of anyone with something
    unread); reading one, a new one and the digest showing some change it."""
    member = MemberFactory()
    first, _second = inbox(member, 2)
    client.force_login(member)
    assert _bell(client) == "2"
    kept = _queries(client)
    assert not any(_is_about(sql, "alliance_notification") for sql in kept)

    notification_mark_read(recipient=member, notification_id=first.pk)
    assert _bell(client) == "1"
    (waiting,) = inbox(member, 1, shown=False)  # waits for the digest
    assert _bell(client) == "1"
    Notification.objects.filter(pk=waiting.pk).update(shown_at=timezone.now())
    assert _bell(client) == "2"  # what the digest run does
    inbox(member, 1)
    assert _bell(client) == "3"
    notification_mark_read(recipient=member)
    assert 'id="unread-count"' not in client.get(PAGE).content.decode()


def test_the_kept_count_is_never_another_persons(client):
    member, other = MemberFactory(), MemberFactory()
    inbox(member, 3)
    inbox(other, 1)
    client.force_login(member)
    assert _bell(client) == "3"
    client.force_login(other)
    assert _bell(client) == "1"


def test_a_lapsed_organization_is_seen_on_the_next_request(client):
    member = MemberFactory()
    client.force_login(member)
    assert (
        "Members see the whole catalog" not in client.get("/projects/").content.decode()
    )
    organization = member.affiliations.get().organization
    organization_set_status(
        organization=organization, status=Organization.Status.LAPSED, actor=None
    )
    # The catalog shows a non-member only the vetted entries, and says so.
    html = client.get("/projects/").content.decode()
    assert "Members see the whole catalog" in html


@pytest.mark.parametrize(
    "backend",
    [
        "django.contrib.auth.backends.ModelBackend",
        "allauth.account.auth_backends.AuthenticationBackend",
    ],
)
def test_a_session_signed_in_with_a_former_backend_stays_signed_in(client, backend):
    person = UserFactory(name="Ada Former")
    session = client.session
    session[SESSION_KEY] = str(person.pk)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = person.get_session_auth_hash()
    session.save()
    client.cookies["sessionid"] = session.session_key
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert "Ada Former" in response.content.decode()
    assert client.session[BACKEND_SESSION_KEY].startswith("members.authentication.")


def test_nobody_is_loaded_for_an_id_that_is_not_a_person():
    from members.selectors import person_get

    person = MemberFactory()
    assert person_get(person.pk).pk == person.pk
    assert person_get(person.pk + 10_000) is None
    assert person_get("not-a-number") is None
