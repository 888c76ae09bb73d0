"""Adding and changing catalog entries."""

from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from alliance.core.cache import bump
from alliance.notifications.services.activities import activity_record
from members.models import Organization
from members.selectors import user_member_organizations
from projects.models import CatalogEntry, Contribution, EntryStatusChange
from projects.validators import (
    choices_normalize,
    languages_normalize,
    license_normalize,
    tags_normalize,
)

E = CatalogEntry
# What people set on an entry (kind only before vetting starts); the form, the API
# and the admin take their fields from here. Owners are set apart (entry_create's
# and entry_update's ``owners``): they are checked against the person's
# organizations.
ENTRY_FIELDS = (
    "kind",
    "name",
    "summary",
    "description",
    "focus_area",
    "working_group",
    "repository_url",
    "homepage",
    "license",
    "card_url",
    "paper_url",
    "modalities",
    "languages",
    "hardware",
    "tags",
)
RESERVED_SLUGS = {"new", "review-queue", "mine", "api"}
_NORMALIZERS = {
    "license": license_normalize,
    "languages": languages_normalize,
    "modalities": lambda values: choices_normalize(values, E.Modality),
    "hardware": lambda values: choices_normalize(values, E.Hardware),
    "tags": tags_normalize,
}


def entry_clean_metadata(fields: dict) -> dict:
    """Return the fields with license, languages, modalities, hardware and tags
    normalized; raise one ValidationError naming every wrong field."""
    cleaned = dict(fields)
    errors: dict[str, list] = {}
    for name, normalize in _NORMALIZERS.items():
        if name not in cleaned:
            continue
        value = cleaned[name]
        try:
            cleaned[name] = normalize(value if name == "license" else list(value))
        except ValidationError as error:
            errors[name] = error.error_list
    for name in ("name", "summary"):
        if name in cleaned:
            cleaned[name] = " ".join(str(cleaned[name]).split())
    if errors:
        raise ValidationError(errors)
    return cleaned


def _unique_slug(name: str) -> str:
    base = slugify(name)[:180] or "entry"
    if base in RESERVED_SLUGS:
        base = f"{base}-entry"
    slug, number = base, 2
    while CatalogEntry.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


NO_OWNER = gettext_lazy(
    "Name the organization that owns the entry: every entry has an owner."
)


def entry_owner_scope(user) -> list[Organization] | None:
    """Return the organizations a person may name or drop as owners: staff any
    (None), everyone else the member organizations they belong to."""
    return None if user.is_staff else list(user_member_organizations(user))


def _owners_merged(
    *,
    current: Iterable[Organization],
    chosen: Iterable[Organization],
    scope: Iterable[Organization] | None,
) -> list[Organization]:
    """Return the owners after a change by someone who may only add or remove the
    organizations in ``scope`` (None: any organization)."""
    chosen = list(chosen)
    if scope is None:
        return chosen
    scope_ids = {organization.pk for organization in scope}
    foreign = [o.name for o in chosen if o.pk not in scope_ids]
    if foreign:
        raise ValidationError(
            {
                "owners": _(
                    "You can only name organizations you belong to as owners "
                    "(not: %(names)s)."
                )
                % {"names": ", ".join(foreign)}
            }
        )
    kept = [o for o in current if o.pk not in scope_ids]
    return kept + chosen


def entry_search_vector():
    """Return the entry's search document (see ``alliance.core.search``): the name
    unstemmed and in English and German (A), the summary and tags (B), the
    description (C), both in English and German."""
    summary_and_tags = ("summary", Cast("tags", TextField()))
    vector = SearchVector("name", weight="A", config="simple")
    for config in ("english", "german"):
        vector = (
            vector
            + SearchVector("name", weight="A", config=config)
            + SearchVector(*summary_and_tags, weight="B", config=config)
            + SearchVector("description", weight="C", config=config)
        )
    return vector


def entry_search_refresh(*, entry_ids: Iterable[int] | None = None) -> None:
    """Recompute the full-text search vector of the entries (all when None); a no-op
    outside PostgreSQL."""
    if connection.vendor != "postgresql":
        return
    entries = CatalogEntry.objects.all()
    if entry_ids is not None:
        entries = entries.filter(pk__in=list(entry_ids))
    entries.update(search_vector=entry_search_vector())
    bump("catalog")  # QuerySet.update() sends no signal (alliance.core.cache)


def status_change_log(
    *, entry: CatalogEntry, field: str, old: str, new: str, actor=None, note=""
) -> EntryStatusChange:
    """Keep a visible record of a change of the entry's vetting status or
    lifecycle."""
    return EntryStatusChange.objects.create(
        entry=entry,
        field=field,
        old_value=old,
        new_value=new,
        actor=actor,
        note=note[:300],
    )


def _save(entry: CatalogEntry, actor) -> None:
    group = entry.working_group
    if group is not None and group.focus_area_id != entry.focus_area_id:
        raise ValidationError(
            {
                "working_group": _(
                    "The working group “%(group)s” belongs to another focus area."
                )
                % {"group": group.name}
            }
        )
    entry._history_user = actor
    entry.full_clean(exclude=["owners"])
    entry.save()


def _save_with_unique_slug(entry: CatalogEntry, actor, attempts: int = 5) -> None:
    """Save a new entry; if an entry of the same name was created at the same
    moment and took the slug, take the next one (the unique index decides)."""
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                _save(entry, actor)
            return
        except (IntegrityError, ValidationError) as error:
            # The other entry may commit before our INSERT (the unique index
            # refuses it) or already before full_clean's uniqueness check (a
            # validation error on the slug alone, which the person never typed).
            taken = isinstance(error, IntegrityError) or (
                set(getattr(error, "error_dict", {})) == {"slug"}
            )
            if not taken or attempt == attempts - 1:
                raise
            entry.pk = None
            entry.slug = _unique_slug(entry.name)


@transaction.atomic
def entry_create(
    *,
    author,
    kind: str,
    name: str,
    summary: str,
    focus_area,
    owners: Iterable[Organization] = (),
    owner_scope: Iterable[Organization] | None = None,
    organization: Organization | None = None,
    **fields,
) -> CatalogEntry:
    """Add an entry to the catalog with its author as its first maintainer."""
    unknown = set(fields) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"entry_create() got unexpected fields {sorted(unknown)}")
    cleaned = entry_clean_metadata(
        {"kind": kind, "name": name, "summary": summary, **fields}
    )
    entry = CatalogEntry(
        focus_area=focus_area,
        slug=_unique_slug(cleaned["name"]),
        lifecycle=E.Lifecycle.PROPOSED
        if kind == E.Kind.PROJECT
        else E.Lifecycle.ACTIVE,
        created_by=author,
        **cleaned,
    )
    if organization is None:
        organization = user_member_organizations(author).order_by("name").first()
    owners = _owners_merged(current=(), chosen=owners, scope=owner_scope)
    if not owners and organization is not None:
        # Every entry has an owner: by default the organization its author
        # represents.
        owners = [organization]
    if not owners:
        raise ValidationError({"owners": NO_OWNER})
    _save_with_unique_slug(entry, author)
    entry.owners.set(owners)
    Contribution.objects.create(
        entry=entry,
        user=author,
        role=Contribution.Role.MAINTAINER,
        organization=organization,
    )
    status_change_log(
        entry=entry,
        field=EntryStatusChange.Field.LIFECYCLE,
        old="",
        new=entry.lifecycle,
        actor=author,
        note=gettext_noop("Added to the catalog."),
    )
    entry_search_refresh(entry_ids=[entry.pk])
    activity_record(
        kind="catalog_entry_added",
        target=entry,
        actor=author,
        # Its group's followers; an entry without a group is news for those
        # who watch its focus area (nobody belongs to an area).
        audience=entry.working_group or entry.focus_area,
        context={
            "name": entry.name,
            "kind": entry.kind,
            "summary": entry.summary,
            "by": author.public_name,
            "url": entry.get_absolute_url(),
        },
    )
    return entry


@transaction.atomic
def entry_update(
    *,
    entry: CatalogEntry,
    actor,
    owners: Iterable[Organization] | None = None,
    owner_scope: Iterable[Organization] | None = None,
    **fields,
) -> CatalogEntry:
    """Change an entry's description and metadata; owners only within
    ``owner_scope``."""
    unknown = set(fields) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"entry_update() got unexpected fields {sorted(unknown)}")
    entry = CatalogEntry.objects.select_for_update().get(pk=entry.pk)
    if (
        "kind" in fields
        and fields["kind"] != entry.kind
        and entry.vetting_status != E.Vetting.NOT_SUBMITTED
    ):
        raise ValidationError(
            {"kind": _("The kind cannot change once the entry was submitted.")}
        )
    for name, value in entry_clean_metadata(fields).items():
        setattr(entry, name, value)
    _save(entry, actor)
    if owners is not None:
        owners = _owners_merged(
            current=entry.owners.all(), chosen=owners, scope=owner_scope
        )
        if not owners:
            raise ValidationError({"owners": NO_OWNER})
        entry.owners.set(owners)
        # Imported here: the vetting services log through this module.
        from projects.services.vetting import entry_independence_recheck

        entry_independence_recheck(entry=entry, actor=actor)
    entry_search_refresh(entry_ids=[entry.pk])
    return entry


LIFECYCLE_STEPS = {
    E.Lifecycle.PROPOSED: (E.Lifecycle.ACTIVE, E.Lifecycle.ARCHIVED),
    E.Lifecycle.ACTIVE: (E.Lifecycle.ARCHIVED,),
    E.Lifecycle.ARCHIVED: (E.Lifecycle.ACTIVE,),
}


@transaction.atomic
def entry_set_lifecycle(
    *, entry: CatalogEntry, actor, lifecycle: str, note: str = ""
) -> CatalogEntry:
    """Move an entry along its lifecycle (proposed → active → archived, or back
    from the archive)."""
    entry = CatalogEntry.objects.select_for_update().get(pk=entry.pk)
    if lifecycle == entry.lifecycle:
        return entry
    allowed = LIFECYCLE_STEPS.get(entry.lifecycle, ())
    if lifecycle not in allowed or (
        lifecycle == E.Lifecycle.PROPOSED and entry.kind != E.Kind.PROJECT
    ):
        raise ValidationError(
            {
                "lifecycle": _("An entry that is “%(old)s” cannot become “%(new)s”.")
                % {
                    "old": entry.get_lifecycle_display(),
                    "new": dict(E.Lifecycle.choices).get(lifecycle, lifecycle),
                }
            }
        )
    old = entry.lifecycle
    entry.lifecycle = lifecycle
    entry._history_user = actor
    entry.save(update_fields=["lifecycle", "updated_at"])
    status_change_log(
        entry=entry,
        field=EntryStatusChange.Field.LIFECYCLE,
        old=old,
        new=lifecycle,
        actor=actor,
        note=note,
    )
    return entry
