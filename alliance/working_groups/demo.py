"""Demo data of the alliance app: working groups with chairs, members, requests,
invitations, updates, minutes and action items."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from alliance.focus_areas.models import FocusArea
from alliance.working_groups.models import (
    ActionItem,
    WorkingGroup,
    WorkingGroupMembership,
    WorkingGroupUpdate,
)
from members.models import Affiliation, Organization, User
from members.selectors import organization_entitlements

P = WorkingGroup.JoinPolicy
# (focus area number, name, summary, join policy, chair's email name)
DEMO_GROUPS = [
    (
        1,
        "Trust and Safety Evaluation",
        "Benchmarks that show whether models behave safely.",
        P.OPEN,
        "ada.brennan",
    ),
    (
        1,
        "Safety Tool Vetting",
        "Reviews trust-and-safety tools for the catalog.",
        P.APPROVAL,
        "marco.bianchi",
    ),
    (
        2,
        "Multilingual Models",
        "Open models that work well beyond English.",
        P.OPEN,
        "lena.hoffmann",
    ),
    (
        2,
        "Open Datasets",
        "Documented, openly licensed training and evaluation data.",
        P.APPROVAL,
        "lucas.martin",
    ),
    (
        3,
        "Accelerator Software",
        "Compilers, kernels and runtimes for many kinds of hardware.",
        P.OPEN,
        "grace.liu",
    ),
    (
        4,
        "Curriculum and Courses",
        "Teaching material on building and evaluating models.",
        P.OPEN,
        "priya.raman",
    ),
    (
        5,
        "Policy Briefings",
        "Clear briefings on AI benefits and risks for policymakers.",
        P.INVITATION,
        "samuel.green",
    ),
    (
        6,
        "Open Showcases",
        "Hackathons and showcases of open technology.",
        P.OPEN,
        "sofia.lindqvist",
    ),
]
MEMBERS = {
    "Trust and Safety Evaluation": [
        "kenji.watanabe",
        "emily.carter",
        "felix.braun",
        "nora.svensson",
        "jonas.keller",
    ],
    "Multilingual Models": [
        "mia.schneider",
        "yuki.tanaka",
        "omar.haddad",
        "clara.neumann",
    ],
    "Accelerator Software": ["ravi.patel", "tom.becker", "hannah.weber"],
    "Open Showcases": ["chloe.dubois", "aisha.bello", "noah.fischer"],
}
# Requests waiting for a chair: (group, person's email name, message).
REQUESTS = [
    (
        "Safety Tool Vetting",
        "jonas.keller",
        "I maintain an evaluation harness at ETH and would like to help vet tools.",
    ),
    ("Open Datasets", "yuki.tanaka", "We publish Japanese corpora and can help."),
    ("Open Datasets", "clara.neumann", ""),
]
# Invitations not yet answered: (group, person, inviter).
INVITATIONS = [("Policy Briefings", "daniel.okafor", "samuel.green")]
# (group, author, kind, title, body, days ago, [(action, owner, due in days)])
U = WorkingGroupUpdate.Kind
UPDATES = [
    (
        "Multilingual Models",
        "lena.hoffmann",
        U.NEWS,
        "Evaluation set for 12 European languages released",
        "The first version of our **multilingual evaluation set** is out. "
        "It covers 12 European languages, with German, French and Polish reviewed "
        "by native speakers.\n\nPlease try it and report problems on the list.",
        12,
        [],
    ),
    (
        "Multilingual Models",
        "mia.schneider",
        U.MINUTES,
        "Meeting of the multilingual models group",
        "## Present\n\nLena, Mia, Clara, Omar, Yuki\n\n## Discussed\n\n"
        "- Tokenizer coverage for Arabic and Japanese\n"
        "- Licence of the evaluation set (CC BY 4.0 agreed)\n",
        5,
        [
            ("Draft the tokenizer coverage report", "lena.hoffmann", 9),
            ("Collect Arabic test sentences", "omar.haddad", 14),
            ("Ask the Japanese NLP community for reviewers", "yuki.tanaka", -2),
        ],
    ),
    (
        "Multilingual Models",
        "lena.hoffmann",
        U.DECISION,
        "The evaluation set is licensed CC BY 4.0",
        "The voting members agreed unanimously to publish the evaluation set "
        "under **CC BY 4.0**.",
        4,
        [],
    ),
    (
        "Trust and Safety Evaluation",
        "ada.brennan",
        U.MINUTES,
        "Kick-off of the red-teaming benchmark",
        "We agreed on the scope of the benchmark: prompt injection, jailbreaks "
        "and harmful advice. Kenji presented the Sony pilot.",
        8,
        [
            ("Write the benchmark's task definitions", "kenji.watanabe", 10),
            ("Share the pilot's results", "emily.carter", 3),
            ("Review the scoring rubric", "ada.brennan", 7),
        ],
    ),
    (
        "Accelerator Software",
        "grace.liu",
        U.NEWS,
        "Kernel benchmark suite runs on three vendors",
        "The shared kernel benchmarks now run on AMD, Intel and Dell systems.",
        3,
        [],
    ),
]
CHARTER = """## Mission

{summary}

## Scope

- Share work in the open and review each other's contributions.
- Meet every two weeks; minutes are posted here.
- Decisions are taken by the voting members, by consensus where possible.
"""


def _person(local_part: str) -> User | None:
    return User.objects.filter(email=f"{local_part}@demo.alliance.example").first()


def _organization_of(user: User) -> Organization | None:
    affiliation = (
        Affiliation.objects.filter(user=user, status=Affiliation.Status.ACTIVE)
        .select_related("organization", "organization__tier")
        .first()
    )
    return affiliation.organization if affiliation else None


def _vote(group, organization) -> bool:
    """Return whether a new member of the organization gets a voting seat."""
    if organization is None:
        return False
    cap = organization_entitlements(organization).voting_seats_per_group
    used = WorkingGroupMembership.objects.filter(
        group=group,
        organization=organization,
        status=WorkingGroupMembership.Status.ACTIVE,
        voting=True,
    ).count()
    return used < cap


def _join(group, user, role, *, since=None):
    organization = _organization_of(user)
    if WorkingGroupMembership.objects.filter(
        group=group, user=user, status__in=WorkingGroupMembership.OPEN_STATUSES
    ).exists():
        return
    voting = _vote(group, organization)
    WorkingGroupMembership.objects.create(
        group=group,
        user=user,
        status=WorkingGroupMembership.Status.ACTIVE,
        role=role,
        voting=voting,
        non_voting_reason=(
            "" if voting else WorkingGroupMembership.NonVotingReason.SEAT_CAP
        ),
        organization=organization,
        term_start=since or timezone.localdate() - datetime.timedelta(days=90),
    )


def seed_requests_and_invitations(groups: dict[str, WorkingGroup]) -> None:
    for name, local_part, message in REQUESTS:
        person = _person(local_part)
        if person is None:
            continue
        WorkingGroupMembership.objects.get_or_create(
            group=groups[name],
            user=person,
            status=WorkingGroupMembership.Status.PENDING,
            defaults={"message": message, "organization": _organization_of(person)},
        )
    for name, local_part, inviter in INVITATIONS:
        person = _person(local_part)
        if person is None:
            continue
        WorkingGroupMembership.objects.get_or_create(
            group=groups[name],
            user=person,
            status=WorkingGroupMembership.Status.INVITED,
            defaults={"invited_by": _person(inviter)},
        )


def seed_updates(groups: dict[str, WorkingGroup]) -> None:
    today = timezone.localdate()
    for name, author, kind, title, body, days_ago, items in UPDATES:
        posted = timezone.now() - datetime.timedelta(days=days_ago)
        update, _ = WorkingGroupUpdate.objects.get_or_create(
            group=groups[name],
            title=title,
            defaults={
                "author": _person(author),
                "kind": kind,
                "body": body,
                "created_at": posted,
                "meeting_date": posted.date() if kind == U.MINUTES else None,
            },
        )
        for text, owner, due_in in items:
            ActionItem.objects.get_or_create(
                update=update,
                text=text,
                defaults={
                    "owner": _person(owner),
                    "due_date": today + datetime.timedelta(days=due_in),
                },
            )


def seed_scale(scale: int) -> None:
    """Add one synthetic working group per 133 synthetic people, each synthetic
    person in two groups (voting seats capped per organization), a chair, a
    waiting request and minutes with an action item per group."""
    areas = list(FocusArea.objects.order_by("number"))
    WorkingGroup.objects.bulk_create(
        [
            WorkingGroup(
                focus_area=areas[i % len(areas)],
                name=f"Synthetic Working Group {i:04d}",
                slug=f"synthetic-working-group-{i:04d}",
                summary="A generated group for load tests.",
                charter=CHARTER.format(summary="A generated group for load tests."),
            )
            for i in range(max(1, scale // 133))
        ],
        ignore_conflicts=True,
    )
    groups = list(
        WorkingGroup.objects.filter(slug__startswith="synthetic-working-group-")
        .order_by("slug")
        .values_list("pk", flat=True)
    )
    people = list(
        Affiliation.objects.filter(
            user__email__endswith="@synthetic.alliance.example",
            status=Affiliation.Status.ACTIVE,
        )
        .order_by("user_id")
        .values_list(
            "user_id", "organization_id", "organization__tier__voting_seats_per_group"
        )
    )
    existing = set(
        WorkingGroupMembership.objects.filter(group_id__in=groups).values_list(
            "group_id", "user_id"
        )
    )
    seats: dict[tuple[int, int], int] = {}
    for group_id, organization_id in WorkingGroupMembership.objects.filter(
        group_id__in=groups, voting=True, status=WorkingGroupMembership.Status.ACTIVE
    ).values_list("group_id", "organization_id"):
        seats[(group_id, organization_id)] = (
            seats.get((group_id, organization_id), 0) + 1
        )
    chaired = set(
        WorkingGroupMembership.objects.filter(
            group_id__in=groups, role=WorkingGroupMembership.Role.CHAIR
        ).values_list("group_id", flat=True)
    )
    rows = []
    for index, (user_id, organization_id, cap) in enumerate(people):
        for offset in (0, 1):
            group_id = groups[(index + offset * 7) % len(groups)]
            if (group_id, user_id) in existing:
                continue
            existing.add((group_id, user_id))
            pending = index % 50 == 49 and offset == 1
            used = seats.get((group_id, organization_id), 0)
            voting = not pending and used < (cap or 0)
            if voting:
                seats[(group_id, organization_id)] = used + 1
            chair = not pending and group_id not in chaired
            if chair:
                chaired.add(group_id)
            rows.append(
                WorkingGroupMembership(
                    group_id=group_id,
                    user_id=user_id,
                    organization_id=organization_id,
                    role=(
                        WorkingGroupMembership.Role.CHAIR
                        if chair
                        else WorkingGroupMembership.Role.MEMBER
                    ),
                    status=(
                        WorkingGroupMembership.Status.PENDING
                        if pending
                        else WorkingGroupMembership.Status.ACTIVE
                    ),
                    voting=voting,
                    non_voting_reason=(
                        ""
                        if voting or pending
                        else WorkingGroupMembership.NonVotingReason.SEAT_CAP
                    ),
                )
            )
    WorkingGroupMembership.objects.bulk_create(
        rows, batch_size=2000, ignore_conflicts=True
    )
    with_minutes = set(
        WorkingGroupUpdate.objects.filter(group_id__in=groups).values_list(
            "group_id", flat=True
        )
    )
    updates = WorkingGroupUpdate.objects.bulk_create(
        [
            WorkingGroupUpdate(
                group_id=group_id,
                kind=WorkingGroupUpdate.Kind.MINUTES,
                title="Monthly meeting",
                body="## Discussed\n\n- Progress of the work items\n",
            )
            for group_id in groups
            if group_id not in with_minutes
        ],
        batch_size=2000,
    )
    chairs = dict(
        WorkingGroupMembership.objects.filter(
            group_id__in=[u.group_id for u in updates],
            role=WorkingGroupMembership.Role.CHAIR,
        ).values_list("group_id", "user_id")
    )
    ActionItem.objects.bulk_create(
        [
            ActionItem(
                update=update,
                text="Prepare the next meeting",
                owner_id=chairs.get(update.group_id),
                due_date=timezone.localdate() + datetime.timedelta(days=14),
            )
            for update in updates
        ],
        batch_size=2000,
    )


@transaction.atomic
def seed(*, scale: int = 0, stdout=None) -> None:
    """Create the demo working groups, their people, requests, invitations,
    updates, minutes and action items."""
    areas = {area.number: area for area in FocusArea.objects.all()}
    groups = {}
    for number, name, summary, policy, chair in DEMO_GROUPS:
        group, _ = WorkingGroup.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "focus_area": areas[number],
                "summary": summary,
                "charter": CHARTER.format(summary=summary),
                "join_policy": policy,
                "mailing_list_url": f"https://lists.alliance.example/{slugify(name)}",
                "last_reviewed": datetime.date(2026, 1, 15),
            },
        )
        groups[name] = group
        chair_user = _person(chair)
        if chair_user:
            _join(group, chair_user, WorkingGroupMembership.Role.CHAIR)
        for local_part in MEMBERS.get(name, []):
            member = _person(local_part)
            if member:
                _join(group, member, WorkingGroupMembership.Role.MEMBER)
    seed_requests_and_invitations(groups)
    seed_updates(groups)
    if scale:
        seed_scale(scale)
