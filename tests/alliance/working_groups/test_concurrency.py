"""Concurrent joins never exceed an organization's voting seats (PostgreSQL)."""

import threading

from django.db import connection

from alliance.working_groups.models import WorkingGroupMembership
from alliance.working_groups.services import working_group_join
from tests.alliance.factories import WorkingGroupFactory
from tests.alliance.working_groups.conftest import organization_member
from tests.members.factories import OrganizationFactory

JOINERS = 8


def test_concurrent_joins_of_one_organization_take_only_its_seats(
    postgres, transactional_db
):
    group = WorkingGroupFactory()
    organization = OrganizationFactory()  # one voting seat per group
    people = [organization_member(organization) for _ in range(JOINERS)]
    start = threading.Barrier(JOINERS)
    errors = []

    def join(person):
        try:
            start.wait()
            working_group_join(group=group, user=person)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=join, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    memberships = WorkingGroupMembership.objects.filter(group=group)
    assert memberships.filter(status="active").count() == JOINERS
    assert memberships.filter(voting=True).count() == 1
    assert memberships.filter(non_voting_reason="seat_cap").count() == JOINERS - 1
