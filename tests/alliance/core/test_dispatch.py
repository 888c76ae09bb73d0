"""Services queue their app's tasks by the name pinned on the task, since a task
module imports the service it calls; every such name resolves to its task."""

import pytest

from alliance.core.dispatch import registered_task
from alliance.notifications.services.activities import FAN_OUT_TASK
from alliance.notifications.services.outbox import SEND_TASK
from events.services.events import CANCELLATION_NOTIFY_TASK


@pytest.mark.parametrize("name", [FAN_OUT_TASK, SEND_TASK, CANCELLATION_NOTIFY_TASK])
def test_each_name_a_service_queues_is_a_registered_task(name):
    assert registered_task(name).name == name


def test_an_unknown_name_is_an_error_not_a_silent_drop():
    with pytest.raises(KeyError):
        registered_task("alliance.tasks.no_such_task")
