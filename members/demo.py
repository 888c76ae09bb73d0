"""Demo data of the members app: founding organizations, the demo admin, people."""

import csv
import datetime
import functools
import random
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify

from members.models import Affiliation, Organization, Tier, User

ORDER = 10
FOUNDING_CSV = Path(__file__).parent / "data" / "founding-members.csv"
FOUNDING_DATE = datetime.date(2023, 12, 5)
DEMO_PASSWORD = "alliance-demo"  # noqa: S105 - the local demo's published password
KIND_BY_CSV = {
    "company": Organization.Kind.COMPANY,
    "university": Organization.Kind.UNIVERSITY,
    "research lab": Organization.Kind.RESEARCH_LAB,
    "non-profit": Organization.Kind.NON_PROFIT,
    "government": Organization.Kind.GOVERNMENT,
}
# Invented people (no real persons); their organizations are founding members.
DEMO_PEOPLE = [
    ("Ada Brennan", "IBM", "primary_contact", "en", "America/New_York"),
    ("Kenji Watanabe", "Sony Group", "primary_contact", "en", "Asia/Tokyo"),
    (
        "Lena Hoffmann",
        "Technical University of Munich",
        "primary_contact",
        "de",
        "Europe/Berlin",
    ),
    ("Marco Bianchi", "CERN", "primary_contact", "en", "Europe/Zurich"),
    (
        "Priya Raman",
        "Indian Institute of Technology Bombay",
        "primary_contact",
        "en",
        "Asia/Kolkata",
    ),
    ("Sofia Lindqvist", "Silo AI", "primary_contact", "en", "Europe/Helsinki"),
    ("Daniel Okafor", "Meta", "primary_contact", "en", "America/Los_Angeles"),
    ("Jonas Keller", "ETH Zurich", "representative", "de", "Europe/Zurich"),
    (
        "Mia Schneider",
        "Technical University of Munich",
        "member",
        "de",
        "Europe/Berlin",
    ),
    ("Hannah Weber", "EPFL", "technical_contact", "de", "Europe/Zurich"),
    ("Lucas Martin", "Hugging Face", "primary_contact", "en", "Europe/Paris"),
    ("Grace Liu", "AMD", "technical_contact", "en", "America/Los_Angeles"),
    (
        "Omar Haddad",
        "Mohamed bin Zayed University of Artificial Intelligence",
        "primary_contact",
        "en",
        "Asia/Dubai",
    ),
    ("Emily Carter", "Red Hat", "representative", "en", "America/New_York"),
    ("Yuki Tanaka", "The University of Tokyo", "member", "en", "Asia/Tokyo"),
    (
        "Noah Fischer",
        "Linux Foundation",
        "communications_contact",
        "de",
        "Europe/Berlin",
    ),
    ("Chloe Dubois", "Stability AI", "member", "en", "Europe/London"),
    ("Samuel Green", "MLCommons", "primary_contact", "en", "America/Chicago"),
    ("Aisha Bello", "New York University", "member", "en", "America/New_York"),
    ("Felix Braun", "IBM", "member", "de", "Europe/Berlin"),
    ("Nora Svensson", "Meta", "member", "en", "Europe/Stockholm"),
    ("Ravi Patel", "Intel", "primary_contact", "en", "America/Los_Angeles"),
    ("Clara Neumann", "CERN", "member", "de", "Europe/Zurich"),
    ("Tom Becker", "Dell Technologies", "member", "en", "America/Chicago"),
]


def _demo_email(name: str) -> str:
    return slugify(name).replace("-", ".") + "@demo.alliance.example"


@functools.cache
def _password_hash(password: str) -> str:
    return make_password(password)


def _verified_user(
    email: str, *, password: str, defaults: dict, staff: bool = False
) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, password=_password_hash(password), **defaults)
        user.is_staff = user.is_superuser = staff
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def seed_organizations() -> dict[str, Organization]:
    tiers = {tier.slug: tier for tier in Tier.objects.all()}
    organizations = {}
    with FOUNDING_CSV.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            kind = KIND_BY_CSV[row["kind"].strip()]
            tier = tiers[
                "founding"
                if kind == Organization.Kind.COMPANY
                else "academic-non-profit"
            ]
            org, _ = Organization.objects.get_or_create(
                slug=slugify(row["name"])[:200],
                defaults={
                    "name": row["name"].strip(),
                    "kind": kind,
                    "country": row["country"].strip(),
                    "tier": tier,
                    "status": Organization.Status.ACTIVE,
                    "member_since": FOUNDING_DATE,
                    "renewal_due": datetime.date(2027, 12, 5),
                    "description": (
                        f"{row['name'].strip()} is a founding member of the "
                        "AI Alliance."
                    ),
                },
            )
            organizations[org.name] = org
    return organizations


def seed_people(organizations: dict[str, Organization]) -> list[User]:
    people = []
    for name, org_name, role, language, tz in DEMO_PEOPLE:
        user = _verified_user(
            _demo_email(name),
            password=DEMO_PASSWORD,
            defaults={"name": name, "language": language, "timezone": tz},
        )
        Affiliation.objects.get_or_create(
            user=user,
            organization=organizations[org_name],
            status=Affiliation.Status.ACTIVE,
            defaults={"role": role},
        )
        people.append(user)
    return people


def seed_scale(scale: int) -> None:
    """Add ``scale`` synthetic people and one synthetic organization per 100."""
    general = Tier.objects.get(slug="general")
    org_count = max(1, scale // 100)
    Organization.objects.bulk_create(
        [
            Organization(
                name=f"Synthetic Organization {i:04d}",
                slug=f"synthetic-organization-{i:04d}",
                kind=Organization.Kind.COMPANY,
                country="CH",
                tier=general,
                status=Organization.Status.ACTIVE,
                member_since=FOUNDING_DATE,
            )
            for i in range(org_count)
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    synthetic_orgs = list(
        Organization.objects.filter(slug__startswith="synthetic-organization-")
        .order_by("slug")
        .values_list("pk", flat=True)
    )
    password = make_password(DEMO_PASSWORD)
    User.objects.bulk_create(
        [
            User(
                email=f"person{i:06d}@synthetic.alliance.example",
                name=f"Synthetic Person {i:06d}",
                password=password,
                timezone=random.choice(["UTC", "Europe/Berlin", "America/New_York"]),
            )
            for i in range(scale)
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )
    synthetic = User.objects.filter(
        email__endswith="@synthetic.alliance.example"
    ).values_list("pk", "email")
    affiliated = set(
        Affiliation.objects.filter(
            user__email__endswith="@synthetic.alliance.example"
        ).values_list("user_id", flat=True)
    )
    Affiliation.objects.bulk_create(
        [
            Affiliation(
                user_id=pk,
                organization_id=synthetic_orgs[index % len(synthetic_orgs)],
                role=Affiliation.Role.MEMBER,
                status=Affiliation.Status.ACTIVE,
            )
            for index, (pk, _email) in enumerate(synthetic)
            if pk not in affiliated
        ],
        batch_size=2000,
    )
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=pk, email=email, verified=True, primary=True)
            for pk, email in synthetic
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )


@transaction.atomic
def seed(*, scale: int = 0, stdout=None) -> None:
    """Create the founding organizations, the demo admin and demo people."""
    organizations = seed_organizations()
    _verified_user(
        settings.ALLIANCE_DEMO_ADMIN_EMAIL,
        password=settings.ALLIANCE_DEMO_ADMIN_PASSWORD,
        defaults={"name": "Alliance Staff", "display_name": "Alliance staff"},
        staff=True,
    )
    seed_people(organizations)
    if scale:
        seed_scale(scale)
