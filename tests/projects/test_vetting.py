"""The vetting rules: two counting approvals from two organizations, no owners,
rounds, and expiry after the configured period."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from alliance.core.memo import memo_forget
from alliance.notifications.models import Activity, Notification
from alliance.registries.schedules import schedules_sync
from alliance.working_groups.models import WorkingGroupMembership
from members.services.organizations import organization_set_status
from projects.models import CatalogEntry, EntryStatusChange, Review
from projects.services.entries import entry_create, entry_owner_scope, entry_update
from projects.services.team import contribution_join
from projects.services.vetting import (
    catalog_vetting_expire,
    entry_submit_for_vetting,
    review_create,
)
from projects.tasks import catalog_vetting_expire_task
from tests.alliance.factories import WorkingGroupFactory, WorkingGroupMembershipFactory
from tests.projects.conftest import approve
from tests.projects.factories import member_of

V = CatalogEntry.Vetting


def _reload(entry):
    return CatalogEntry.objects.get(pk=entry.pk)


def test_submission_starts_a_round_and_is_logged(submitted_tool, maintainer):
    entry = _reload(submitted_tool)
    assert entry.vetting_status == V.IN_REVIEW
    assert entry.vetting_round == 1
    change = entry.status_changes.filter(field="vetting").get()
    assert (change.old_value, change.new_value, change.actor) == (
        V.NOT_SUBMITTED,
        V.IN_REVIEW,
        maintainer,
    )


def test_one_approval_is_not_enough(submitted_tool, reviewer_factory):
    reviewer, organization = reviewer_factory()
    review = approve(submitted_tool, reviewer, organization)
    assert review.counts is True
    assert _reload(submitted_tool).vetting_status == V.IN_REVIEW


def test_two_approvals_from_the_same_organization_are_not_enough(
    submitted_tool, reviewer_factory
):
    first, organization = reviewer_factory()
    second, _ = reviewer_factory(organization)
    approve(submitted_tool, first, organization)
    approve(submitted_tool, second, organization)
    assert _reload(submitted_tool).vetting_status == V.IN_REVIEW


def test_an_owners_approval_does_not_count(submitted_tool, owner_org, reviewer_factory):
    colleague = member_of(owner_org)  # same organization as the owner, not on team
    outsider, other_org = reviewer_factory()
    own = approve(submitted_tool, colleague, owner_org)
    assert own.counts is False
    approve(submitted_tool, outsider, other_org)
    assert _reload(submitted_tool).vetting_status == V.IN_REVIEW


def test_every_entry_has_an_owner(maintainer, owner_org, focus_area, staff_user):
    # Issue 17, item 2: an entry without an owner let the maintainer's own
    # colleagues approve it.
    entry = entry_create(
        author=maintainer,
        kind="tool",
        name="Ownerless",
        summary="Nobody named an owner.",
        focus_area=focus_area,
    )
    assert list(entry.owners.all()) == [owner_org]
    with pytest.raises(ValidationError) as refused:
        entry_update(
            entry=entry,
            actor=maintainer,
            owners=[],
            owner_scope=entry_owner_scope(maintainer),
        )
    assert "owners" in refused.value.message_dict
    assert list(_reload(entry).owners.all()) == [owner_org]
    with pytest.raises(ValidationError) as refused:
        entry_create(
            author=staff_user,  # staff belong to no organization
            kind="tool",
            name="Staff entry",
            summary="No owner.",
            focus_area=focus_area,
        )
    assert "owners" in refused.value.message_dict
    CatalogEntry.objects.filter(pk=entry.pk).first().owners.clear()
    with pytest.raises(ValidationError):
        entry_submit_for_vetting(entry=entry, actor=maintainer)


def test_approvals_from_the_teams_organizations_do_not_count(
    maintainer, owner_org, focus_area, reviewer_factory
):
    # Issue 17, item 2: the maintainer's colleague approved an entry with no
    # owner, a second organization approved, and it was vetted.
    entry = entry_create(
        author=maintainer,
        kind="tool",
        name="Self-vetted",
        summary="Tries to vet itself.",
        focus_area=focus_area,
    )
    contributor, contributor_org = reviewer_factory()
    contribution_join(entry=entry, user=contributor)
    entry = entry_submit_for_vetting(entry=entry, actor=maintainer)
    colleague = member_of(owner_org)
    assert approve(entry, colleague, owner_org).counts is False
    contributors_colleague = member_of(contributor_org)
    assert approve(entry, contributors_colleague, contributor_org).counts is False
    outsider, other_org = reviewer_factory()
    assert approve(entry, outsider, other_org).counts is True
    assert _reload(entry).vetting_status == V.IN_REVIEW


def test_a_change_that_breaks_independence_sends_the_entry_back_to_review(
    submitted_tool, maintainer, owner_org, reviewer_factory, staff_user
):
    # Issue 17, item 2: the maintainer then named their own organization as
    # owner, and the entry stayed vetted.
    reviews = [reviewer_factory() for _ in range(3)]
    for reviewer, organization in reviews[:2]:
        approve(submitted_tool, reviewer, organization)
    assert _reload(submitted_tool).vetting_status == V.VETTED
    # A change that keeps two independent approvals keeps the vetting.
    unrelated = reviewer_factory()[0]
    contribution_join(entry=submitted_tool, user=unrelated)
    assert _reload(submitted_tool).vetting_status == V.VETTED
    # An approving organization becomes an owner: back to review.
    first_org = reviews[0][1]
    entry_update(entry=submitted_tool, actor=staff_user, owners=[owner_org, first_org])
    entry = _reload(submitted_tool)
    assert entry.vetting_status == V.REVIEW_DUE
    assert entry.vetting_round == 2
    assert Review.objects.get(reviewer=reviews[0][0]).counts is False
    # The same when someone of an approving organization joins the team of a
    # vetted entry.
    for _reviewer, organization in reviews[1:]:
        approve(entry, reviewer_factory(organization)[0], organization)
    assert _reload(entry).vetting_status == V.VETTED
    contribution_join(entry=entry, user=member_of(reviews[2][1]))
    assert _reload(entry).vetting_status == V.REVIEW_DUE


def test_maintainers_cannot_review_their_own_entry(submitted_tool, maintainer):
    from projects.permissions import can_review_entry

    assert can_review_entry(maintainer, submitted_tool) is False


def test_two_organizations_vet_the_entry_and_everyone_hears(
    submitted_tool,
    reviewer_factory,
    maintainer,
    settings,
    django_capture_on_commit_callbacks,
):
    first, first_org = reviewer_factory()
    second, second_org = reviewer_factory()
    with django_capture_on_commit_callbacks(execute=True):
        approve(submitted_tool, first, first_org)
        approve(submitted_tool, second, second_org)
    entry = _reload(submitted_tool)
    assert entry.vetting_status == V.VETTED
    assert entry.is_public
    assert (
        entry.vetting_expires_at == entry.vetted_at + settings.CATALOG_VETTING_VALID_FOR
    )
    assert entry.status_changes.filter(new_value=V.VETTED, actor=second).exists()
    # The maintainer follows implicitly: they hear of both reviews and the vetting.
    kinds = sorted(
        Notification.objects.filter(recipient=maintainer).values_list("kind", flat=True)
    )
    assert kinds == ["entry_vetted", "review_posted", "review_posted"]
    vetted = Notification.objects.get(recipient=maintainer, kind="entry_vetted")
    assert "Safety Scanner" in vetted.title and vetted.url == entry.get_absolute_url()


def test_request_for_changes_ends_the_round_and_resubmission_starts_anew(
    submitted_tool, reviewer_factory, maintainer
):
    first, first_org = reviewer_factory()
    second, second_org = reviewer_factory()
    approve(submitted_tool, first, first_org)
    with pytest.raises(ValidationError) as error:
        review_create(
            entry=submitted_tool, reviewer=second, organization=second_org,
            verdict="request_changes",
        )  # fmt: skip
    assert "Say what must change" in str(error.value)
    review_create(
        entry=submitted_tool,
        reviewer=second,
        organization=second_org,
        verdict="request_changes",
        findings="Add a security contact.",
    )
    assert _reload(submitted_tool).vetting_status == V.CHANGES_REQUESTED
    with pytest.raises(ValidationError, match="not waiting for review"):
        approve(submitted_tool, first, first_org)

    entry = entry_submit_for_vetting(entry=submitted_tool, actor=maintainer)
    assert entry.vetting_round == 2
    # Round 1's approval no longer counts: one more approval is not enough.
    approve(entry, second, second_org)
    assert _reload(entry).vetting_status == V.IN_REVIEW
    approve(entry, first, first_org)
    assert _reload(entry).vetting_status == V.VETTED
    assert Review.objects.filter(entry=entry).count() == 4  # every review stays


def test_a_reviewer_reviews_once_per_round(submitted_tool, reviewer_factory):
    reviewer, organization = reviewer_factory()
    approve(submitted_tool, reviewer, organization)
    with pytest.raises(ValidationError, match="already reviewed"):
        approve(submitted_tool, reviewer, organization)


def test_rejection_is_kept_and_visible(submitted_tool, reviewer_factory):
    reviewer, organization = reviewer_factory()
    review_create(
        entry=submitted_tool,
        reviewer=reviewer,
        organization=organization,
        verdict="reject",
        findings="Not a safety tool.",
    )
    entry = _reload(submitted_tool)
    assert entry.vetting_status == V.REJECTED
    assert list(entry.status_changes.values_list("new_value", flat=True))[0] == (
        V.REJECTED
    )


def test_only_vettable_kinds_can_be_submitted(maintainer, focus_area):
    from projects.services.entries import entry_create

    project = entry_create(
        author=maintainer, kind="project", name="Shared Harness", summary="Joint work.",
        focus_area=focus_area,
    )  # fmt: skip
    assert project.lifecycle == CatalogEntry.Lifecycle.PROPOSED
    with pytest.raises(ValidationError, match="Only tools, models"):
        entry_submit_for_vetting(entry=project, actor=maintainer)


def test_benchmarks_group_chairs_review_whatever_their_tier(
    submitted_tool, owner_org, settings
):
    from members.models import Tier
    from projects.permissions import can_review_entry

    no_review = Tier.objects.create(
        name="Observer", slug="observer", rank=9, may_review_catalog=False
    )
    other = owner_org.__class__.objects.create(
        name="Quiet Org", slug="quiet-org", kind="company", country="DE",
        tier=no_review, status="active",
    )  # fmt: skip
    person = member_of(other)
    assert can_review_entry(person, submitted_tool) is False
    group = WorkingGroupFactory(slug=settings.CATALOG_BENCHMARKS_GROUP_SLUG)
    WorkingGroupMembershipFactory(
        group=group, user=person, role=WorkingGroupMembership.Role.CHAIR
    )
    memo_forget(person)  # as in the next request, which loads the person afresh
    assert can_review_entry(person, submitted_tool) is True


def test_a_lapsed_organizations_reviewers_lose_the_queue_and_the_requests(
    tool, maintainer, reviewer_factory, settings, client
):
    # Issue 17, item 3: a lapsed organization's reviewers (by tier or as chair
    # of the benchmarks group) still saw the review queue and were asked.
    from projects.selectors import catalog_reviewer_ids_to_notify

    group = WorkingGroupFactory(slug=settings.CATALOG_BENCHMARKS_GROUP_SLUG)
    reviewer, organization = reviewer_factory()
    WorkingGroupMembershipFactory(
        group=group, user=reviewer, role=WorkingGroupMembership.Role.CHAIR
    )
    entry = entry_submit_for_vetting(entry=tool, actor=maintainer)
    assert reviewer.pk in catalog_reviewer_ids_to_notify(entry)
    client.force_login(reviewer)
    assert entry.name in client.get("/projects/review-queue/").content.decode()
    organization_set_status(organization=organization, status="lapsed")
    assert reviewer.pk not in catalog_reviewer_ids_to_notify(entry)
    assert client.get("/projects/review-queue/").status_code in (403, 404)
    assert client.get(f"/projects/{entry.slug}/review/").status_code in (403, 404)


def test_review_requests_go_to_reviewers_of_the_groups_not_the_team(
    tool, maintainer, reviewer_factory, settings, django_capture_on_commit_callbacks
):
    group = WorkingGroupFactory(slug=settings.CATALOG_BENCHMARKS_GROUP_SLUG)
    reviewer, _ = reviewer_factory()
    bystander, _ = reviewer_factory()
    for person in (reviewer, maintainer):
        WorkingGroupMembershipFactory(group=group, user=person)
    with django_capture_on_commit_callbacks(execute=True):
        entry_submit_for_vetting(entry=tool, actor=maintainer)
    asked = set(
        Notification.objects.filter(kind="review_requested").values_list(
            "recipient_id", flat=True
        )
    )
    assert asked == {reviewer.pk}
    assert bystander.pk not in asked


def _vet(entry, reviewer_factory):
    for _ in range(2):
        reviewer, organization = reviewer_factory()
        approve(entry, reviewer, organization)
    return _reload(entry)


def test_expiry_returns_the_entry_to_review_due_and_notifies_once(
    submitted_tool, reviewer_factory, maintainer, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        entry = _vet(submitted_tool, reviewer_factory)
    assert entry.vetting_status == V.VETTED

    with time_machine.travel(start + datetime.timedelta(days=364), tick=False):
        assert catalog_vetting_expire() == 0
    assert _reload(entry).vetting_status == V.VETTED

    with (
        time_machine.travel(start + datetime.timedelta(days=366), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert catalog_vetting_expire_task.delay().get() == 1
        assert catalog_vetting_expire_task.delay().get() == 0  # safe to run twice
    entry = _reload(entry)
    assert entry.vetting_status == V.REVIEW_DUE
    assert entry.is_public is False
    assert entry.vetting_round == 2
    due = Notification.objects.filter(recipient=maintainer, kind="vetting_due")
    assert due.count() == 1
    assert "needs a new review" in due.get().title
    assert Activity.objects.filter(kind="vetting_due").count() == 1
    change = entry.status_changes.filter(new_value=V.REVIEW_DUE).get()
    assert change.actor is None and "expired" in change.note

    # Reviewers vet it again in the new round.
    entry = _vet(entry, reviewer_factory)
    assert entry.vetting_status == V.VETTED


def test_expiry_period_follows_the_setting(submitted_tool, reviewer_factory, settings):
    settings.CATALOG_VETTING_VALID_FOR = datetime.timedelta(days=30)
    entry = _vet(submitted_tool, reviewer_factory)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=29)):
        assert catalog_vetting_expire() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        assert catalog_vetting_expire() == 1
    assert _reload(entry).vetting_status == V.REVIEW_DUE


def test_substantive_edits_after_vetting_show(
    submitted_tool, reviewer_factory, maintainer
):
    entry = _vet(submitted_tool, reviewer_factory)
    entry = entry_update(entry=entry, actor=maintainer, summary="A new summary.")
    assert entry.changed_since_vetting == []  # the summary is not substance
    entry = entry_update(entry=entry, actor=maintainer, license="Apache-2.0")
    entry = entry_update(
        entry=entry, actor=maintainer, repository_url="https://example.org/new"
    )
    assert entry.changed_since_vetting_fields() == ["license", "repository_url"]
    assert entry.vetting_status == V.VETTED
    record = entry.history.first()
    assert record.history_user == maintainer
    assert record.license == "Apache-2.0"


def test_beat_runs_the_expiry_daily(submitted_tool, reviewer_factory):
    schedules_sync()
    schedules_sync()  # idempotent
    task = PeriodicTask.objects.get(
        name="Catalog: return expired vetting to review due"
    )
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute) == ("3", "15")
    from alliance.celery import app

    # What beat runs by that name returns an expired entry to review due.
    entry = _vet(submitted_tool, reviewer_factory)
    later = (
        timezone.now() + settings.CATALOG_VETTING_VALID_FOR + datetime.timedelta(days=1)
    )
    with time_machine.travel(later):
        assert app.tasks[task.task].delay().get() == 1
    assert _reload(entry).vetting_status == V.REVIEW_DUE


def test_status_change_labels_read_well(submitted_tool):
    change = EntryStatusChange.objects.filter(
        entry=submitted_tool, field="vetting"
    ).get()
    assert (change.old_label, change.new_label) == (
        "Not submitted for vetting",
        "In review",
    )
