import pytest
from django.core.servers.basehttp import WSGIServer

from tests.events.factories import EventFactory


@pytest.fixture
def event(db):
    return EventFactory()


@pytest.fixture
def organizer_client(client, event):
    client.force_login(event.organizer)
    return client


# The live test server listens with Django's backlog of 10 pending connections;
# fifty simultaneous clients overflow it and get their connections reset before
# Django sees them. Production servers (gunicorn: 2048) queue them, so the live
# server used by the concurrency proof does too. Set before the session-wide live
# server starts (conftest modules load at collection).
WSGIServer.request_queue_size = 128
