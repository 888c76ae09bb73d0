"""CSV import of organizations: every row is checked first, and nothing is
written unless every row is valid.

An existing organization changes only in the columns the file has and whose cell
is filled: a missing column or an empty cell keeps what it holds (its status
included). Staff see every change first (``organization_import_preview``) and
then apply the same file (``organization_import_csv``)."""

import csv
import io
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from alliance.core.markdown import MarkdownFormField
from members.models import Organization, Tier
from members.services.organizations import organization_slug_for

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
REQUIRED_COLUMNS = ("name", "kind", "country")
OPTIONAL_COLUMNS = (
    "slug",
    "website",
    "tier",
    "status",
    "member_since",
    "renewal_due",
    "description",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# What a row may change on an organization (the slug only names it).
CHANGEABLE = tuple(name for name in COLUMNS if name != "slug")


@dataclass
class RowError:
    line: int
    name: str
    messages: list[str] = field(default_factory=list)


class OrganizationImportError(ValidationError):
    """The file or some of its rows are invalid; ``rows`` says which and why."""

    def __init__(self, message: str, rows: list[RowError] | None = None):
        self.rows = rows or []
        super().__init__(message)


class _RowForm(forms.Form):
    name = forms.CharField(max_length=200)
    slug = forms.SlugField(max_length=200, required=False)
    kind = forms.ChoiceField(choices=Organization.Kind.choices)
    country = forms.ChoiceField(choices=lambda: list(countries))
    website = forms.URLField(required=False, assume_scheme="https")
    tier = forms.ChoiceField(required=False)
    status = forms.ChoiceField(choices=Organization.Status.choices, required=False)
    member_since = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    renewal_due = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    description = MarkdownFormField(required=False)

    def __init__(self, data, *, tiers: dict[str, Tier]):
        # The tiers are read once for the whole file, not once per row.
        super().__init__(data)
        self.tiers = tiers
        self.fields["tier"].choices = [("", "")] + [(slug, slug) for slug in tiers]

    def clean_tier(self):
        return self.tiers.get(self.cleaned_data["tier"])

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in Organization.RESERVED_SLUGS:
            raise ValidationError(
                gettext_lazy("“%(slug)s” is reserved; choose another slug."),
                params={"slug": slug},
            )
        return slug


def _normalize(row: dict) -> dict:
    data = {key: (value or "").strip() for key, value in row.items() if key}
    kinds = {str(label).lower(): value for value, label in Organization.Kind.choices}
    kinds.update({value.replace("_", " "): value for value in Organization.Kind.values})
    kind = data.get("kind", "").lower()
    data["kind"] = kinds.get(kind, kind.replace(" ", "_").replace("-", "_"))
    data["country"] = data.get("country", "").upper()
    data["status"] = data.get("status", "").lower()
    data["tier"] = data.get("tier", "").lower()
    return data


def _read(file) -> tuple[list[str], list[dict]]:
    raw = file.read()
    if len(raw) > MAX_BYTES:
        raise OrganizationImportError(_("The file is larger than 5 MB; split it."))
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise OrganizationImportError(
            _("The file is not UTF-8 text; save it as “CSV UTF-8” and try again.")
        ) from None
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    unknown = [name for name in header if name and name not in COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(
                _("missing columns: %(names)s") % {"names": ", ".join(missing)}
            )
        if unknown:
            parts.append(
                _("unknown columns: %(names)s") % {"names": ", ".join(unknown)}
            )
        raise OrganizationImportError(
            _("The header row is wrong (%(problems)s). Allowed columns: %(allowed)s.")
            % {"problems": "; ".join(parts), "allowed": ", ".join(COLUMNS)}
        )
    rows = list(reader)
    if not rows:
        raise OrganizationImportError(_("The file has a header but no rows."))
    if len(rows) > MAX_ROWS:
        raise OrganizationImportError(
            _("The file has more than %(max)s rows; split it.") % {"max": MAX_ROWS}
        )
    return header, rows


def _validate(rows: list[dict]) -> tuple[list[dict], list[RowError]]:
    existing = {
        org.slug: org for org in Organization.objects.only("pk", "slug", "name")
    }
    by_name = {org.name.lower(): org for org in existing.values()}
    tiers = {tier.slug: tier for tier in Tier.objects.all()}
    seen_names: dict[str, int] = {}
    seen_slugs: dict[str, int] = {}
    valid, errors = [], []
    for line, row in enumerate(rows, start=2):
        data = _normalize(row)
        form = _RowForm(data, tiers=tiers)
        messages = []
        if not form.is_valid():
            for name, field_errors in form.errors.items():
                messages += [f"{name}: {message}" for message in field_errors]
        else:
            clean = form.cleaned_data
            name_key = clean["name"].lower()
            target = existing.get(clean["slug"]) if clean["slug"] else None
            target = target or by_name.get(name_key)
            same_name = by_name.get(name_key)
            if same_name is not None and target is not None and same_name != target:
                messages.append(
                    _("name: “%(name)s” belongs to another organization.")
                    % {"name": clean["name"]}
                )
            if name_key in seen_names:
                messages.append(
                    _("name: “%(name)s” is also on line %(line)s.")
                    % {"name": clean["name"], "line": seen_names[name_key]}
                )
            if clean["slug"] and clean["slug"] in seen_slugs:
                messages.append(
                    _("slug: “%(slug)s” is also on line %(line)s.")
                    % {"slug": clean["slug"], "line": seen_slugs[clean["slug"]]}
                )
            seen_names[name_key] = line
            if clean["slug"]:
                seen_slugs[clean["slug"]] = line
            # What the row says: the columns it has with a filled cell.
            given = {
                name: clean[name]
                for name in CHANGEABLE
                if name in data and data[name] != ""
            }
            valid.append({"given": given, "target": target, "line": line, **clean})
        if messages:
            errors.append(
                RowError(line=line, name=data.get("name", ""), messages=messages)
            )
    return valid, errors


@dataclass
class RowChange:
    """What importing one row does: create or update (``changes``: each field's
    old and new value; none when the row changes nothing)."""

    line: int
    name: str
    created: bool
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _shown(value) -> str:
    if value is None:
        return ""
    return str(getattr(value, "code", value))


def _plan(file) -> list[tuple[Organization, RowChange]]:
    """Return each row's organization with the row applied (not saved) and what
    changes; raise OrganizationImportError naming every bad row."""
    _header, rows = _read(file)
    valid, errors = _validate(rows)
    if errors:
        raise OrganizationImportError(
            _("%(count)s of %(total)s rows have errors; nothing was imported.")
            % {"count": len(errors), "total": len(rows)},
            rows=errors,
        )
    targets = [data["target"].pk for data in valid if data["target"] is not None]
    current = Organization.objects.select_related("tier").in_bulk(targets)
    plan = []
    for data in valid:
        target = current.get(data["target"].pk) if data["target"] else None
        given = data["given"]
        slug = data["slug"]
        if target is None:
            organization = Organization(
                slug=slug or organization_slug_for(data["name"]),
                status=Organization.Status.ACTIVE,
            )
        else:
            organization = target
        changes = []
        for name in ("slug", *CHANGEABLE):
            value = slug if name == "slug" else given.get(name)
            if name == "slug" and (not slug or target is None):
                continue
            if name not in given and name != "slug":
                continue
            old = getattr(organization, name)
            if _shown(old) != _shown(value):
                changes.append((name, _shown(old), _shown(value)))
                setattr(organization, name, value)
        if target is None:
            changes = [(name, "", new) for name, _old, new in changes]
        plan.append(
            (
                organization,
                RowChange(
                    line=data["line"],
                    name=data["name"],
                    created=target is None,
                    changes=changes,
                ),
            )
        )
    return plan


def organization_import_preview(*, file) -> list[RowChange]:
    """Return what importing the file would change, row by row, writing
    nothing; raise OrganizationImportError naming every bad row."""
    return [change for _organization, change in _plan(file)]


@transaction.atomic
def organization_import_csv(*, file) -> dict[str, int]:
    """Create or update organizations from a CSV file (matched by slug, else by
    name); raise OrganizationImportError naming every bad row and write nothing.
    Only filled cells change an existing organization."""
    created = updated = 0
    for organization, change in _plan(file):
        line = change.line
        data = {"name": change.name}
        if not change.created and not change.changes:
            continue
        try:
            organization.full_clean(exclude=["logo"])
        except ValidationError as exc:
            messages = [
                f"{name}: {message}"
                for name, field_errors in exc.message_dict.items()
                for message in field_errors
            ]
            raise OrganizationImportError(
                _("Line %(line)s has errors; nothing was imported.") % {"line": line},
                rows=[RowError(line=line, name=data["name"], messages=messages)],
            ) from None
        organization.save()
        if change.created:
            created += 1
        else:
            updated += 1
    return {"created": created, "updated": updated}
