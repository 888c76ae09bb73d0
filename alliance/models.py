"""The models of the alliance app, defined in its contexts and gathered here for
Django, which loads each app's models from ``<app>.models``. Import them from their
context (``alliance.working_groups.models``), not from here."""

from alliance.conversation.models import Reply, ReplyVersion
from alliance.focus_areas.models import FocusArea
from alliance.governance.models import Ballot, BallotDelegate, BallotOption, Vote
from alliance.notifications.models import (
    Activity,
    Delivery,
    Digest,
    Notification,
    NotificationPreference,
    NotificationSettings,
    OutboxEmail,
    Subscription,
)
from alliance.reports.models import StaffReport
from alliance.working_groups.models import (
    ActionItem,
    WorkingGroup,
    WorkingGroupMembership,
    WorkingGroupUpdate,
    WorkingGroupUpdateVersion,
)

__all__ = [
    "ActionItem",
    "Activity",
    "Ballot",
    "BallotDelegate",
    "BallotOption",
    "Delivery",
    "Digest",
    "FocusArea",
    "Notification",
    "NotificationPreference",
    "NotificationSettings",
    "OutboxEmail",
    "Reply",
    "ReplyVersion",
    "StaffReport",
    "Subscription",
    "Vote",
    "WorkingGroup",
    "WorkingGroupMembership",
    "WorkingGroupUpdate",
    "WorkingGroupUpdateVersion",
]
