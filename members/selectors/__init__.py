"""Reads of people, organizations and what their membership entitles them to.

This is the one place other apps ask "may this person/organization do X?";
the directory, applications, invitations and people live in the submodules.
"""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from alliance.core.cache import personal_value
from alliance.core.memo import memo_keep, memoize
from alliance.core.queries import CompiledQuery
from alliance.registries.person_facts import (
    person_fact_convert,
    person_fact_keys,
    person_facts,
)
from members.models import Affiliation, ApiToken, Organization, User

# What pages ask several times per request (panels, permissions) is kept on the
# person for the request; services that change it forget these memos.
MEMBER_ORGANIZATIONS = "members.member_organizations"
IS_MEMBER = "members.is_member"
CONTACT_ORGANIZATION_IDS = "members.contact_organization_ids"
ENTITLEMENTS = "members.entitlements"
PERSON_MEMOS = (MEMBER_ORGANIZATIONS, IS_MEMBER, CONTACT_ORGANIZATION_IDS, ENTITLEMENTS)


@dataclass(frozen=True)
class Entitlements:
    """What an organization's tier allows; all false when it has no tier."""

    max_contacts: int = 0
    voting_seats_per_group: int = 0
    # What an organization's vote counts for in an alliance ballot (governance).
    alliance_vote_weight: int = 0
    may_review_catalog: bool = False
    may_publish_events: bool = False


NO_ENTITLEMENTS = Entitlements()


def organization_entitlements(organization: Organization | None) -> Entitlements:
    """Return what the organization may do; nothing unless it is an active member."""
    if organization is None or not organization.is_active_member:
        return NO_ENTITLEMENTS
    tier = organization.tier
    if tier is None:
        return NO_ENTITLEMENTS
    return Entitlements(
        max_contacts=tier.max_contacts,
        voting_seats_per_group=tier.voting_seats_per_group,
        alliance_vote_weight=tier.alliance_vote_weight,
        may_review_catalog=tier.may_review_catalog,
        may_publish_events=tier.may_publish_events,
    )


def user_member_organizations(user) -> QuerySet[Organization]:
    """Return the active member organizations the person is actively affiliated with."""
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    return (
        Organization.objects.filter(
            status=Organization.Status.ACTIVE,
            affiliations__user=user,
            affiliations__status=Affiliation.Status.ACTIVE,
        )
        .select_related("tier")
        .distinct()
    )


def user_member_organization_list(user) -> list[Organization]:
    """Return the person's active member organizations, read once per request."""
    if not getattr(user, "is_authenticated", False):
        return []
    return memoize(
        user, MEMBER_ORGANIZATIONS, lambda: list(user_member_organizations(user))
    )


def user_is_member(user) -> bool:
    """Return whether the person belongs to an active member organization (read
    with the person for the request: ``person_get``)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return memoize(user, IS_MEMBER, lambda: bool(user_member_organization_list(user)))


def _member_now():
    return Exists(
        Affiliation.objects.filter(
            user_id=OuterRef("pk"),
            status=Affiliation.Status.ACTIVE,
            organization__status=Organization.Status.ACTIVE,
        )
    )


_TOKEN_FIELDS = ("id", "name", "prefix", "created_at", "last_used_at")


def _person_query(by: str, value) -> QuerySet[User]:
    """The people (at most one) with the facts every page asks of them as
    annotations ``fact_<n>``: by id (``"pk"``) or by an unrevoked API token's
    hash (``"token"``, with the token's fields as ``token_<field>``)."""
    facts = {IS_MEMBER: _member_now(), **person_facts()}
    annotations = {f"fact_{number}": fact for number, fact in enumerate(facts.values())}
    people = User._default_manager.order_by()
    if by == "pk":
        people = people.filter(pk=value)
    else:
        people = people.filter(
            is_active=True,
            api_tokens__key_hash=value,
            api_tokens__revoked_at__isnull=True,
        )
        annotations |= {
            f"token_{field}": F(f"api_tokens__{field}") for field in _TOKEN_FIELDS
        }
    return people.annotate(**annotations)[:1]


# Building and compiling the person's query costs more than the rest of an API
# answer read from the shared cache, and only the id or the hash changes: each
# process compiles it once (per kind and set of facts) with a stand-in value
# and then sends the SQL with the request's value, reading the row as the
# compiled query would (its columns' converters, no queryset per request).
# Facts' expressions must therefore take no parameter that changes (see
# alliance.registries.person_facts).
_STAND_INS = {"pk": -1_999_999_937, "token": "person-query-stand-in"}


_compiled: dict[tuple, CompiledQuery] = {}


def _person_query_compiled(by: str, keys: tuple, db: str) -> CompiledQuery:
    compiled = _compiled.get((by, keys, db))
    if compiled is None:
        compiled = _compiled[(by, keys, db)] = CompiledQuery.of(
            _person_query(by, _STAND_INS[by]).using(db), {"value": _STAND_INS[by]}
        )
        fields = tuple(f.attname for f in User._meta.concrete_fields)
        assert compiled.names[: len(fields)] == fields
    return compiled


def _person_with_facts(by: str, value) -> User | None:
    """Return the person found by ``_person_query`` with the facts kept as memos
    for the request, and its other columns as attributes; None if there is
    nobody."""
    keys = (IS_MEMBER, *person_fact_keys())
    db = User._default_manager.db
    compiled = _person_query_compiled(by, keys, db)
    rows = compiled.rows(value=value)
    if not rows:
        return None
    (row,) = rows
    fields = len(User._meta.concrete_fields)
    person = User.from_db(db, compiled.names[:fields], row[:fields])
    for name, column in zip(compiled.names[fields:], row[fields:], strict=True):
        setattr(person, name, column)
    for number, key in enumerate(keys):
        fact = getattr(person, f"fact_{number}")
        memo_keep(person, key, person_fact_convert(key, fact))
    return person


def person_get(pk) -> User | None:
    """Return the person with the facts every page asks of them read in the same
    query (whether they belong to an active member organization, and the facts
    apps register: ``alliance.registries.person_facts``), kept as memos for
    the request; None if there is nobody with that id."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return _person_with_facts("pk", pk)


def api_token_person_get(key_hash: str) -> ApiToken | None:
    """Return the unrevoked API token with this hash, its active person loaded
    with their facts (as ``person_get``) in the same one query; None if there is
    no such token or its person is inactive."""
    person = _person_with_facts("token", key_hash)
    if person is None:
        return None
    token = ApiToken(
        user=person,
        key_hash=key_hash,
        revoked_at=None,
        **{field: getattr(person, f"token_{field}") for field in _TOKEN_FIELDS},
    )
    token._state.adding = False
    token._state.db = person._state.db
    return token


VISIBLE_TO_MEMBERS = (User.DirectoryVisibility.PUBLIC, User.DirectoryVisibility.MEMBERS)
VISIBLE_TO_EVERYONE = (User.DirectoryVisibility.PUBLIC,)


def directory_visibilities_for(user) -> tuple[str, ...]:
    """Return the directory settings of the people the person may see named:
    everyone sees those public; members and staff also those visible to members.
    Nobody outside sees those hidden."""
    if getattr(user, "is_staff", False) or user_is_member(user):
        return VISIBLE_TO_MEMBERS
    return VISIBLE_TO_EVERYONE


def member_ids_among(user_ids) -> set[int]:
    """Return which of the people belong to an active member organization (the
    batch form of ``user_is_member``; one query)."""
    return set(
        Affiliation.objects.filter(
            user_id__in=list(user_ids),
            status=Affiliation.Status.ACTIVE,
            organization__status=Organization.Status.ACTIVE,
        ).values_list("user_id", flat=True)
    )


def staff_ids_among(user_ids) -> set[int]:
    """Return which of the people are active staff (one query)."""
    return set(
        User.objects.filter(
            pk__in=list(user_ids), is_staff=True, is_active=True
        ).values_list("pk", flat=True)
    )


def user_entitlements(user) -> Entitlements:
    """Return the union of what the person's active organizations allow, read
    once per request and kept for the person until an organization, a tier or
    an affiliation is written (pages ask it to show what the person may do)."""
    if not getattr(user, "is_authenticated", False):
        return NO_ENTITLEMENTS
    return memoize(
        user,
        ENTITLEMENTS,
        lambda: personal_value(
            ("organizations",),
            person_id=user.pk,
            parts=("entitlements",),
            compute=lambda: _entitlements_read(user),
        ),
    )


def _entitlements_read(user) -> Entitlements:
    result = NO_ENTITLEMENTS
    for organization in user_member_organization_list(user):
        granted = organization_entitlements(organization)
        result = Entitlements(
            max_contacts=max(result.max_contacts, granted.max_contacts),
            voting_seats_per_group=max(
                result.voting_seats_per_group, granted.voting_seats_per_group
            ),
            alliance_vote_weight=max(
                result.alliance_vote_weight, granted.alliance_vote_weight
            ),
            may_review_catalog=result.may_review_catalog or granted.may_review_catalog,
            may_publish_events=result.may_publish_events or granted.may_publish_events,
        )
    return result


def user_may(user, entitlement: str) -> bool:
    """Return whether one of the person's organizations grants the entitlement."""
    return bool(getattr(user_entitlements(user), entitlement))


def organization_list_active() -> QuerySet[Organization]:
    """Return active member organizations with their tier."""
    return Organization.objects.filter(
        status=Organization.Status.ACTIVE
    ).select_related("tier")


def organization_list_newest(*, limit: int = 6) -> QuerySet[Organization]:
    """Return the organizations that became members most recently."""
    return organization_list_active().order_by("-member_since", "-created_at", "name")[
        :limit
    ]


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """Return the person's API tokens, newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def user_list_with_membership() -> QuerySet[User]:
    """Return people annotated with whether they belong to an active organization."""
    active = Affiliation.objects.filter(
        user=OuterRef("pk"),
        status=Affiliation.Status.ACTIVE,
        organization__status=Organization.Status.ACTIVE,
    )
    return User.objects.annotate(is_member=Exists(active))


def organization_member_ids(organization: Organization) -> list[int]:
    """Return the ids of the people actively affiliated with the organization."""
    return list(
        Affiliation.objects.filter(
            organization=organization, status=Affiliation.Status.ACTIVE
        ).values_list("user_id", flat=True)
    )


def organization_contact_limit(organization: Organization) -> int:
    """Return how many contacts the organization's membership lets it name: its
    tier's number while it is an active member, else one (its primary contact,
    who handles the renewal)."""
    return max(organization_entitlements(organization).max_contacts, 1)


def organization_visible_to(user) -> QuerySet[Organization]:
    """Return the organizations the person may see: active members for everyone,
    their own organizations whatever their state, everything for staff."""
    organizations = Organization.objects.select_related("tier")
    if getattr(user, "is_staff", False):
        return organizations
    if not getattr(user, "is_authenticated", False):
        return organizations.filter(status=Organization.Status.ACTIVE)
    own = Affiliation.objects.filter(
        organization=OuterRef("pk"),
        user=user,
        status=Affiliation.Status.ACTIVE,
    )
    return organizations.filter(Q(status=Organization.Status.ACTIVE) | Q(Exists(own)))


def organization_viewer_ids(organization: Organization, user_ids) -> set[int]:
    """Return which of the people may see the organization (the batch form of
    ``organization_visible_to``): everyone while it is an active member, else
    its own people and staff."""
    user_ids = set(user_ids)
    if organization.status == Organization.Status.ACTIVE:
        return user_ids
    own = Affiliation.objects.filter(
        organization=organization,
        user_id__in=list(user_ids),
        status=Affiliation.Status.ACTIVE,
    ).values_list("user_id", flat=True)
    return set(own) | staff_ids_among(user_ids)


def user_contact_organization_ids(user) -> set[int]:
    """Return the ids of the organizations the person is an active contact of."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return memoize(
        user,
        CONTACT_ORGANIZATION_IDS,
        lambda: set(
            Affiliation.objects.filter(
                user=user,
                status=Affiliation.Status.ACTIVE,
                role__in=Affiliation.CONTACT_ROLES,
            )
            .exclude(organization__status=Organization.Status.FORMER)
            .values_list("organization_id", flat=True)
        ),
    )


def user_is_contact(user, organization: Organization) -> bool:
    """Return whether the person is an active contact of the organization."""
    return organization.pk in user_contact_organization_ids(user)


def organization_contacts(organization: Organization) -> QuerySet[Affiliation]:
    """Return the organization's active contacts, primary contacts first."""
    return (
        Affiliation.objects.filter(
            organization=organization,
            status=Affiliation.Status.ACTIVE,
            role__in=Affiliation.CONTACT_ROLES,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("role", "user__name")
    )


def organization_primary_contacts(organization: Organization) -> list[User]:
    """Return who hears about the membership: the primary contacts, or every
    contact when none is named primary."""
    contacts = list(organization_contacts(organization))
    primary = [a.user for a in contacts if a.role == Affiliation.Role.PRIMARY_CONTACT]
    return primary or [a.user for a in contacts]


def primary_contact_ids_by_organization(organization_ids) -> dict[int, set[int]]:
    """Return, per organization id, its active primary contacts' ids (one query)."""
    result: dict[int, set[int]] = {}
    rows = Affiliation.objects.filter(
        organization_id__in=list(organization_ids),
        status=Affiliation.Status.ACTIVE,
        role=Affiliation.Role.PRIMARY_CONTACT,
        user__is_active=True,
    ).values_list("organization_id", "user_id")
    for organization_id, user_id in rows:
        result.setdefault(organization_id, set()).add(user_id)
    return result


def user_primary_contact_organizations(user) -> QuerySet[Organization]:
    """Return the active member organizations the person is a primary contact of,
    with their tier."""
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    return (
        Organization.objects.filter(
            status=Organization.Status.ACTIVE,
            affiliations__user=user,
            affiliations__status=Affiliation.Status.ACTIVE,
            affiliations__role=Affiliation.Role.PRIMARY_CONTACT,
        )
        .select_related("tier")
        .distinct()
        .order_by("name")
    )


def user_primary_contact_of_non_member(user) -> bool:
    """Return whether the person is a primary contact of an organization that is
    not (or no longer) an active member: lapsed, suspended, former, applying."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        Affiliation.objects.filter(
            user=user,
            status=Affiliation.Status.ACTIVE,
            role=Affiliation.Role.PRIMARY_CONTACT,
        )
        .exclude(organization__status=Organization.Status.ACTIVE)
        .exists()
    )


def user_affiliations(user) -> QuerySet[Affiliation]:
    """Return the person's pending and active affiliations with their organization."""
    if not getattr(user, "is_authenticated", False):
        return Affiliation.objects.none()
    return (
        Affiliation.objects.filter(user=user, status__in=Affiliation.OPEN_STATUSES)
        .select_related("organization", "organization__tier")
        .order_by("organization__name")
    )


def user_verified_addresses(user) -> list[str]:
    """Return the addresses the person has proved they hold. Only these count
    for what was sent to an address (invitations): anyone can add someone
    else's address to their account without verifying it."""
    from allauth.account.models import EmailAddress

    return list(
        EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    )


def user_has_verified_email(user, email: str) -> bool:
    """Return whether the person holds the address, verified."""
    from allauth.account.models import EmailAddress

    if not getattr(user, "is_authenticated", False):
        return False
    return EmailAddress.objects.filter(
        user=user, email__iexact=email, verified=True
    ).exists()
