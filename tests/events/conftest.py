import pytest

from tests.events.factories import EventFactory


@pytest.fixture
def event(db):
    return EventFactory()


@pytest.fixture
def organizer_client(client, event):
    client.force_login(event.organizer)
    return client
