"""Reads of the member directory, organization pages and the people directory."""

from django.db.models import (
    Exists,
    Expression,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf

from alliance.core.queries import count_of
from alliance.core.search import search_document_with, search_match
from alliance.working_groups.selectors import working_group_seats
from members.models import Affiliation, Organization, User
from members.selectors import (
    VISIBLE_TO_EVERYONE,
    VISIBLE_TO_MEMBERS,
    organization_list_active,
    organization_visible_to,
    user_is_member,
)


def person_public_name(path: str = "") -> Expression:
    """Return ``User.public_name`` as an expression (of the person at ``path``,
    e.g. ``"user__"``): the display name, else the full name. A person who chose
    a display name is found and sorted by it, never by the full name it stands
    in for: that would tell who is behind it."""
    return Coalesce(NullIf(f"{path}display_name", Value("")), f"{path}name")


def _finds_full_names(user) -> bool:
    # Staff run the membership and know everyone's full name.
    return bool(getattr(user, "is_staff", False))


def people_named(people: QuerySet[User], text: str, *, user) -> QuerySet[User]:
    """Return the people whose public name contains ``text`` (the people
    directory's filter); staff find them by their full name too."""
    text = text.strip()
    if not text:
        return people
    wanted = Q(directory_public_name__icontains=text)
    if _finds_full_names(user):
        wanted |= Q(name__icontains=text)
    return people.alias(directory_public_name=person_public_name()).filter(wanted)


def _visibilities(*, detailed: bool) -> tuple[str, ...]:
    return VISIBLE_TO_MEMBERS if detailed else VISIBLE_TO_EVERYONE


def _visible_people(*, detailed: bool) -> QuerySet[Affiliation]:
    return (
        Affiliation.objects.filter(
            status=Affiliation.Status.ACTIVE,
            user__is_active=True,
            user__closed_at__isnull=True,
            user__directory_visibility__in=_visibilities(detailed=detailed),
        )
        .select_related("user")
        .order_by("role", person_public_name("user__"), "user__email")
    )


def organization_with_details(
    organizations: QuerySet[Organization],
) -> QuerySet[Organization]:
    """Add what members see to organizations: people count, visible contacts and
    the working groups their people take part in."""
    return organizations.annotate(
        people_count=count_of(
            Affiliation.objects.filter(
                organization=OuterRef("pk"), status=Affiliation.Status.ACTIVE
            )
        )
    ).prefetch_related(
        Prefetch(
            "affiliations",
            queryset=_visible_people(detailed=True).filter(
                role__in=Affiliation.CONTACT_ROLES
            ),
            to_attr="visible_contacts",
        ),
        Prefetch(
            "group_memberships",
            queryset=working_group_seats(one_per_organization=True),
            to_attr="active_group_memberships",
        ),
    )


def organization_directory(*, detailed: bool) -> QuerySet[Organization]:
    """Return active member organizations by tier, with what the viewer may see:
    public fields for everyone; contacts, people and groups when ``detailed``."""
    organizations = (
        organization_list_active()
        .order_by("tier__rank", "name")
        .prefetch_related("focus_areas")
    )
    return organization_with_details(organizations) if detailed else organizations


def organization_page(*, organization: Organization, detailed: bool) -> dict:
    """Return what an organization's page shows the viewer: focus areas always;
    people (as each chose), contacts and working groups when ``detailed``."""
    people = list(_visible_people(detailed=detailed).filter(organization=organization))
    groups = []
    if detailed:
        seats = working_group_seats(
            organization=organization, one_per_organization=True
        )
        groups = [seat.group for seat in seats]
    return {
        "focus_areas": list(organization.focus_areas.order_by("number")),
        "people": people,
        "contacts": [a for a in people if a.is_contact] if detailed else [],
        "working_groups": groups,
    }


def people_directory(*, detailed: bool) -> QuerySet[User]:
    """Return people of active member organizations who chose to be listed for the
    viewer (everyone or members), with their organizations."""
    in_active_org = Affiliation.objects.filter(
        user_id=OuterRef("pk"),
        status=Affiliation.Status.ACTIVE,
        organization__status=Organization.Status.ACTIVE,
    )
    return (
        User.objects.filter(
            Exists(in_active_org),
            is_active=True,
            closed_at__isnull=True,
            directory_visibility__in=_visibilities(detailed=detailed),
        )
        .prefetch_related(
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.filter(
                    status=Affiliation.Status.ACTIVE,
                    organization__status=Organization.Status.ACTIVE,
                )
                .select_related("organization")
                .order_by("organization__name"),
                to_attr="directory_affiliations",
            )
        )
        .order_by(person_public_name(), "email")
    )


def organization_search(user, text: str) -> QuerySet[Organization]:
    """Return the organizations the person may see that match ``text`` (the site
    search's source): by name, then description."""
    return search_match(
        organization_visible_to(user),
        text,
        title="name",
        snippet="description",
        fields=("name", "description"),
    )


def people_search(user, text: str) -> QuerySet[User]:
    """Return the people the directory lists for the person (members see those
    listed for members, everyone else those listed for everyone) that match
    ``text`` by public name or bio (never by email, and by full name only for
    staff), each with the first of their organizations, whose page lists them."""
    detailed = _finds_full_names(user) or user_is_member(user)
    first_organization = (
        Affiliation.objects.filter(
            user_id=OuterRef("pk"),
            status=Affiliation.Status.ACTIVE,
            organization__status=Organization.Status.ACTIVE,
        )
        .order_by("organization__name")
        .values("organization__slug")[:1]
    )
    people = (
        people_directory(detailed=detailed)
        .prefetch_related(None)
        .exclude(name="", display_name="")
        .annotate(search_organization=Subquery(first_organization))
        .alias(search_public_name=person_public_name())
    )
    # The stored document (PostgreSQL) holds the public name only; staff's
    # search adds the full name, computed per row (people are few).
    full_names = _finds_full_names(user)
    return search_match(
        people,
        text,
        title="search_public_name",
        snippet="bio",
        fields=("search_public_name", "bio", *(("name",) if full_names else ())),
        document=search_document_with(people, "name") if full_names else None,
    )


# The site search shares the answers of these sources among readers who see the
# same (alliance.registries.search): what decides it is written next to the
# visibility rule it follows.


def organization_search_audience(user) -> str:
    """Staff find every organization; everyone else the active members
    (``organization_visible_to``), plus their own organizations in another
    state, which ``organization_search_personal`` finds."""
    return "staff" if getattr(user, "is_staff", False) else "everyone"


def organization_search_personal(user) -> list[QuerySet]:
    """The person's own organizations that only they (and staff) see."""
    if getattr(user, "is_staff", False) or not getattr(user, "is_authenticated", False):
        return []
    return [
        Affiliation.objects.filter(user=user, status=Affiliation.Status.ACTIVE).exclude(
            organization__status=Organization.Status.ACTIVE
        )
    ]


def people_search_audience(user) -> str:
    """Who finds the same people (``people_search``): staff, members, and
    everyone else."""
    if getattr(user, "is_staff", False):
        return "staff"
    return "member" if user_is_member(user) else "public"


def organization_directory_countries() -> set[str]:
    """Return the countries (codes) of the active member organizations: the
    directory's country filter offers these, not every country there is."""
    return set(
        organization_list_active()
        .exclude(country="")
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    )
