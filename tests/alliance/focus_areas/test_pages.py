"""The focus-area pages (/focus-areas/ and each area's page): the areas and their
working groups come from the shared cache (the same for every reader), the
reader's own level on an area does not, and a write shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.focus_areas.models import FocusArea
from alliance.working_groups.services import (
    working_group_join,
    working_group_set_status,
)
from tests.alliance.factories import WorkingGroupFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _read(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def _group_queries(client, path) -> int:
    """How many of the page's queries read the working groups."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum('FROM "alliance_workinggroup"' in q["sql"] for q in queries)


def test_the_list_follows_a_new_group_and_a_rename_at_once(client, member):
    client.force_login(member)  # a signed-in reader: the page itself is not cached
    area = FocusArea.objects.get(number=3)
    page, cold = _read(client, "/focus-areas/")
    _, warm = _read(client, "/focus-areas/")
    assert warm < cold  # the areas and counts came from the cache
    assert "1 working group<" not in page.split(area.name, 1)[1].split("</li>", 1)[0]
    WorkingGroupFactory(focus_area=area)
    page, _ = _read(client, "/focus-areas/")
    assert "1 working group<" in page.split(area.name, 1)[1].split("</li>", 1)[0]
    area.name = "Renamed Area"
    area.save()
    assert "Renamed Area" in _read(client, "/focus-areas/")[0]


def test_an_area_page_follows_a_join_and_an_archive_through_the_services(
    client, member
):
    area = FocusArea.objects.get(number=2)
    group = WorkingGroupFactory(focus_area=area, name="Red Teaming Circle")
    client.force_login(member)
    assert _group_queries(client, area.get_absolute_url()) > 0
    # The groups and their counts come from the cache.
    assert _group_queries(client, area.get_absolute_url()) == 0
    page, _ = _read(client, area.get_absolute_url())
    assert "Red Teaming Circle" in page and "0 members" in page
    working_group_join(group=group, user=MemberFactory())
    assert "1 member<" in _read(client, area.get_absolute_url())[0]
    working_group_set_status(group=group, status="archived")
    page, _ = _read(client, area.get_absolute_url())
    assert "Red Teaming Circle" not in page


def test_the_readers_level_is_their_own_and_visitors_get_the_sign_in_line(
    client, member
):
    from alliance.notifications.services.subscriptions import subscription_levels_set

    area = FocusArea.objects.get(number=1)
    subscription_levels_set(user=member, levels=[(area, "watch", True)])
    client.force_login(member)
    page, _ = _read(client, area.get_absolute_url())
    assert 'value="watch" class="button button-small" aria-pressed="true"' in page
    other = MemberFactory()
    client.force_login(other)
    page, _ = _read(client, area.get_absolute_url())
    assert 'value="normal" class="button button-small" aria-pressed="true"' in page
    client.logout()
    page, _ = _read(client, area.get_absolute_url())
    assert "aria-pressed" not in page and "to watch or mute" in page
