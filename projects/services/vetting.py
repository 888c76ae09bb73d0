"""Vetting: submission, reviews, the two-organization rule and expiry."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from alliance.core.markdown import validate_markdown
from alliance.notifications.services.activities import activity_record
from members.models import Organization, User
from projects.models import CatalogEntry, Contribution, EntryStatusChange, Review
from projects.selectors import (
    catalog_reviewer_ids_to_notify,
    entry_dependent_organization_ids,
    reviewer_organizations,
)
from projects.services.entries import NO_OWNER, status_change_log

E = CatalogEntry
APPROVALS_NEEDED = 2


def _context(entry: CatalogEntry, **extra) -> dict:
    return {"name": entry.name, "url": entry.get_absolute_url(), **extra}


def _set_vetting(entry: CatalogEntry, status: str, *, actor=None, note="") -> None:
    old = entry.vetting_status
    entry.vetting_status = status
    status_change_log(
        entry=entry,
        field=EntryStatusChange.Field.VETTING,
        old=old,
        new=status,
        actor=actor,
        note=note,
    )


def _save(entry: CatalogEntry, actor, *fields: str) -> None:
    entry._history_user = actor
    entry.save(update_fields=["vetting_status", "updated_at", *fields])


def _locked(entry: CatalogEntry) -> CatalogEntry:
    return CatalogEntry.objects.select_for_update().get(pk=entry.pk)


@transaction.atomic
def entry_submit_for_vetting(*, entry: CatalogEntry, actor) -> CatalogEntry:
    """Ask the reviewers to vet a tool, model, dataset or benchmark; a new round of
    reviews starts."""
    entry = _locked(entry)
    if not entry.is_vettable:
        raise ValidationError(
            _("Only tools, models, datasets and benchmarks are vetted.")
        )
    if entry.lifecycle == E.Lifecycle.ARCHIVED:
        raise ValidationError(_("Archived entries cannot be submitted for vetting."))
    if entry.vetting_status not in E.SUBMITTABLE:
        raise ValidationError(
            _("This entry cannot be submitted now: it is “%(status)s”.")
            % {"status": entry.get_vetting_status_display()}
        )
    if not entry.owners.exists():
        raise ValidationError({"owners": NO_OWNER})
    entry.vetting_round += 1
    entry.vetting_requested_at = timezone.now()
    _set_vetting(
        entry, E.Vetting.IN_REVIEW, actor=actor, note=gettext_noop("Submitted.")
    )
    _save(entry, actor, "vetting_round", "vetting_requested_at")
    reviewer_ids = catalog_reviewer_ids_to_notify(entry)
    activity_record(
        kind="review_requested",
        target=entry,
        actor=actor,
        recipients=User.objects.filter(pk__in=reviewer_ids),
        context=_context(entry, by=actor.public_name, kind=entry.kind),
    )
    return entry


def review_counts(
    *,
    organization_id: int | None,
    reviewer_id: int | None,
    entry: CatalogEntry,
    dependent: set[int] | None = None,
) -> bool:
    """Return whether an approval by this reviewer for this organization counts:
    for a member organization independent of the entry (neither an owner nor the
    organization of anyone on its team), by someone not on its team."""
    if organization_id is None:
        return False
    if dependent is None:
        dependent = entry_dependent_organization_ids(entry)
    if organization_id in dependent:
        return False
    return not entry.contributions.filter(user_id=reviewer_id).exists()


def entry_approving_organization_ids(entry: CatalogEntry) -> set[int]:
    """Return the organizations whose approvals count in the entry's current
    round, judged by its owners and team as they are now."""
    approvals = entry.reviews.filter(
        round=entry.vetting_round, verdict=Review.Verdict.APPROVE
    )
    dependent = entry_dependent_organization_ids(entry)
    return {
        review.organization_id
        for review in approvals
        if review_counts(
            organization_id=review.organization_id,
            reviewer_id=review.reviewer_id,
            entry=entry,
            dependent=dependent,
        )
    }


def entry_independence_recheck(*, entry: CatalogEntry, actor) -> bool:
    """After a change of the entry's owners or team: mark which approvals of the
    current round still count, and send a vetted entry back to review when fewer
    than two independent organizations approved it. Return whether it went back."""
    entry = _locked(entry)
    dependent = entry_dependent_organization_ids(entry)
    for review in entry.reviews.filter(
        round=entry.vetting_round, verdict=Review.Verdict.APPROVE
    ):
        counts = review_counts(
            organization_id=review.organization_id,
            reviewer_id=review.reviewer_id,
            entry=entry,
            dependent=dependent,
        )
        if counts != review.counts:
            review.counts = counts
            review.save(update_fields=["counts"])
    if entry.vetting_status != E.Vetting.VETTED:
        return False
    if len(entry_approving_organization_ids(entry)) >= APPROVALS_NEEDED:
        return False
    _return_to_review(
        entry,
        actor=actor,
        note=gettext_noop(
            "The owners or the team changed: the approvals no longer come from "
            "two independent organizations."
        ),
    )
    return True


def review_organization_for(reviewer, organization: Organization | None):
    """Return the organization a review is posted for: the one chosen, which must
    be one the reviewer may review for, else their first (None when they have
    none)."""
    allowed = reviewer_organizations(reviewer)
    if organization is None:
        return allowed[0] if allowed else None
    if organization not in allowed:
        raise ValidationError(
            {"organization": _("You can only review for your own organizations.")}
        )
    return organization


@transaction.atomic
def review_create(
    *,
    entry: CatalogEntry,
    reviewer,
    verdict: str,
    findings: str = "",
    organization: Organization | None = None,
    license_clear: bool = False,
    documentation_adequate: bool = False,
    maintained_recently: bool = False,
    security_contact_given: bool = False,
    evaluation_evidence_given: bool = False,
) -> Review:
    """Post a review; two counting approvals from two organizations vet the entry,
    a request for changes or a rejection ends the round."""
    entry = _locked(entry)
    if entry.vetting_status not in E.REVIEWABLE:
        raise ValidationError(
            _("This entry is not waiting for review: it is “%(status)s”.")
            % {"status": entry.get_vetting_status_display()}
        )
    if verdict not in Review.Verdict.values:
        raise ValidationError(
            {"verdict": _("Choose approve, request changes or reject.")}
        )
    findings = (findings or "").strip()
    try:
        validate_markdown(findings)
    except ValidationError as exc:
        raise ValidationError({"findings": exc.messages}) from exc
    if verdict != Review.Verdict.APPROVE and not findings:
        raise ValidationError(
            {"findings": _("Say what must change, or why you reject the entry.")}
        )
    if Review.objects.filter(
        entry=entry, reviewer=reviewer, round=entry.vetting_round
    ).exists():
        raise ValidationError(_("You have already reviewed this entry in this round."))
    review = Review.objects.create(
        entry=entry,
        reviewer=reviewer,
        reviewer_name=reviewer.public_name,
        organization=organization,
        round=entry.vetting_round,
        verdict=verdict,
        findings=findings,
        license_clear=license_clear,
        documentation_adequate=documentation_adequate,
        maintained_recently=maintained_recently,
        security_contact_given=security_contact_given,
        evaluation_evidence_given=evaluation_evidence_given,
        counts=verdict == Review.Verdict.APPROVE
        and review_counts(
            organization_id=organization.pk if organization else None,
            reviewer_id=reviewer.pk,
            entry=entry,
        ),
    )
    activity_record(
        kind="review_posted",
        target=entry,
        actor=reviewer,
        audience=entry,
        context=_context(entry, reviewer=reviewer.public_name, verdict=verdict),
    )
    if verdict == Review.Verdict.REQUEST_CHANGES:
        _set_vetting(entry, E.Vetting.CHANGES_REQUESTED, actor=reviewer)
        _save(entry, reviewer)
    elif verdict == Review.Verdict.REJECT:
        _set_vetting(entry, E.Vetting.REJECTED, actor=reviewer)
        _save(entry, reviewer)
    elif (
        len(entry_approving_organization_ids(entry)) >= APPROVALS_NEEDED
        and entry.owners.exists()
    ):
        _vet(entry, actor=reviewer)
    return review


def _vet(entry: CatalogEntry, *, actor) -> None:
    vetted_at = timezone.now()
    entry.vetted_at = vetted_at
    entry.vetting_expires_at = vetted_at + settings.CATALOG_VETTING_VALID_FOR
    entry.vetted_substance = entry.substance()
    _set_vetting(
        entry,
        E.Vetting.VETTED,
        actor=actor,
        note=gettext_noop("Approved by reviewers of two organizations."),
    )
    _save(entry, actor, "vetted_at", "vetting_expires_at", "vetted_substance")
    activity_record(
        kind="entry_vetted",
        target=entry,
        actor=actor,
        audience=entry,
        context=_context(entry, until=entry.vetting_expires_at.date().isoformat()),
    )


def _return_to_review(entry: CatalogEntry, *, actor, note: str) -> None:
    entry.vetting_round += 1
    entry.vetting_requested_at = timezone.now()
    _set_vetting(entry, E.Vetting.REVIEW_DUE, actor=actor, note=note)
    _save(entry, actor, "vetting_round", "vetting_requested_at")
    activity_record(
        kind="vetting_due",
        target=entry,
        actor=actor,
        audience=entry,
        recipients=User.objects.filter(
            catalog_contributions__entry=entry,
            catalog_contributions__role=Contribution.Role.MAINTAINER,
        ),
        context=_context(entry, note=note),
    )


@transaction.atomic
def entry_vetting_expire(*, entry_id: int, now=None) -> bool:
    """Return one vetted entry whose vetting expired to review due and notify its
    maintainers; False when there was nothing to do."""
    now = now or timezone.now()
    entry = CatalogEntry.objects.select_for_update().filter(pk=entry_id).first()
    if (
        entry is None
        or entry.vetting_status != E.Vetting.VETTED
        or entry.vetting_expires_at is None
        or entry.vetting_expires_at > now
    ):
        return False
    _return_to_review(
        entry,
        actor=None,
        note=gettext_noop("The vetting expired; the entry needs a new review."),
    )
    return True


def catalog_vetting_expire(*, now=None) -> int:
    """Return every entry whose vetting expired to review due; return how many."""
    now = now or timezone.now()
    due = CatalogEntry.objects.filter(
        vetting_status=E.Vetting.VETTED, vetting_expires_at__lte=now
    ).values_list("pk", flat=True)
    return sum(entry_vetting_expire(entry_id=pk, now=now) for pk in list(due))


@transaction.atomic
def entry_mark_review_due(*, entry: CatalogEntry, actor, note: str = "") -> bool:
    """Ask for a new review of a vetted entry now (staff); False if not vetted."""
    entry = _locked(entry)
    if entry.vetting_status != E.Vetting.VETTED:
        return False
    _return_to_review(
        entry, actor=actor, note=note or gettext_noop("Staff asked for a new review.")
    )
    return True
