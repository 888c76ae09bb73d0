"""The N+1 detector is on for every request and every task the tests run."""

import pytest
from celery import shared_task
from django.http import HttpResponse
from django.urls import path
from zeal import NPlusOneError

from alliance.working_groups.models import WorkingGroupMembership
from tests.alliance.factories import WorkingGroupMembershipFactory


def group_names():
    # The N+1 on purpose: each membership loads its group on its own.
    return ", ".join(m.group.name for m in WorkingGroupMembership.objects.all())


def groups_view(request):
    return HttpResponse(group_names())


urlpatterns = [path("n-plus-one/", groups_view)]
# The portal's handler: its error page needs the portal's URLs, which this
# URLconf does not have, and falls back to plain text instead of raising.
handler500 = "alliance.core.api.errors.server_error"


@shared_task
def groups_task():
    return group_names()


@pytest.fixture
def two_memberships(db):
    WorkingGroupMembershipFactory.create_batch(2)


@pytest.mark.urls(__name__)
def test_a_request_with_an_n_plus_one_fails(client, two_memberships):
    with pytest.raises(NPlusOneError, match="WorkingGroupMembership.group"):
        client.get("/n-plus-one/")


def test_a_task_with_an_n_plus_one_fails(two_memberships):
    with pytest.raises(NPlusOneError, match="WorkingGroupMembership.group"):
        groups_task.delay()


def test_the_test_body_itself_is_not_checked(two_memberships):
    assert group_names().count("Working Group") == 2
