"""A link in an email to a members-only page works for a signed-out reader: they
are sent to sign in and back, and nothing of the page shows before (issue 12)."""

from urllib.parse import quote

import pytest
from django.conf import settings
from django.urls import reverse

from events.models import Event
from projects.models import CatalogEntry
from tests.events.factories import EventFactory
from tests.members.factories import UserFactory
from tests.projects.factories import CatalogEntryFactory

pytestmark = pytest.mark.django_db


def _members_only_pages():
    event = EventFactory(visibility=Event.Visibility.MEMBERS, title="Closed call")
    entry = CatalogEntryFactory(
        vetting_status=CatalogEntry.Vetting.IN_REVIEW, name="Unvetted kit"
    )
    return [
        (event.get_absolute_url(), "Closed call", "/events/no-such-event/"),
        (entry.get_absolute_url(), "Unvetted kit", "/projects/no-such-entry/"),
    ]


def test_signed_out_readers_sign_in_and_come_back(client, member):
    for url, title, missing in _members_only_pages():
        response = client.get(url)
        assert response.status_code == 302, url
        location = response["Location"]
        assert location == f"{reverse(settings.LOGIN_URL)}?next={quote(url)}"
        assert title not in response.content.decode()
        # A page that does not exist answers the same way.
        assert client.get(missing)["Location"].endswith(f"?next={quote(missing)}")
        client.force_login(member)
        assert title in client.get(url).content.decode()
        client.logout()


def test_signed_in_people_who_may_not_see_it_still_get_a_404(client):
    client.force_login(UserFactory())
    for url, title, _missing in _members_only_pages():
        response = client.get(url)
        assert response.status_code == 404
        assert title not in response.content.decode()
