"""Every writable endpoint refuses the fields a caller must not set.

One row per write the API offers: who calls it, a legitimate body, and the fields
that caller must never set (staff flags, organization, status and vetting state,
owners, counts, ids, timestamps). Each row is sent twice from the same data: once
with the legitimate body alone (rolled back), once with the forbidden fields
added. The forbidden fields must either be refused with a 400 naming each of
them, leaving the database as it was, or be ignored: the database then looks
exactly as after the legitimate request. The database is read, not the response.

Related, narrower tests elsewhere: tests/alliance/test_api.py (/me/),
tests/projects/test_api.py (catalog), tests/events/test_api.py (events,
registrations, capacity of others' events), tests/alliance/working_groups/
test_api.py (join, leave).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import pytest
from django.db import transaction
from drf_spectacular.generators import SchemaGenerator

from alliance.conversation.models import Reply
from alliance.governance.models import Ballot, BallotDelegate, Vote
from alliance.governance.services import ballot_open
from alliance.notifications.models import (
    Notification,
    NotificationSettings,
    Subscription,
)
from alliance.working_groups.models import (
    WorkingGroup,
    WorkingGroupMembership,
    WorkingGroupUpdate,
)
from events.models import Event, Registration
from members.models import (
    Affiliation,
    MembershipApplication,
    Organization,
    User,
)
from projects.models import CatalogEntry, Contribution, Review
from tests.events.factories import in_days
from tests.members.factories import UserFactory

ADA = "ada@acme.example"
BOB = "bob@acme.example"
NEWCOMER = "newcomer@newco.example"
FORGED_TIME = "2000-01-01T00:00:00Z"


def pk(model, **lookup) -> int:
    return model.objects.get(**lookup).pk


def carol() -> int:
    return pk(User, email="carol@labs.example")


def _plain(value):
    # Times the server sets (now) differ between two runs; their year does not,
    # and a forged time from 2000 would show.
    return value.year if isinstance(value, datetime) else value


def rows(model, *fields, **lookup) -> Callable[[], list[tuple]]:
    """Read the protected columns of the matching rows, in a stable order."""

    def read():
        values = model.objects.filter(**lookup).order_by("pk").values_list(*fields)
        return [tuple(_plain(v) for v in row) for row in values]

    return read


def both(*reads) -> Callable[[], list]:
    return lambda: [read() for read in reads]


@dataclass
class Write:
    method: str
    url: str | Callable[[], str]
    legit: dict | Callable[[], dict]
    forbidden: dict | Callable[[], dict]
    state: Callable[[], object]
    caller: str = ADA
    operation: str = ""  # as the schema names it, without /api/v1
    variant: str = ""
    # Expected status when the caller may not make this write at all.
    refused: int | None = None

    @property
    def id(self) -> str:
        return f"{self.operation} {self.variant}".strip()


def resolve(value):
    return value() if callable(value) else value


ENTRY_FORBIDDEN = {
    "slug": "hijacked",
    "vetting_status": "vetted",
    "vetting_round": 7,
    "vetted_at": FORGED_TIME,
    "vetting_expires_at": FORGED_TIME,
    "lifecycle": "archived",
    "created_at": FORGED_TIME,
    "updated_at": FORGED_TIME,
    "team": [{"name": "Mallory", "role": "maintainer"}],
}
ENTRY_STATE = both(
    rows(
        CatalogEntry,
        "slug",
        "vetting_status",
        "vetting_round",
        "vetted_at",
        "vetting_expires_at",
        "lifecycle",
        "created_by__email",
        "created_at",
    ),
    rows(Contribution, "entry__slug", "user__email", "role"),
)
ENTRY_BODY = {
    "kind": "tool",
    "name": "Ada Tool",
    "summary": "Checks models for unsafe behaviour.",
    "focus_area": "benchmarks-evaluation",
}
EVENT_FORBIDDEN = {
    "status": "published",
    "slug": "hijacked",
    "uid": "00000000-0000-0000-0000-000000000000",
    "organizer": 1,
    "organization": "open-labs",
    "sequence": 99,
    "published_at": FORGED_TIME,
    "cancelled_at": FORGED_TIME,
    "confirmed_count": 0,
    "seats_left": 1000,
    "is_staff": True,
}
EVENT_STATE = rows(
    Event,
    "slug",
    "uid",
    "status",
    "organizer__email",
    "organization__slug",
    "sequence",
    "capacity",
    "published_at",
    "cancelled_at",
    "venue",
)
REGISTRATION_FORBIDDEN = lambda: {  # noqa: E731
    "status": "confirmed",
    "position": 0,
    "attended": True,
    "user": carol(),
    "organization": "open-labs",
    "created_at": FORGED_TIME,
}
REGISTRATION_STATE = rows(
    Registration,
    "event__slug",
    "user__email",
    "organization__slug",
    "status",
    "attended",
    "show_on_list",
)
AFFILIATION_FORBIDDEN = lambda: {  # noqa: E731
    "role": "primary_contact",
    "status": "active",
    "organization": pk(Organization, slug="open-labs"),
    "user": carol(),
    "person": {"id": carol()},
    "source": "staff",
    "started_at": FORGED_TIME,
    "ended_at": FORGED_TIME,
}
AFFILIATION_STATE = rows(
    Affiliation,
    "user__email",
    "organization__slug",
    "role",
    "status",
    "source",
    "started_at",
    "ended_at",
)
MEMBERSHIP_FORBIDDEN = lambda: {  # noqa: E731
    "role": "chair",
    "voting": True,
    "status": "active",
    "user": carol(),
    "group": pk(WorkingGroup, slug="open-models"),
    "non_voting_reason": "",
    "term_start": "2000-01-01",
    "decided_at": FORGED_TIME,
}
MEMBERSHIP_STATE = rows(
    WorkingGroupMembership,
    "group__slug",
    "user__email",
    "organization__slug",
    "role",
    "status",
    "voting",
    "term_start",
    "decided_by__email",
)


def affiliation_url(email: str, action: str = "") -> Callable[[], str]:
    def url():
        affiliation = pk(Affiliation, organization__slug="acme-ai", user__email=email)
        return f"/api/v1/organizations/acme-ai/affiliations/{affiliation}/{action}"

    return url


def pending_affiliation_url(action: str) -> Callable[[], str]:
    def url():
        affiliation = pk(Affiliation, organization__slug="acme-ai", status="pending")
        return f"/api/v1/organizations/acme-ai/affiliations/{affiliation}/{action}"

    return url


def request_url(action: str) -> Callable[[], str]:
    def url():
        request = pk(WorkingGroupMembership, group__slug="evaluation", status="pending")
        return f"/api/v1/working-groups/evaluation/requests/{request}/{action}/"

    return url


def first_notification_url() -> str:
    notification = Notification.objects.filter(recipient__email=ADA).first()
    return f"/api/v1/me/notifications/{notification.pk}/read/"


def draft_application_url() -> str:
    application = pk(MembershipApplication, applicant__email=ADA, status="draft")
    return f"/api/v1/applications/{application}/withdraw/"


def new_event() -> dict:
    start = in_days(10, hour=9)
    return {
        "title": "Red Teaming Clinic",
        "starts_at": start.isoformat(),
        "ends_at": start.replace(hour=12).isoformat(),
        "time_zone": "Europe/Berlin",
        "capacity": 30,
    }


def _ballot():
    """Return the Evaluation group's open ballot, opening it by its chair first."""
    ballot = Ballot.objects.filter(question="Adopt the benchmark?").first()
    if ballot is None:
        ballot = ballot_open(
            created_by=User.objects.get(email=ADA),
            group=WorkingGroup.objects.get(slug="evaluation"),
            question="Adopt the benchmark?",
            closes_at=in_days(3),
        )
    return ballot


def _alliance_ballot():
    """Return the open ballot of the member organizations, opened by staff first."""
    ballot = Ballot.objects.filter(question="Approve the policy?").first()
    if ballot is None:
        ballot = ballot_open(
            created_by=UserFactory(is_staff=True),
            group=None,
            question="Approve the policy?",
            closes_at=in_days(3),
        )
    return ballot


DELEGATE_STATE = rows(
    BallotDelegate,
    "ballot__question",
    "organization__slug",
    "delegate__email",
    "named_by__email",
)
BALLOT_STATE = rows(
    Ballot,
    "question",
    "scope",
    "group__slug",
    "status",
    "secret",
    "created_by__email",
    "created_at",
    "reminded_at",
    "closed_at",
    "result",
)
VOTE_STATE = rows(
    Vote, "voter__email", "organization__slug", "seat", "weight", "option__key"
)

REPLY_STATE = rows(
    Reply,
    "update__title",
    "author__email",
    "body",
    "parent",
    "thread",
    "via_email",
    "created_at",
    "edited_at",
    "deleted_at",
)


def _minutes_url() -> str:
    update = WorkingGroupUpdate.objects.get(group__slug="evaluation", kind="minutes")
    return f"/api/v1/updates/{update.pk}/replies/"


WRITES = [
    Write(
        operation="POST /updates/{id}/replies/",
        method="post",
        caller=BOB,
        url=_minutes_url,
        legit={"body": "Agreed."},
        forbidden=lambda: {
            "author": carol(),
            "update": 1,
            "via_email": True,
            "created_at": FORGED_TIME,
            "edited_at": FORGED_TIME,
            "deleted": True,
            "thread": 1,
        },
        state=REPLY_STATE,
    ),
    Write(
        operation="POST /ballots/",
        method="post",
        url="/api/v1/ballots/",
        legit={
            "group": "evaluation",
            "question": "Adopt the charter?",
            "closes_at": "2099-01-01T10:00:00Z",
        },
        forbidden=lambda: {
            "scope": "alliance",
            "status": "closed",
            "result": {"passed": True},
            "created_by": carol(),
            "created_at": FORGED_TIME,
            "reminded_at": FORGED_TIME,
            "closed_at": FORGED_TIME,
        },
        state=BALLOT_STATE,
    ),
    Write(
        operation="POST /ballots/{id}/vote/",
        method="post",
        caller=BOB,
        url=lambda: f"/api/v1/ballots/{_ballot().pk}/vote/",
        legit=lambda: {"option": _ballot().options.get(key="yes").pk},
        forbidden=lambda: {
            "voter": carol(),
            "weight": 9,
            "seat": 2,
            "cast_at": FORGED_TIME,
        },
        state=VOTE_STATE,
    ),
    Write(
        operation="POST /ballots/{id}/delegate/",
        method="post",
        url=lambda: f"/api/v1/ballots/{_alliance_ballot().pk}/delegate/",
        legit=lambda: {
            "organization": pk(Organization, slug="acme-ai"),
            "delegate": pk(User, email=BOB),
        },
        forbidden=lambda: {
            "named_by": carol(),
            "ballot": _ballot().pk,
            "created_at": FORGED_TIME,
        },
        state=DELEGATE_STATE,
    ),
    Write(
        operation="PATCH /me/",
        method="patch",
        url="/api/v1/me/",
        legit={"display_name": "Ada L."},
        forbidden=lambda: {
            "id": carol(),
            "email": "mallory@evil.example",
            "is_staff": True,
            "is_superuser": True,
            "is_active": False,
            "date_joined": FORGED_TIME,
            "password": "pwned-pwned-pwned",
            "affiliations": [{"organization": "open-labs", "role": "primary_contact"}],
        },
        state=both(
            rows(
                User,
                "pk",
                "email",
                "is_staff",
                "is_superuser",
                "is_active",
                "date_joined",
                "password",
            ),
            AFFILIATION_STATE,
        ),
    ),
    Write(
        operation="POST /applications/",
        method="post",
        caller=NEWCOMER,
        url="/api/v1/applications/",
        legit={
            "organization_name": "Newco",
            "kind": "company",
            "country": "DE",
            "focus_areas": ["benchmarks-evaluation"],
            "contribution": "Two engineers for the evaluation group.",
            "accept_code_of_conduct": True,
            "accept_antitrust_policy": True,
        },
        forbidden=lambda: {
            "status": "approved",
            "organization": "acme-ai",
            "tier": "founding",
            "applicant": pk(User, email=ADA),
            "decided_at": FORGED_TIME,
            "decided_by": pk(User, email=ADA),
            "decision_reason": "Approved by myself.",
            "submitted_at": FORGED_TIME,
            "created_at": FORGED_TIME,
        },
        state=both(
            rows(
                MembershipApplication,
                "applicant__email",
                "status",
                "organization__slug",
                "decided_at",
                "decided_by__email",
                "decision_reason",
                "submitted_at",
                "created_at",
            ),
            rows(Organization, "slug", "status", "tier__slug"),
        ),
    ),
    Write(
        operation="POST /applications/{id}/withdraw/",
        method="post",
        url=draft_application_url,
        legit={},
        forbidden={
            "status": "approved",
            "organization": "acme-ai",
            "decision_reason": "Approved by myself.",
        },
        state=rows(
            MembershipApplication,
            "applicant__email",
            "status",
            "organization__slug",
            "decision_reason",
        ),
    ),
    Write(
        operation="POST /catalog/",
        method="post",
        url="/api/v1/catalog/",
        legit={**ENTRY_BODY, "name": "Sneaky Tool"},
        forbidden=lambda: {**ENTRY_FORBIDDEN, "created_by": carol()},
        state=ENTRY_STATE,
    ),
    Write(
        operation="PUT /catalog/{slug}/",
        method="put",
        url="/api/v1/catalog/ada-tool/",
        legit=ENTRY_BODY,
        forbidden=lambda: {**ENTRY_FORBIDDEN, "created_by": carol()},
        state=ENTRY_STATE,
    ),
    Write(
        operation="PATCH /catalog/{slug}/",
        method="patch",
        url="/api/v1/catalog/ada-tool/",
        legit={"summary": "Now with more checks."},
        forbidden=lambda: {**ENTRY_FORBIDDEN, "created_by": carol()},
        state=ENTRY_STATE,
    ),
    Write(
        operation="PATCH /catalog/{slug}/",
        variant="of another team",
        method="patch",
        url="/api/v1/catalog/under-review/",
        legit={"summary": "Taken over."},
        forbidden={"vetting_status": "vetted"},
        state=ENTRY_STATE,
        refused=403,
    ),
    Write(
        operation="POST /catalog/{slug}/reviews/",
        method="post",
        url="/api/v1/catalog/under-review/reviews/",
        legit={"verdict": "approve", "findings": "Looks solid."},
        forbidden=lambda: {
            "id": 1,
            "entry": pk(CatalogEntry, slug="ada-tool"),
            "round": 9,
            "reviewer": carol(),
            "reviewer_name": "Somebody Famous",
            "counts": False,
            "created_at": FORGED_TIME,
        },
        state=both(
            rows(
                Review,
                "entry__slug",
                "reviewer__email",
                "reviewer_name",
                "organization__slug",
                "round",
                "counts",
                "created_at",
            ),
            rows(CatalogEntry, "slug", "vetting_status", "vetting_round"),
        ),
    ),
    Write(
        operation="POST /events/",
        method="post",
        url="/api/v1/events/",
        legit=new_event,
        forbidden=EVENT_FORBIDDEN,
        state=EVENT_STATE,
    ),
    Write(
        operation="PATCH /events/{slug}/",
        method="patch",
        url="/api/v1/events/adas-draft/",
        legit={"venue": "Room A"},
        forbidden=EVENT_FORBIDDEN,
        state=EVENT_STATE,
    ),
    Write(
        operation="PATCH /events/{slug}/",
        variant="capacity of another organizer's event",
        method="patch",
        url="/api/v1/events/open-day/",
        legit={"capacity": 1},
        forbidden={"status": "cancelled"},
        state=EVENT_STATE,
        refused=403,
    ),
    Write(
        operation="POST /events/{slug}/publish/",
        method="post",
        url="/api/v1/events/adas-draft/publish/",
        legit={},
        forbidden={**EVENT_FORBIDDEN, "status": "cancelled"},
        state=EVENT_STATE,
    ),
    Write(
        operation="POST /events/{slug}/cancel/",
        method="post",
        url="/api/v1/events/adas-workshop/cancel/",
        legit={"reason": "The speaker is ill."},
        forbidden={**EVENT_FORBIDDEN, "cancellation_notified_at": FORGED_TIME},
        state=both(EVENT_STATE, REGISTRATION_STATE),
    ),
    Write(
        operation="POST /events/{slug}/registration/",
        method="post",
        url="/api/v1/events/members-only/registration/",
        legit={"show_on_list": True},
        forbidden=REGISTRATION_FORBIDDEN,
        state=REGISTRATION_STATE,
    ),
    Write(
        operation="DELETE /events/{slug}/registration/",
        method="delete",
        url="/api/v1/events/open-day/registration/",
        legit={},
        forbidden=REGISTRATION_FORBIDDEN,
        state=REGISTRATION_STATE,
    ),
    Write(
        operation="POST /me/notifications/{id}/read/",
        method="post",
        url=first_notification_url,
        legit={},
        forbidden=lambda: {
            "recipient": carol(),
            "title": "Forged",
            "read_at": FORGED_TIME,
        },
        state=rows(Notification, "recipient__email", "title", "read_at"),
    ),
    Write(
        operation="POST /me/notifications/read-all/",
        method="post",
        url="/api/v1/me/notifications/read-all/",
        legit={},
        forbidden=lambda: {"recipient": carol(), "read_at": FORGED_TIME},
        state=rows(Notification, "recipient__email", "title", "read_at"),
    ),
    Write(
        operation="POST /me/subscriptions/",
        method="post",
        url="/api/v1/me/subscriptions/",
        legit=lambda: {
            "target_type": "alliance.workinggroup",
            "target_id": pk(WorkingGroup, slug="evaluation"),
            "state": "mute",
        },
        forbidden=lambda: {"user": carol(), "id": 1, "created_at": FORGED_TIME},
        state=rows(Subscription, "user__email", "target_id", "state", "created_at"),
    ),
    Write(
        operation="DELETE /me/subscriptions/{id}/",
        method="delete",
        url=lambda: f"/api/v1/me/subscriptions/{pk(Subscription, user__email=ADA)}/",
        legit={},
        forbidden=lambda: {"user": carol(), "state": "mute"},
        state=rows(Subscription, "user__email", "target_id", "state", "created_at"),
    ),
    *(
        Write(
            operation=f"{method.upper()} /me/preferences/",
            method=method,
            url="/api/v1/me/preferences/",
            legit={"digest_frequency": "weekly"},
            forbidden=lambda: {
                "user": carol(),
                "next_digest_at": FORGED_TIME,
                "last_digest_at": FORGED_TIME,
            },
            state=rows(
                NotificationSettings,
                "user__email",
                "digest_frequency",
                "next_digest_at",
                "last_digest_at",
            ),
        )
        for method in ("patch", "put")
    ),
    Write(
        operation="PATCH /organizations/{organization_slug}/affiliations/{id}/",
        method="patch",
        url=affiliation_url(BOB),
        legit={"role": "representative"},
        forbidden=lambda: {
            k: v for k, v in AFFILIATION_FORBIDDEN().items() if k != "role"
        },
        state=AFFILIATION_STATE,
    ),
    *(
        Write(
            operation="POST /organizations/{organization_slug}/affiliations/{id}/"
            + f"{action}/",
            method="post",
            url=url,
            legit={},
            forbidden=AFFILIATION_FORBIDDEN,
            state=AFFILIATION_STATE,
        )
        for action, url in [
            ("approve", pending_affiliation_url("approve/")),
            ("decline", pending_affiliation_url("decline/")),
            ("end", affiliation_url(BOB, "end/")),
        ]
    ),
    Write(
        operation="POST /working-groups/{slug}/join/",
        method="post",
        url="/api/v1/working-groups/open-models/join/",
        legit={"message": "Hello"},
        forbidden=MEMBERSHIP_FORBIDDEN,
        state=MEMBERSHIP_STATE,
    ),
    Write(
        operation="POST /working-groups/{slug}/leave/",
        method="post",
        caller=BOB,
        url="/api/v1/working-groups/evaluation/leave/",
        legit={},
        forbidden=MEMBERSHIP_FORBIDDEN,
        state=MEMBERSHIP_STATE,
    ),
    *(
        Write(
            operation="POST /working-groups/{slug}/requests/{request_id}/"
            + f"{action}/",
            method="post",
            url=request_url(action),
            legit={"note": "Thanks for asking."},
            forbidden=MEMBERSHIP_FORBIDDEN,
            state=MEMBERSHIP_STATE,
        )
        for action in ("approve", "decline")
    ),
]


def _send(client, write: Write, body: dict):
    return getattr(client, write.method)(resolve(write.url), body, format="json")


@pytest.mark.parametrize("write", WRITES, ids=[w.id for w in WRITES])
def test_forbidden_fields_change_nothing(api_client, world, write):
    UserFactory(email=NEWCOMER)
    api_client.force_authenticate(User.objects.get(email=write.caller))
    legit, forbidden = resolve(write.legit), resolve(write.forbidden)
    before = write.state()

    if write.refused:
        response = _send(api_client, write, {**legit, **forbidden})
        assert response.status_code == write.refused, response.content
        assert "errors" in response.json()
        assert write.state() == before
        return

    with transaction.atomic():
        control = _send(api_client, write, legit)
        expected = write.state()
        transaction.set_rollback(True)
    assert control.status_code in (200, 201, 204), control.content
    assert write.state() == before

    response = _send(api_client, write, {**legit, **forbidden})
    if response.status_code == 400:
        # Refused: each forbidden field is named, and nothing was written.
        assert set(forbidden) <= set(response.json()["errors"]), response.json()
        assert write.state() == before
    else:
        # Ignored: the data is exactly what the legitimate request made.
        assert response.status_code == control.status_code, response.content
        assert write.state() == expected


def test_every_write_the_schema_offers_is_in_the_table():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    offered = {
        f"{method.upper()} {path.removeprefix('/api/v1')}"
        for path, operations in paths.items()
        for method in operations
        if method in ("post", "put", "patch", "delete")
    }
    assert offered == {write.operation for write in WRITES}
