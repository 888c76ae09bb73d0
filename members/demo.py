"""Demo data of the members app: founding organizations, the demo admin, people,
and clearly fictional organizations that show applications, invitations, email
domains, renewals and logos (the founding members' real names are never given
invented facts beyond their membership)."""

import csv
import datetime
import functools
import io
import random
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw

from alliance.focus_areas.models import FocusArea
from members.models import (
    Affiliation,
    EmailDomain,
    Invitation,
    MembershipApplication,
    Organization,
    Tier,
    User,
)
from members.services.invitations import INVITATION_VALID_FOR
from members.services.organizations import organization_logo_set

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
    synthetic = (
        User.objects.filter(email__endswith="@synthetic.alliance.example")
        .order_by("pk")
        .values_list("pk", "email")
    )
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
    # One submitted application per 50 synthetic people fills the admin's queue.
    now = datetime.datetime.now(tz=datetime.UTC)
    applicants = [pk for pk, _email in synthetic[: max(1, scale // 50)]]
    MembershipApplication.objects.bulk_create(
        [
            MembershipApplication(
                applicant_id=pk,
                organization_name=f"Synthetic Applicant {pk:06d}",
                kind=Organization.Kind.COMPANY,
                country="DE",
                contribution="Generated for load tests.",
                status=MembershipApplication.Status.SUBMITTED,
                submitted_at=now,
                accepted_code_of_conduct_at=now,
                accepted_antitrust_policy_at=now,
            )
            for pk in applicants
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )


# How some demo people chose to appear in the people directory.
DEMO_VISIBILITY = {
    "lena.hoffmann": (User.DirectoryVisibility.PUBLIC, True),
    "marco.bianchi": (User.DirectoryVisibility.PUBLIC, False),
    "ada.brennan": (User.DirectoryVisibility.MEMBERS, True),
    "daniel.okafor": (User.DirectoryVisibility.HIDDEN, False),
    "chloe.dubois": (User.DirectoryVisibility.HIDDEN, False),
}
DEMO_BIOS = {
    "lena.hoffmann": "Works on multilingual evaluation; chairs Multilingual Models.",
    "marco.bianchi": "Reviews trust-and-safety tools for the catalog.",
    "ada.brennan": "Benchmarks, evaluation harnesses and reproducibility.",
}
# Invented organizations; "(fictional)" and .example domains make that plain.
FICTIONAL_ORGS = [
    {
        "name": "Fabrikam Research Lab (fictional)",
        "kind": Organization.Kind.RESEARCH_LAB,
        "country": "CH",
        "tier": "general",
        "status": Organization.Status.ACTIVE,
        "renewal_in_days": 20,
        "domain": "fabrikam.example",
        "focus": ["benchmarks-evaluation", "open-foundation-models"],
        "colour": (15, 110, 102),
        "description": "A **fictional** research lab used to show the portal: "
        "its renewal is due soon and it verified its email domain.",
    },
    {
        "name": "Tailspin Analytics (fictional)",
        "kind": Organization.Kind.COMPANY,
        "country": "AT",
        "tier": "general",
        "status": Organization.Status.LAPSED,
        "renewal_in_days": -10,
        "domain": "",
        "focus": ["hardware-acceleration"],
        "colour": (163, 32, 32),
        "description": "A **fictional** company whose membership has lapsed.",
    },
]
# (local part, name, organization, role, status, language, time zone)
FICTIONAL_PEOPLE = [
    ("rosa.alvarez", "Rosa Alvarez", "Fabrikam Research Lab (fictional)",
     "primary_contact", "active", "en", "Europe/Zurich"),
    ("tim.berger", "Tim Berger", "Fabrikam Research Lab (fictional)",
     "member", "pending", "de", "Europe/Zurich"),
    ("ines.kraus", "Ines Kraus", "Tailspin Analytics (fictional)",
     "primary_contact", "active", "de", "Europe/Vienna"),
    ("paul.wagner", "Paul Wagner", "Technical University of Munich",
     "member", "pending", "de", "Europe/Berlin"),
]  # fmt: skip
# (applicant local part, applicant name, organization, kind, country, status,
#  focus areas, reason)
FICTIONAL_APPLICATIONS = [
    ("eva.novak", "Eva Novak", "Northwind Applied AI (fictional)",
     Organization.Kind.COMPANY, "DE", MembershipApplication.Status.SUBMITTED,
     ["open-foundation-models", "open-development"], ""),
    ("sam.okoro", "Sam Okoro", "Lakeside Institute of Technology (fictional)",
     Organization.Kind.UNIVERSITY, "US", MembershipApplication.Status.UNDER_REVIEW,
     ["skills-building", "public-education"], ""),
    ("mila.jansen", "Mila Jansen", "Open Data Collective (fictional)",
     Organization.Kind.NON_PROFIT, "NL", MembershipApplication.Status.DRAFT,
     ["benchmarks-evaluation"], ""),
    ("oliver.grant", "Oliver Grant", "Contoso Model Works (fictional)",
     Organization.Kind.COMPANY, "GB", MembershipApplication.Status.REJECTED,
     ["hardware-acceleration"],
     "The application does not yet say how Contoso will contribute to open "
     "projects. You are welcome to apply again with concrete plans."),
]  # fmt: skip


def _demo_logo(colour: tuple[int, int, int]) -> io.BytesIO:
    """Draw a simple abstract logo (no real organization's mark)."""
    image = Image.new("RGBA", (256, 256), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((16, 16, 240, 240), radius=48, fill=colour)
    draw.ellipse((72, 72, 184, 184), fill=(255, 255, 255))
    draw.ellipse((104, 104, 152, 152), fill=colour)
    out = io.BytesIO()
    image.save(out, format="PNG")
    out.seek(0)
    out.name = "demo-logo.png"
    return out


def seed_people_preferences() -> None:
    for local_part, (visibility, show_email) in DEMO_VISIBILITY.items():
        User.objects.filter(email=f"{local_part}@demo.alliance.example").update(
            directory_visibility=visibility,
            show_email=show_email,
            bio=DEMO_BIOS.get(local_part, ""),
        )


def seed_fictional(organizations: dict[str, Organization]) -> None:
    today = timezone.localdate()
    tiers = {tier.slug: tier for tier in Tier.objects.all()}
    areas = {area.slug: area for area in FocusArea.objects.all()}
    for data in FICTIONAL_ORGS:
        org, created = Organization.objects.get_or_create(
            slug=slugify(data["name"]),
            defaults={
                "name": data["name"],
                "kind": data["kind"],
                "country": data["country"],
                "tier": tiers[data["tier"]],
                "status": data["status"],
                "member_since": datetime.date(2024, 6, 1),
                "renewal_due": today + datetime.timedelta(days=data["renewal_in_days"]),
                "website": f"https://{slugify(data['name'])}.example",
                "description": data["description"],
            },
        )
        if created:
            org.focus_areas.set([areas[slug] for slug in data["focus"]])
        if not org.logo:
            organization_logo_set(organization=org, logo=_demo_logo(data["colour"]))
        if data["domain"]:
            EmailDomain.objects.get_or_create(
                organization=org,
                domain=data["domain"],
                defaults={"verified_at": timezone.now()},
            )
        organizations[org.name] = org
    for local_part, name, org_name, role, status, language, tz in FICTIONAL_PEOPLE:
        user = _verified_user(
            f"{local_part}@demo.alliance.example",
            password=DEMO_PASSWORD,
            defaults={"name": name, "language": language, "timezone": tz},
        )
        source = (
            Affiliation.Source.EMAIL_DOMAIN
            if status == "pending"
            else Affiliation.Source.APPLICATION
        )
        if (
            not Affiliation.objects.filter(user=user, organization__name=org_name)
            .exclude(status=Affiliation.Status.ENDED)
            .exists()
        ):
            Affiliation.objects.create(
                user=user,
                organization=organizations[org_name],
                role=role,
                status=status,
                source=source,
            )
    fabrikam = organizations["Fabrikam Research Lab (fictional)"]
    rosa = User.objects.get(email="rosa.alvarez@demo.alliance.example")
    if not Invitation.objects.filter(organization=fabrikam).exists():
        Invitation.objects.create(
            organization=fabrikam,
            email="new.colleague@fabrikam.example",
            role=Affiliation.Role.MEMBER,
            invited_by=rosa,
            expires_at=timezone.now() + INVITATION_VALID_FOR,
        )
    now = timezone.now()
    staff = User.objects.filter(email=settings.ALLIANCE_DEMO_ADMIN_EMAIL).first()
    for (
        local_part, name, org_name, kind, country, status, focus, reason,
    ) in FICTIONAL_APPLICATIONS:  # fmt: skip
        applicant = _verified_user(
            f"{local_part}@demo.alliance.example",
            password=DEMO_PASSWORD,
            defaults={"name": name},
        )
        if MembershipApplication.objects.filter(applicant=applicant).exists():
            continue
        submitted = status != MembershipApplication.Status.DRAFT
        decided = status == MembershipApplication.Status.REJECTED
        application = MembershipApplication.objects.create(
            applicant=applicant,
            organization_name=org_name,
            kind=kind,
            country=country,
            website=f"https://{slugify(org_name)}.example",
            description=f"{org_name} is an invented organization for the demo.",
            contribution="Engineers for two working groups, and a yearly workshop "
            "on open evaluation.",
            accepted_code_of_conduct_at=now if submitted else None,
            accepted_antitrust_policy_at=now if submitted else None,
            status=status,
            submitted_at=now - datetime.timedelta(days=3) if submitted else None,
            decided_at=now if decided else None,
            decided_by=staff if decided else None,
            decision_reason=reason,
        )
        application.focus_areas.set([areas[slug] for slug in focus])


@transaction.atomic
def seed(*, scale: int = 0, stdout=None) -> None:
    """Create the founding organizations, the demo admin and demo people, and the
    fictional organizations, applications and invitations."""
    organizations = seed_organizations()
    _verified_user(
        settings.ALLIANCE_DEMO_ADMIN_EMAIL,
        password=settings.ALLIANCE_DEMO_ADMIN_PASSWORD,
        defaults={"name": "Alliance Staff", "display_name": "Alliance staff"},
        staff=True,
    )
    seed_people(organizations)
    seed_people_preferences()
    seed_fictional(organizations)
    if scale:
        seed_scale(scale)
