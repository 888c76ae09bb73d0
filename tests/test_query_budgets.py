"""Every list page and list endpoint runs the same number of queries for 2 rows as
for 15, and at most 12 of its own.

Lists with a test of their own elsewhere (catalog, review queue, dashboard, focus
area page, working groups index and page, API working groups and members, events
list and calendar, API events, directory, API organizations, notifications inbox
and API) are not repeated here; see tests/projects/test_queries.py,
tests/alliance/working_groups/test_queries.py, tests/events/test_pages.py,
tests/members/test_directory.py and tests/alliance/notifications/.

Each case names the URL, who asks for it, what the page needs (``setup``) and how
to add ``n`` rows to its list (``add``). The page must show the rows (``marker``
appears more often with 15 rows than with 2), so a list that silently stays empty
cannot pass for a cheap one.
"""

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alliance.focus_areas.models import FocusArea
from alliance.notifications.models import Subscription
from alliance.working_groups.models import (
    ActionItem,
    WorkingGroupMembership,
    WorkingGroupUpdate,
)
from events.models import CalendarToken, Registration
from members.models import Affiliation, Invitation, Tier
from projects.models import Contribution
from projects.services.entries import entry_update
from tests.alliance.factories import (
    WorkingGroupFactory,
    WorkingGroupMembershipFactory,
)
from tests.events.factories import EventFactory, RegistrationFactory, in_days
from tests.members.factories import (
    AffiliationFactory,
    ApplicationFactory,
    MemberFactory,
    OrganizationFactory,
    UserFactory,
)
from tests.projects.conftest import approve
from tests.projects.factories import CatalogEntryFactory

FEW, MANY = 2, 15
LIMIT = 12
_serial = itertools.count()

# What every request costs before the view runs: the session, the signed-in person
# and allauth's session tracking (inside a savepoint). The budget is for the rest.
OVERHEAD_MARKERS = ('FROM "django_session"', '"usersessions_usersession"', "SAVEPOINT")


def own_queries(captured) -> list[str]:
    sqls = [q["sql"] for q in captured]
    own = [s for s in sqls if not any(m in s for m in OVERHEAD_MARKERS)]
    # The person loaded by the authentication middleware (the first user query).
    for index, sql in enumerate(own):
        if sql.startswith('SELECT "members_user"."id", "members_user"."password"'):
            del own[index]
            break
    return own


def n_people(n, organization=None, **kwargs):
    return [
        MemberFactory(
            name=f"Budget Person {next(_serial)}",
            **({"affiliation__organization": organization} if organization else {}),
            **kwargs,
        )
        for _ in range(n)
    ]


# --- setups and row makers, one pair per list --------------------------------


def chaired_group(viewer):
    group = WorkingGroupFactory()
    WorkingGroupMembershipFactory(
        group=group, user=viewer, role=WorkingGroupMembership.Role.CHAIR
    )
    return {"group": group}


def add_updates(ctx, n):
    for person in n_people(n):
        WorkingGroupMembershipFactory(group=ctx["group"], user=person)
        update = WorkingGroupUpdate.objects.create(
            group=ctx["group"],
            author=person,
            kind=WorkingGroupUpdate.Kind.MINUTES,
            title=f"Budget update {next(_serial)}",
            body="Notes with **Markdown**.",
        )
        ActionItem.objects.create(update=update, text="Follow up", owner=person)


def add_requests(ctx, n):
    for person in n_people(n):
        WorkingGroupMembershipFactory(
            group=ctx["group"],
            user=person,
            status=WorkingGroupMembership.Status.PENDING,
            voting=False,
        )


def group_with_update(viewer):
    ctx = chaired_group(viewer)
    ctx["update"] = WorkingGroupUpdate.objects.create(
        group=ctx["group"],
        author=viewer,
        kind=WorkingGroupUpdate.Kind.MINUTES,
        title="Kick-off",
        body="Notes.",
    )
    return ctx


def add_action_items(ctx, n):
    for person in n_people(n):
        WorkingGroupMembershipFactory(group=ctx["group"], user=person)
        ActionItem.objects.create(
            update=ctx["update"], text="Budget action", owner=person
        )


def add_subscriptions(ctx, n):
    from django.contrib.contenttypes.models import ContentType

    for _ in range(n):
        group = WorkingGroupFactory(name=f"Budget group {next(_serial)}")
        Subscription.objects.create(
            user=ctx["viewer"],
            target_type=ContentType.objects.get_for_model(group),
            target_id=group.pk,
            state=Subscription.State.FOLLOW,
        )
        entry = CatalogEntryFactory(name=f"Budget entry {next(_serial)}")
        Subscription.objects.create(
            user=ctx["viewer"],
            target_type=ContentType.objects.get_for_model(entry),
            target_id=entry.pk,
            state=Subscription.State.MUTE,
        )


def add_organizations(ctx, n):
    areas = list(FocusArea.objects.all())
    for _ in range(n):
        organization = OrganizationFactory(name=f"Budget Org {next(_serial)}")
        organization.focus_areas.set(areas[:2])
        AffiliationFactory(organization=organization)
        WorkingGroupFactory(name=f"Budget group {next(_serial)}")


def contact_of_organization(viewer):
    organization = OrganizationFactory(name="Budget Home Org")
    AffiliationFactory(
        user=viewer, organization=organization, role=Affiliation.Role.PRIMARY_CONTACT
    )
    return {"organization": organization}


def add_organization_rows(ctx, n):
    """People (active and asking to join), projects, groups and invitations."""
    organization = ctx["organization"]
    for index, person in enumerate(n_people(n, organization)):
        AffiliationFactory(
            organization=organization,
            user=UserFactory(name=f"Budget Person {next(_serial)}"),
            status=Affiliation.Status.PENDING,
        )
        group = WorkingGroupFactory(name=f"Budget group {next(_serial)}")
        WorkingGroupMembershipFactory(group=group, user=person)
        CatalogEntryFactory(
            name=f"Budget entry {next(_serial)}",
            owners=[organization],
            maintainers=[person],
            vetting_status="vetted",
            vetting_round=1,
        )
        Invitation.objects.create(
            organization=organization,
            email=f"budget-invitee-{next(_serial)}@example.org",
            role=Affiliation.Role.MEMBER,
            invited_by=ctx["viewer"],
            expires_at=timezone.now() + datetime.timedelta(days=14),
        )
        organization.email_domains.create(domain=f"budget{index}-{next(_serial)}.test")


def add_tokens(ctx, n):
    from members.services import api_token_create

    for _ in range(n):
        api_token_create(user=ctx["viewer"], name=f"Budget token {next(_serial)}")


def add_personal_rows(ctx, n):
    viewer = ctx["viewer"]
    for _ in range(n):
        event = EventFactory(title=f"Budget event {next(_serial)}")
        RegistrationFactory(event=event, user=viewer)
        group = WorkingGroupFactory(name=f"Budget group {next(_serial)}")
        WorkingGroupMembershipFactory(group=group, user=viewer)
        add_tokens(ctx, 1)


def add_people_directory(ctx, n):
    organization = OrganizationFactory(name=f"Budget Org {next(_serial)}")
    for person in n_people(n, organization):
        WorkingGroupMembershipFactory(user=person)


def add_my_events(ctx, n):
    viewer = ctx["viewer"]
    for i in range(n):
        group = WorkingGroupFactory()
        upcoming = EventFactory(
            title=f"Budget event {next(_serial)}",
            working_group=group,
            capacity=5 if i % 2 else None,
        )
        RegistrationFactory(event=upcoming, user=viewer)
        past = EventFactory(
            title=f"Budget event {next(_serial)}",
            starts_at=in_days(-10 - i, hour=10),
        )
        RegistrationFactory(event=past, user=viewer)
        EventFactory(
            title=f"Budget event {next(_serial)}",
            organizer=viewer,
            status="draft",
            published_at=None,
        )


def organized_event(viewer):
    return {"event": EventFactory(organizer=viewer, capacity=100)}


def add_registrations(ctx, n):
    for i, person in enumerate(n_people(n)):
        RegistrationFactory(
            event=ctx["event"],
            user=person,
            organization=person.affiliations.get().organization,
            status=Registration.Status.WAITLISTED
            if i % 3 == 2
            else Registration.Status.CONFIRMED,
            show_on_list=True,
        )


def feed_owner(viewer):
    token = CalendarToken.objects.create(user=viewer, key=f"budget-key-{viewer.pk}")
    return {"key": token.key}


def add_feed_events(ctx, n):
    viewer = ctx["viewer"]
    group = WorkingGroupFactory()
    for _ in range(n):
        RegistrationFactory(
            event=EventFactory(title=f"Budget event {next(_serial)}"), user=viewer
        )
        EventFactory(
            title=f"Budget event {next(_serial)}",
            organizer=viewer,
            working_group=group,
        )


def public_group(viewer):
    return {"group": WorkingGroupFactory()}


def add_group_events(ctx, n):
    for _ in range(n):
        EventFactory(
            title=f"Budget event {next(_serial)}",
            working_group=ctx["group"],
            organization=OrganizationFactory(),
        )


def entry_with_team(viewer, status="in_review"):
    organization = viewer.affiliations.get().organization
    entry = CatalogEntryFactory(
        owners=[organization],
        maintainers=[viewer],
        vetting_status=status,
        vetting_round=1,
    )
    return {"entry": entry, "organization": organization}


def vetted_entry_with_team(viewer):
    return entry_with_team(viewer, status="vetted")


def add_contributors(ctx, n, *, reviews=False):
    entry = ctx["entry"]
    for person in n_people(n):
        organization = person.affiliations.get().organization
        entry.owners.add(organization)
        Contribution.objects.create(
            entry=entry,
            user=person,
            organization=organization,
            role=Contribution.Role.CONTRIBUTOR,
        )
        if reviews:
            approve(entry, person, organization)


def add_contributors_and_reviews(ctx, n):
    add_contributors(ctx, n, reviews=True)


def add_versions(ctx, n):
    for _ in range(n):
        entry_update(
            entry=ctx["entry"],
            actor=ctx["viewer"],
            summary=f"Budget version {next(_serial)}",
        )


def own_application(viewer):
    ApplicationFactory(applicant=viewer, organization_name="My Own Applicant")
    return {}


def add_applications(ctx, n):
    """Applications of other people: the list shows only the caller's own (staff
    work through the queue in the admin)."""
    for _ in range(n):
        ApplicationFactory(organization_name=f"Budget Applicant {next(_serial)}")


def add_affiliations(ctx, n):
    organization = ctx["organization"]
    n_people(n, organization)
    for _ in range(n):
        AffiliationFactory(
            organization=organization,
            user=UserFactory(name=f"Budget Person {next(_serial)}"),
            status=Affiliation.Status.PENDING,
        )


# --- the table ---------------------------------------------------------------


@dataclass
class Case:
    url: str
    who: str  # "anonymous", "member" (setup may make them chair/contact/organizer)
    add: Callable[[dict, int], None]
    marker: str | None
    setup: Callable = field(default=lambda viewer: {})

    def __str__(self):
        return f"{self.who} {self.url}"


CASES = [
    Case("/", "anonymous", add_organizations, "Budget Org"),
    Case("/", "member", add_organizations, "Budget Org"),
    Case("/focus-areas/", "anonymous", add_organizations, None),
    Case("/api/v1/focus-areas/", "anonymous", add_organizations, None),
    Case(
        "/working-groups/{group.slug}/updates/",
        "member",
        add_updates,
        "Budget update",
        chaired_group,
    ),
    Case(
        "/api/v1/working-groups/{group.slug}/updates/?page_size=100",
        "member",
        add_updates,
        "Budget update",
        chaired_group,
    ),
    Case(
        "/working-groups/{group.slug}/updates/{update.pk}/",
        "member",
        add_action_items,
        "Budget Person",
        group_with_update,
    ),
    Case(
        "/working-groups/{group.slug}/requests/",
        "member",
        add_requests,
        "Budget Person",
        chaired_group,
    ),
    Case(
        "/api/v1/working-groups/{group.slug}/requests/?page_size=100",
        "member",
        add_requests,
        "Budget Person",
        chaired_group,
    ),
    Case("/notifications/subscriptions/", "member", add_subscriptions, "Budget "),
    Case("/api/v1/me/subscriptions/?page_size=100", "member", add_subscriptions, None),
    Case(
        "/members/{organization.slug}/",
        "anonymous",
        add_organization_rows,
        "Budget entry",
        contact_of_organization,
    ),
    Case(
        "/members/{organization.slug}/",
        "member",
        add_organization_rows,
        "Budget ",
        contact_of_organization,
    ),
    Case(
        "/members/{organization.slug}/manage/",
        "member",
        add_organization_rows,
        "Budget Person",
        contact_of_organization,
    ),
    Case(
        "/api/v1/organizations/{organization.slug}/affiliations/?page_size=100",
        "member",
        add_affiliations,
        "Budget Person",
        contact_of_organization,
    ),
    Case("/members/people/", "member", add_people_directory, "Budget Person"),
    Case("/members/me/api-tokens/", "member", add_tokens, "Budget token"),
    Case("/api/v1/me/", "member", add_personal_rows, None),
    Case(
        "/api/v1/applications/?page_size=100",
        "member",
        add_applications,
        None,
        own_application,
    ),
    Case("/events/mine/", "member", add_my_events, "Budget event"),
    Case(
        "/events/{event.slug}/",
        "anonymous",
        add_registrations,
        None,
        organized_event,
    ),
    Case(
        "/events/{event.slug}/",
        "member",
        add_registrations,
        "Budget Person",
        organized_event,
    ),
    Case(
        "/events/{event.slug}/attendees/",
        "member",
        add_registrations,
        "Budget Person",
        organized_event,
    ),
    Case(
        "/events/{event.slug}/attendees.csv",
        "member",
        add_registrations,
        "Budget Person",
        organized_event,
    ),
    Case(
        "/api/v1/events/{event.slug}/attendees/?page_size=100",
        "member",
        add_registrations,
        "Budget Person",
        organized_event,
    ),
    Case(
        "/events/feed/{key}.ics",
        "anonymous",
        add_feed_events,
        "Budget event",
        feed_owner,
    ),
    Case(
        "/events/feed/{key}/groups/{group.slug}.ics",
        "anonymous",
        add_group_events,
        "Budget event",
        lambda viewer: {**feed_owner(viewer), **public_group(viewer)},
    ),
    Case(
        "/events/groups/{group.slug}/calendar.ics",
        "anonymous",
        add_group_events,
        "Budget event",
        public_group,
    ),
    Case(
        "/projects/{entry.slug}/",
        "anonymous",
        add_contributors,
        "Budget Person",
        vetted_entry_with_team,
    ),
    Case(
        "/projects/{entry.slug}/",
        "member",
        add_contributors_and_reviews,
        "Budget Person",
        entry_with_team,
    ),
    Case(
        "/api/v1/catalog/{entry.slug}/reviews/",
        "member",
        add_contributors_and_reviews,
        "Looks good.",
        entry_with_team,
    ),
    Case(
        "/projects/{entry.slug}/history/",
        "member",
        add_versions,
        "Budget version",
        entry_with_team,
    ),
]


def _measure(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    body = b"".join(response) if response.streaming else response.content
    return own_queries(captured), body.decode()


@pytest.mark.parametrize("case", CASES, ids=str)
def test_list_runs_the_same_queries_for_few_and_many_rows(client, db, case):
    viewer = (
        UserFactory(is_staff=True, is_superuser=True)
        if case.who == "staff"
        else MemberFactory(
            affiliation__organization__tier=Tier.objects.get(slug="founding")
        )
    )
    ctx = {"viewer": viewer, **case.setup(viewer)}
    url = case.url.format(**ctx)
    if case.who != "anonymous":
        client.force_login(viewer)
    client.get(url)  # the first request of a session also records the session

    case.add(ctx, FEW)
    few, few_body = _measure(client, url)
    case.add(ctx, MANY - FEW)
    many, many_body = _measure(client, url)

    if case.marker:
        assert many_body.count(case.marker) > few_body.count(case.marker) > 0
    assert len(many) == len(few), "\n".join(
        [f"{len(few)} queries for {FEW} rows, {len(many)} for {MANY}:", *many]
    )
    assert len(many) <= LIMIT, "\n".join(many)
    print(f"{case}: {len(many)} queries")  # noqa: T201 (the counts, with -rA)
