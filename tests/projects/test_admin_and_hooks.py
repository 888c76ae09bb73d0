"""Staff find and fix entries in the admin; the catalog takes part in data
export, account closing and following."""

from alliance.notifications.models import Notification
from alliance.notifications.selectors import follower_ids
from alliance.notifications.services.subscriptions import subscription_set
from alliance.registries.personal_data import account_closed_run, personal_data_collect
from projects.models import CatalogEntry, Contribution
from tests.projects.conftest import approve


def _vet(entry, reviewer_factory):
    for _ in range(2):
        reviewer, organization = reviewer_factory()
        approve(entry, reviewer, organization)
    return CatalogEntry.objects.get(pk=entry.pk)


def test_admin_lists_filters_and_shows_reviews_inline(
    client, staff_user, submitted_tool, reviewer_factory
):
    reviewer, organization = reviewer_factory()
    approve(submitted_tool, reviewer, organization)
    client.force_login(staff_user)
    listing = client.get(
        "/admin/projects/catalogentry/?vetting_status__exact=in_review&q=scanner"
    )
    assert listing.status_code == 200
    assert "Safety Scanner" in listing.content.decode()
    change = client.get(f"/admin/projects/catalogentry/{submitted_tool.pk}/change/")
    page = change.content.decode()
    assert change.status_code == 200
    assert "Looks good." in page and "Submitted." in page
    history = client.get(f"/admin/projects/catalogentry/{submitted_tool.pk}/history/")
    assert history.status_code == 200
    assert client.get("/admin/projects/review/").status_code == 200


def test_admin_refuses_bad_metadata(client, staff_user, tool):
    client.force_login(staff_user)
    response = client.post(
        f"/admin/projects/catalogentry/{tool.pk}/change/",
        {
            "kind": "tool",
            "name": tool.name,
            "slug": tool.slug,
            "summary": tool.summary,
            "focus_area": tool.focus_area_id,
            "license": "Made-Up",
            "modalities": '["text"]',
            "languages": '["xx"]',
            "hardware": "[]",
            "tags": "[]",
            "contributions-TOTAL_FORMS": 0,
            "contributions-INITIAL_FORMS": 0,
            "reviews-TOTAL_FORMS": 0,
            "reviews-INITIAL_FORMS": 0,
            "status_changes-TOTAL_FORMS": 0,
            "status_changes-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "is not an SPDX license identifier" in page
    assert "“xx” is not an ISO 639 language code" in page
    tool.refresh_from_db()
    assert tool.license == "MIT"


def test_admin_actions_archive_and_ask_for_review(
    client,
    staff_user,
    submitted_tool,
    reviewer_factory,
    maintainer,
    django_capture_on_commit_callbacks,
):
    entry = _vet(submitted_tool, reviewer_factory)
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/projects/catalogentry/",
            {"action": "mark_review_due", "_selected_action": [entry.pk]},
        )
    entry.refresh_from_db()
    assert entry.vetting_status == "review_due"
    assert Notification.objects.filter(
        recipient=maintainer, kind="vetting_due"
    ).exists()
    page = client.post(
        "/admin/projects/catalogentry/",
        {"action": "archive", "_selected_action": [entry.pk]},
    )
    assert "nothing is deleted" in page.content.decode()
    entry.refresh_from_db()
    assert entry.lifecycle != "archived"  # not before staff confirm
    client.post(
        "/admin/projects/catalogentry/",
        {"action": "archive", "_selected_action": [entry.pk], "confirm": "1"},
    )
    entry.refresh_from_db()
    assert entry.lifecycle == "archived"
    assert entry.status_changes.filter(new_value="archived", actor=staff_user).exists()


def test_team_follows_implicitly_and_mutes_win(tool, maintainer, member):
    Contribution.objects.create(entry=tool, user=member)
    assert follower_ids(tool) == {maintainer.pk, member.pk}
    subscription_set(user=member, target=tool, state="mute")
    assert follower_ids(tool) == {maintainer.pk}


def test_personal_data_and_account_closing(
    submitted_tool, maintainer, reviewer_factory
):
    reviewer, organization = reviewer_factory()
    approve(submitted_tool, reviewer, organization)
    mine = personal_data_collect(maintainer)["catalog"]
    assert mine["contributions"][0]["role"] == "maintainer"
    assert mine["entries_submitted"] == [submitted_tool.slug]
    theirs = personal_data_collect(reviewer)["catalog"]
    assert theirs["reviews"][0]["verdict"] == "approve"
    assert theirs["reviews"][0]["checklist"]["license_clear"] is True

    account_closed_run(reviewer)
    account_closed_run(maintainer)
    assert not Contribution.objects.filter(user=maintainer).exists()
    # What the reviewer wrote stays, under the name it was written with.
    reviewer.delete()
    review = submitted_tool.reviews.get()
    assert review.reviewer is None and review.reviewer_name == reviewer.public_name
