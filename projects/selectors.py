"""Reads of the catalog, with who may see what applied."""

import datetime as dt
import json

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core.search import search_match
from alliance.registries.staff_counts import StaffCount, changelist_url
from alliance.working_groups.selectors import (
    user_chairs_group,
    working_group_member_ids,
    working_group_seat_organization,
)
from members.models import Affiliation, Organization
from members.selectors import (
    member_ids_among,
    staff_ids_among,
    user_is_member,
    user_may,
    user_member_organizations,
)
from projects.models import CatalogEntry, Contribution, EntryStatusChange, Review

E = CatalogEntry


def user_sees_whole_catalog(user) -> bool:
    """Return whether the person sees every entry (members and staff) or only the
    public, vetted ones."""
    return bool(getattr(user, "is_staff", False)) or user_is_member(user)


def entry_base_queryset() -> QuerySet[CatalogEntry]:
    """Return entries with what every list shows (focus area, group, owners)."""
    return CatalogEntry.objects.select_related(
        "focus_area", "working_group"
    ).prefetch_related(
        Prefetch("owners", queryset=Organization.objects.order_by("name"))
    )


def entry_public_q() -> Q:
    """Return the condition for entries everyone may read."""
    return Q(vetting_status=E.Vetting.VETTED) & ~Q(lifecycle=E.Lifecycle.ARCHIVED)


def entry_list_visible_to(user) -> QuerySet[CatalogEntry]:
    """Return the entries the person may read: everything for members, the vetted
    catalog for everyone else."""
    entries = entry_base_queryset()
    if user_sees_whole_catalog(user):
        return entries
    return entries.filter(entry_public_q())


def entry_viewer_ids(entry: CatalogEntry, user_ids) -> set[int]:
    """Return which of the people may read the entry (the batch form of
    ``entry_list_visible_to``): everyone for a public entry, else members and
    staff."""
    user_ids = set(user_ids)
    if entry.is_public:
        return user_ids
    return member_ids_among(user_ids) | staff_ids_among(user_ids)


def entry_list_with_team(entries: QuerySet[CatalogEntry]) -> QuerySet[CatalogEntry]:
    """Add each entry's team (people and organizations) in one more query."""
    return entries.prefetch_related(
        Prefetch(
            "contributions",
            queryset=Contribution.objects.select_related("user", "organization"),
        )
    )


def entry_get_for_page(*, user, slug: str) -> CatalogEntry | None:
    """Return the entry with its team, reviews and status changes, if the person
    may read it."""
    return (
        entry_list_with_team(entry_list_visible_to(user))
        .select_related("created_by")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.select_related("organization", "reviewer"),
            ),
            Prefetch(
                "status_changes",
                queryset=EntryStatusChange.objects.select_related("actor"),
            ),
        )
        .filter(slug=slug)
        .first()
    )


def json_list_contains(field: str, value: str) -> Q:
    """Return a condition that a JSON list field holds ``value`` (containment on
    PostgreSQL; a text match of the quoted value on SQLite)."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__contains": [value]})
    return Q(**{f"{field}__icontains": json.dumps(value)})


def entry_search(entries: QuerySet[CatalogEntry], text: str) -> QuerySet:
    """Return the entries matching ``text``, best first: PostgreSQL full-text search
    (plus a name match for partial words), or icontains on SQLite."""
    text = " ".join((text or "").split())[:200]
    if not text:
        return entries
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config="english", search_type="websearch")
        return (
            entries.filter(Q(search_vector=query) | Q(name__icontains=text))
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by(F("rank").desc(nulls_last=True), "name")
        )
    return entries.filter(
        Q(name__icontains=text)
        | Q(summary__icontains=text)
        | Q(description__icontains=text)
        | Q(tags__icontains=text)
    )


def entry_site_search(user, text: str) -> QuerySet[CatalogEntry]:
    """Return the entries the person may read that match ``text`` (the site
    search's source), on the catalog's own search vector
    (``projects.services.entry_search_refresh``)."""
    return search_match(
        entry_list_visible_to(user).prefetch_related(None),
        text,
        title="name",
        snippet=Concat("summary", Value(" "), "description", output_field=TextField()),
        fields=("name", "summary", "description", "tags"),
        document=F("search_vector"),
    )


def entry_search_audience(user) -> str:
    """Who finds the same entries (``entry_list_visible_to``): members and
    staff the whole catalog, everyone else the vetted one."""
    return "whole" if user_sees_whole_catalog(user) else "public"


def catalog_facets(entries: QuerySet[CatalogEntry]) -> dict[str, list[str]]:
    """Return the licenses and languages used by ``entries`` (one query)."""
    rows = entries.order_by().values_list("license", "languages").distinct()
    licenses, languages = set(), set()
    for license_, codes in rows:
        if license_:
            licenses.add(license_)
        languages.update(codes or [])
    return {"licenses": sorted(licenses), "languages": sorted(languages)}


def user_chairs_benchmarks_group(user) -> bool:
    """Return whether the person chairs the benchmarks working group."""
    return user_chairs_group(user, slug=settings.CATALOG_BENCHMARKS_GROUP_SLUG)


def user_is_catalog_reviewer(user) -> bool:
    """Return whether the person may review catalog entries: their organization's
    tier grants it, or they chair the benchmarks working group (both read once
    per request)."""
    return user_may(user, "may_review_catalog") or user_chairs_benchmarks_group(user)


def reviewer_organizations(user) -> list[Organization]:
    """Return the organizations a person can review for: their member
    organizations, else what they represent in the benchmarks group."""
    organizations = list(user_member_organizations(user).order_by("name"))
    if organizations:
        return organizations
    seat = working_group_seat_organization(
        user, slug=settings.CATALOG_BENCHMARKS_GROUP_SLUG
    )
    return [seat] if seat else []


def catalog_reviewer_ids_to_notify(entry: CatalogEntry) -> list[int]:
    """Return who is asked to review an entry: reviewers among the members of the
    benchmarks working group and of the entry's own group, except its team."""
    benchmarks = [settings.CATALOG_BENCHMARKS_GROUP_SLUG]
    candidates = set(
        working_group_member_ids(
            slugs=benchmarks,
            group_ids=[entry.working_group_id] if entry.working_group_id else [],
        )
    )
    chairs = set(working_group_member_ids(slugs=benchmarks, chairs_only=True))
    entitled = set(
        Affiliation.objects.filter(
            user_id__in=candidates,
            status=Affiliation.Status.ACTIVE,
            organization__status=Organization.Status.ACTIVE,
            organization__tier__may_review_catalog=True,
        ).values_list("user_id", flat=True)
    )
    team = set(entry.contributions.values_list("user_id", flat=True))
    return sorted((entitled | chairs) - team)


def entry_dependent_organization_ids(entry: CatalogEntry) -> set[int]:
    """Return the organizations an entry's reviews must be independent of: its
    owners, the organizations its maintainers and contributors represent, and
    every organization those people are actively affiliated with."""
    team = Contribution.objects.filter(entry=entry)
    return (
        set(entry.owners.values_list("pk", flat=True))
        | set(team.exclude(organization=None).values_list("organization_id", flat=True))
        | set(
            Affiliation.objects.filter(
                user_id__in=team.values("user_id"),
                status=Affiliation.Status.ACTIVE,
            ).values_list("organization_id", flat=True)
        )
    )


def entry_team_ids(entry: CatalogEntry) -> list[int]:
    """Return the ids of the entry's maintainers and contributors (they follow it
    implicitly)."""
    return list(entry.contributions.values_list("user_id", flat=True))


def entry_team_role(user, entry: CatalogEntry) -> str | None:
    """Return the person's role on the entry's team (maintainer, contributor) or
    None; uses the prefetched team when there is one."""
    if not getattr(user, "is_authenticated", False):
        return None
    cache = getattr(entry, "_prefetched_objects_cache", {})
    if "contributions" in cache:
        for contribution in cache["contributions"]:
            if contribution.user_id == user.pk:
                return contribution.role
        return None
    return (
        Contribution.objects.filter(entry=entry, user=user)
        .values_list("role", flat=True)
        .first()
    )


def review_queue_for(user) -> QuerySet[CatalogEntry]:
    """Return entries waiting for review that the person may review, oldest
    request first, with whether they reviewed this round and how many approvals
    count so far."""
    if not user_is_catalog_reviewer(user):
        return CatalogEntry.objects.none()
    mine = Review.objects.filter(
        entry=OuterRef("pk"), reviewer=user, round=OuterRef("vetting_round")
    )
    return (
        entry_base_queryset()
        .filter(vetting_status__in=E.REVIEWABLE)
        .exclude(contributions__user=user)
        .annotate(
            reviewed_by_me=Exists(mine),
            approvals=Count(
                "reviews",
                filter=Q(
                    reviews__round=F("vetting_round"),
                    reviews__verdict=Review.Verdict.APPROVE,
                    reviews__counts=True,
                ),
            ),
        )
        .order_by("reviewed_by_me", F("vetting_requested_at").asc(nulls_last=True))
    )


def user_entry_list(user) -> QuerySet[CatalogEntry]:
    """Return the entries the person is on the team of, with their role."""
    role = Contribution.objects.filter(entry=OuterRef("pk"), user=user).values("role")
    return (
        entry_base_queryset()
        .filter(contributions__user=user)
        .annotate(my_role=role[:1])
        .order_by("name")
    )


def entry_history(entry: CatalogEntry, *, limit: int = 50) -> list[dict]:
    """Return the entry's versions, newest first, each with who changed which
    fields from what to what."""
    records = list(
        entry.history.select_related("history_user").order_by("-history_date")[
            : limit + 1
        ]
    )
    versions = []
    for newer, older in zip(records, records[1:] + [None], strict=False):
        if len(versions) == limit:
            break
        changes = []
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=["owners"])
            for change in delta.changes:
                field = CatalogEntry._meta.get_field(change.field)
                changes.append(
                    {
                        "field": str(field.verbose_name),
                        "old": change.old,
                        "new": change.new,
                    }
                )
        versions.append(
            {
                "date": newer.history_date,
                "user": newer.history_user,
                "type": newer.history_type,
                "changes": changes,
            }
        )
    return versions


def personal_catalog_data(user) -> dict:
    """Return what the catalog holds about the person, for their data export."""
    return {
        "contributions": [
            {
                "entry": c.entry.name,
                "url": c.entry.get_absolute_url(),
                "role": c.role,
                "organization": c.organization.name if c.organization else None,
                "joined_at": c.joined_at.isoformat(),
            }
            for c in Contribution.objects.filter(user=user).select_related(
                "entry", "organization"
            )
        ],
        "reviews": [
            {
                "entry": r.entry.name,
                "round": r.round,
                "verdict": r.verdict,
                "findings": r.findings,
                "checklist": {name: getattr(r, name) for name in Review.CHECKLIST},
                "organization": r.organization.name if r.organization else None,
                "posted_at": r.created_at.isoformat(),
            }
            for r in Review.objects.filter(reviewer=user).select_related(
                "entry", "organization"
            )
        ],
        "entries_submitted": list(
            CatalogEntry.objects.filter(created_by=user).values_list("slug", flat=True)
        ),
    }


def entry_references(slugs: list[str]) -> dict[str, dict]:
    """Return title and url of the public (vetted) catalog entries among ``slugs``,
    for other apps such as events' showcases."""
    entries = entry_base_queryset().filter(entry_public_q(), slug__in=slugs)
    return {
        entry.slug: {"title": entry.name, "url": entry.get_absolute_url()}
        for entry in entries
    }


def entry_reference_choices() -> list[tuple[str, str]]:
    """Return ``[(slug, name)]`` of the public catalog entries one may link to."""
    return list(
        entry_base_queryset()
        .filter(entry_public_q())
        .order_by("name")
        .values_list("slug", "name")
    )


def entries_followed_by(user) -> QuerySet[CatalogEntry]:
    """Return the entries the person follows by being on their team."""
    return CatalogEntry.objects.filter(contributions__user=user).order_by("name")


# How far ahead the staff home warns of vettings that expire.
VETTING_EXPIRY_WARNING = dt.timedelta(days=30)


def catalog_staff_counts(*, now: dt.datetime | None = None) -> list[StaffCount]:
    """Return the catalog entries waiting for review and the vetted ones whose
    vetting expires within ``VETTING_EXPIRY_WARNING``; one query."""
    now = now or timezone.now()
    until = now + VETTING_EXPIRY_WARNING
    E = CatalogEntry
    counts = E.objects.aggregate(
        review=Count("pk", filter=Q(vetting_status__in=E.REVIEWABLE)),
        expiring=Count(
            "pk",
            filter=Q(vetting_status=E.Vetting.VETTED, vetting_expires_at__lte=until),
        ),
    )
    url = "admin:projects_catalogentry_changelist"
    return [
        StaffCount(
            key="catalog_review",
            group="catalog",
            label=_("Catalog entries waiting for review"),
            count=counts["review"],
            url=changelist_url(url, vetting_status__in=",".join(E.REVIEWABLE)),
        ),
        StaffCount(
            key="catalog_expiring",
            group="catalog",
            label=_("Vettings that expire within 30 days"),
            count=counts["expiring"],
            url=changelist_url(
                url, vetting_status=E.Vetting.VETTED, vetting_expires_at__lte=until
            ),
        ),
    ]
