"""Demo data of the alliance app: working groups with chairs and members."""

from django.db import transaction
from django.utils.text import slugify

from alliance.models import FocusArea, WorkingGroup, WorkingGroupMembership
from members.models import Affiliation, Organization, User

ORDER = 20
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
        .select_related("organization")
        .first()
    )
    return affiliation.organization if affiliation else None


def _join(group, user, role):
    WorkingGroupMembership.objects.get_or_create(
        group=group,
        user=user,
        status=WorkingGroupMembership.Status.ACTIVE,
        defaults={"role": role, "voting": True, "organization": _organization_of(user)},
    )


def seed_scale(scale: int) -> None:
    """Add one synthetic working group per 133 synthetic people."""
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


@transaction.atomic
def seed(*, scale: int = 0, stdout=None) -> None:
    """Create the demo working groups and their chairs and members."""
    areas = {area.number: area for area in FocusArea.objects.all()}
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
            },
        )
        chair_user = _person(chair)
        if chair_user:
            _join(group, chair_user, WorkingGroupMembership.Role.CHAIR)
        for local_part in MEMBERS.get(name, []):
            member = _person(local_part)
            if member:
                _join(group, member, WorkingGroupMembership.Role.MEMBER)
    if scale:
        seed_scale(scale)
    from alliance import demo_notifications

    demo_notifications.seed(scale=scale, stdout=stdout)
