"""A small, realistic alliance for the API robustness tests.

The caller, Ada, holds every role the API knows: primary contact of a founding
member, chair of a working group with a pending request, organizer of events,
maintainer of a catalog entry, reviewer of another organization's entry, with an
inbox, a subscription and applications of her own.
"""

from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from alliance.notifications.models import Activity, Notification
from alliance.notifications.services.subscriptions import subscription_set
from alliance.working_groups.models import WorkingGroup, WorkingGroupMembership
from events.models import Event, Registration
from members.models import Affiliation, MembershipApplication, Organization, Tier
from members.services import api_token_create
from projects.models import CatalogEntry
from tests.alliance.factories import (
    ActionItemFactory,
    WorkingGroupFactory,
    WorkingGroupMembershipFactory,
    WorkingGroupUpdateFactory,
)
from tests.events.factories import EventFactory, RegistrationFactory, in_days
from tests.members.factories import (
    AffiliationFactory,
    ApplicationFactory,
    OrganizationFactory,
    UserFactory,
)
from tests.projects.factories import (
    CatalogEntryFactory,
    VettedEntryFactory,
    member_of,
)

Role = WorkingGroupMembership.Role


@dataclass
class World:
    ada: object
    token: str
    acme: Organization
    labs: Organization
    # Real values of each path parameter, per path, for the fuzzer to mix in.
    path_values: dict[str, list[dict]] = field(default_factory=dict)


def _inbox(person, target, n):
    activities = Activity.objects.bulk_create(
        [Activity(kind="group_update_posted", target=target) for _ in range(n)]
    )
    return Notification.objects.bulk_create(
        [
            Notification(
                recipient=person,
                activity=activity,
                kind=activity.kind,
                title=f"Update {i}",
                url=target.get_absolute_url(),
                shown_at=timezone.now(),
            )
            for i, activity in enumerate(activities)
        ]
    )


@pytest.fixture
def world(db):
    founding = Tier.objects.get(slug="founding")
    acme = OrganizationFactory(name="Acme AI", slug="acme-ai", tier=founding)
    labs = OrganizationFactory(name="Open Labs", slug="open-labs", kind="research_lab")
    uni = OrganizationFactory(name="Uni Zurich", slug="uni-zurich", kind="university")
    OrganizationFactory(
        name="Lapsed Corp", slug="lapsed-corp", status=Organization.Status.LAPSED
    )

    ada = UserFactory(email="ada@acme.example", name="Ada Lovelace")
    AffiliationFactory(
        user=ada, organization=acme, role=Affiliation.Role.PRIMARY_CONTACT
    )
    bob = member_of(acme, email="bob@acme.example")
    carol = member_of(labs, email="carol@labs.example")
    dave = member_of(uni, email="dave@uni.example")
    AffiliationFactory(organization=acme, status=Affiliation.Status.PENDING)
    AffiliationFactory(organization=acme, status=Affiliation.Status.ENDED)

    # Working groups: Ada chairs one that needs approval; another is members-only.
    evaluation = WorkingGroupFactory(
        name="Evaluation", slug="evaluation", join_policy="approval"
    )
    WorkingGroupMembershipFactory(group=evaluation, user=ada, role=Role.CHAIR)
    WorkingGroupMembershipFactory(group=evaluation, user=bob)
    request = WorkingGroupMembershipFactory(
        group=evaluation,
        user=dave,
        status=WorkingGroupMembership.Status.PENDING,
        voting=False,
        message="May I join?",
    )
    models_group = WorkingGroupFactory(
        name="Open Models",
        slug="open-models",
        visibility=WorkingGroup.Visibility.MEMBERS,
    )
    WorkingGroupMembershipFactory(group=models_group, user=carol, role=Role.CHAIR)
    WorkingGroupFactory(name="Closed", slug="closed", join_policy="closed")
    WorkingGroupFactory(name="Archived", slug="archived", status="archived")
    minutes = WorkingGroupUpdateFactory(group=evaluation, author=ada, kind="minutes")
    ActionItemFactory(update=minutes, owner=bob)
    WorkingGroupUpdateFactory(group=models_group, author=carol)

    # Events: Ada's draft and published ones, others' public and members-only.
    ada_draft = EventFactory(
        title="Ada's Draft", slug="adas-draft", organizer=ada, status="draft"
    )
    ada_event = EventFactory(
        title="Ada's Workshop",
        slug="adas-workshop",
        organizer=ada,
        capacity=2,
        working_group=evaluation,
    )
    RegistrationFactory(event=ada_event, user=bob)
    RegistrationFactory(event=ada_event, user=carol)
    RegistrationFactory(
        event=ada_event, user=dave, status=Registration.Status.WAITLISTED
    )
    public = EventFactory(title="Open Day", slug="open-day", organizer=carol)
    RegistrationFactory(event=public, user=ada)
    members_only = EventFactory(
        slug="members-only",
        organizer=carol,
        visibility=Event.Visibility.MEMBERS,
        format="hybrid",
        venue="CERN",
    )
    past = EventFactory(
        slug="last-year", organizer=carol, starts_at=in_days(-365, hour=9)
    )

    # Catalog: Ada maintains one; Open Labs has vetted ones and one in review.
    ada_tool = CatalogEntryFactory(
        name="Ada Tool", slug="ada-tool", maintainers=[ada], owners=[acme]
    )
    vetted = [
        VettedEntryFactory(maintainers=[carol], owners=[labs], kind=kind)
        for kind in ("tool", "model", "dataset")
    ]
    in_review = CatalogEntryFactory(
        name="Under Review",
        slug="under-review",
        maintainers=[carol],
        owners=[labs],
        vetting_status=CatalogEntry.Vetting.IN_REVIEW,
        vetting_round=1,
    )

    # Ada's inbox, subscription and applications.
    notifications = _inbox(ada, evaluation, 3)
    _inbox(carol, models_group, 1)
    subscription_set(user=ada, target=models_group, state="follow")
    subscription = ada.subscriptions.get()
    draft_application = ApplicationFactory(
        applicant=ada, status=MembershipApplication.Status.DRAFT, submitted_at=None
    )
    decided_application = ApplicationFactory(
        applicant=ada,
        status=MembershipApplication.Status.REJECTED,
        decided_at=timezone.now(),
    )
    ApplicationFactory(applicant=carol)

    _token, raw = api_token_create(user=ada, name="schemathesis")

    group_slugs = ["evaluation", "open-models", "closed", "archived"]
    event_slugs = [
        ada_draft.slug,
        ada_event.slug,
        public.slug,
        members_only.slug,
        past.slug,
    ]
    entry_slugs = [ada_tool.slug, in_review.slug, *(e.slug for e in vetted)]
    affiliations = [
        {"organization_slug": acme.slug, "id": a.pk}
        for a in Affiliation.objects.filter(organization=acme)
    ] + [{"organization_slug": labs.slug, "id": carol.affiliations.get().pk}]
    values = {
        "/api/v1/applications/{id}/": [
            {"id": a.pk} for a in (draft_application, decided_application)
        ],
        "/api/v1/catalog/{slug}/": [{"slug": s} for s in entry_slugs],
        "/api/v1/events/{slug}/": [{"slug": s} for s in event_slugs],
        "/api/v1/focus-areas/{slug}/": [
            {"slug": "benchmarks-evaluation"},
            {"slug": "open-development"},
        ],
        "/api/v1/me/notifications/{id}/": [{"id": n.pk} for n in notifications],
        "/api/v1/me/subscriptions/{id}/": [{"id": subscription.pk}],
        "/api/v1/organizations/{slug}/": [
            {"slug": o} for o in ("acme-ai", "open-labs", "lapsed-corp")
        ],
        "/api/v1/organizations/{organization_slug}/affiliations/{id}/": affiliations,
        "/api/v1/organizations/{organization_slug}/affiliations/": [
            {"organization_slug": o} for o in ("acme-ai", "open-labs")
        ],
        "/api/v1/working-groups/{slug}/requests/{request_id}/": [
            {"slug": "evaluation", "request_id": request.pk},
            {"slug": "open-models", "request_id": request.pk},
        ],
        "/api/v1/working-groups/{slug}/": [{"slug": s} for s in group_slugs],
    }
    return World(ada=ada, token=raw, acme=acme, labs=labs, path_values=values)
