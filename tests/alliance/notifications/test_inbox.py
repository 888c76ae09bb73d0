"""The inbox people read (issue 12 item 6): similar news bundled by kind and
week, excerpts that end on a sentence, relative times with the full local date
on hover, German dates for German readers, mark all read, a filter by group."""

import datetime as dt
import re
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from alliance.core.text import text_excerpt
from alliance.notifications.models import Activity, Notification
from tests.alliance.factories import WorkingGroupFactory

pytestmark = pytest.mark.django_db


def notify(person, kind, n=1, *, ago=dt.timedelta(hours=3), body="", title=None):
    group = WorkingGroupFactory()
    activities = Activity.objects.bulk_create(
        [Activity(kind=kind, target=group) for _ in range(n)]
    )
    when = timezone.now() - ago
    return Notification.objects.bulk_create(
        [
            Notification(
                recipient=person,
                activity=activity,
                kind=kind,
                title=title or f"{kind} {i}",
                body=body,
                url=group.get_absolute_url(),
                created_at=when - dt.timedelta(minutes=i),
                shown_at=when,
            )
            for i, activity in enumerate(activities)
        ]
    )


class Summaries(HTMLParser):
    """The text of each <summary> (a bundle's heading) and each <time>."""

    def __init__(self):
        super().__init__()
        self.summaries, self.times, self._in = [], [], None

    def handle_starttag(self, tag, attrs):
        if tag == "summary":
            self._in = "summary"
            self.summaries.append("")
        if tag == "time":
            self.times.append({**dict(attrs), "text": ""})
            self._in = self._in or "time"

    def handle_endtag(self, tag):
        if tag in ("summary", "time") and self._in == tag:
            self._in = None

    def handle_data(self, data):
        if self._in == "summary":
            self.summaries[-1] += data
        if self.times and self._in in ("time", "summary"):
            self.times[-1]["text"] += data if self._in == "time" else ""


def parse(html):
    """What the inbox's list shows (the page's menus have summaries too)."""
    parser = Summaries()
    parser.feed(html.split('id="notification-items"', 1)[1])
    return parser


def squash(text):
    return " ".join(text.split())


# --- bundles -----------------------------------------------------------------


def test_news_of_one_kind_in_a_week_is_one_line_that_opens_to_the_items(
    member_client, member
):
    notify(member, "organization_joined", 6, ago=dt.timedelta(minutes=5))
    notify(member, "action_item_assigned", 2)  # addressed to them: never bundled
    html = member_client.get("/notifications/").content.decode()
    (summary,) = parse(html).summaries
    assert squash(summary).startswith("6 organizations joined this week 6 unread")
    # The six are inside the bundle, each still readable and markable.
    bundle = html.split('class="notification-bundle unread"')[1].split("</details>")[0]
    assert bundle.count('class="notification unread"') == 6
    assert html.count('class="notification unread"') == 8


def test_a_lone_item_and_other_weeks_are_not_bundled_together(member_client, member):
    notify(member, "organization_joined", 1, ago=dt.timedelta(hours=1))
    notify(member, "catalog_entry_added", 2, ago=dt.timedelta(days=15))
    html = member_client.get("/notifications/").content.decode()
    summaries = [squash(s) for s in parse(html).summaries]
    assert len(summaries) == 1
    assert summaries[0].startswith("2 new catalog entries in the week of ")
    assert "organization_joined 0" in html  # the lone one is a line of its own


def test_bundles_read_in_german(client, member):
    member.language = "de"
    member.save()
    client.force_login(member)
    notify(member, "organization_joined", 3, ago=dt.timedelta(minutes=5))
    html = client.get("/notifications/").content.decode()
    (summary,) = parse(html).summaries
    assert squash(summary).startswith("3 Organisationen beigetreten diese Woche")


# --- excerpts ----------------------------------------------------------------


def test_an_excerpt_drops_the_link_and_the_words_that_introduce_it():
    body = (
        "Ada posted news in the working group Safety: “Red teaming”.\n\n"
        "Read it here:\nhttp://testserver/groups/safety/"
    )
    expected = "Ada posted news in the working group Safety: “Red teaming”."
    assert text_excerpt(body) == expected


def test_a_long_excerpt_ends_on_the_last_whole_sentence():
    body = "First sentence here. " + "Second sentence is long. " * 20 + "\n/x/"
    cut = text_excerpt(body, 120)
    assert len(cut) <= 120 and cut.endswith("long.")
    assert not cut.endswith("…")


def test_an_excerpt_without_a_sentence_end_is_cut_at_a_word():
    cut = text_excerpt("word " * 100, 50)
    assert cut.endswith("word…") and len(cut) <= 51


def test_the_inbox_shows_the_excerpt_not_the_lead_in(member_client, member):
    notify(
        member,
        "group_join_decided",
        body="Your request to join Safety was approved.\n\nOpen the group here:\n"
        "http://testserver/groups/safety/",
        title="Join request decided",
    )
    html = member_client.get("/notifications/").content.decode()
    assert "Your request to join Safety was approved.</p>" in html
    assert "Open the group here" not in html


# --- times -------------------------------------------------------------------


def test_times_read_relative_with_the_full_local_date_on_hover(member_client, member):
    member.timezone = "Europe/Berlin"
    member.save()
    (n,) = notify(member, "group_join_decided", ago=dt.timedelta(hours=3))
    html = member_client.get("/notifications/").content.decode()
    (time,) = parse(html).times
    assert time["text"] == "3\xa0hours ago"
    assert time["datetime"] == n.created_at.astimezone(dt.UTC).isoformat(
        timespec="seconds"
    )
    local = n.created_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert time["title"] == date_format(local, "DATETIME_FORMAT")


def test_german_readers_get_german_relative_times_and_dates(client, member):
    member.language = "de"
    member.timezone = "Europe/Berlin"
    member.save()
    client.force_login(member)
    notify(member, "group_join_decided", ago=dt.timedelta(hours=3), title="recent")
    notify(member, "group_role_changed", ago=dt.timedelta(days=40), title="old")
    html = client.get("/notifications/").content.decode()
    recent, old = parse(html).times
    assert re.fullmatch(r"vor 3\sStunden", recent["text"])
    months = "Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober"
    months += "|November|Dezember"
    # An old one shows its date, German style: "26. Oktober 2026".
    assert re.fullmatch(rf"\d{{1,2}}\. ({months}) \d{{4}}", old["text"])
    day = rf"\d{{1,2}}\. ({months}) \d{{4}}"
    assert re.fullmatch(rf"{day} \d{{2}}:\d{{2}}", old["title"])


# --- mark all read, filter, queries -------------------------------------------


def test_mark_all_read_with_htmx_answers_in_place_with_what_happened(
    member_client, member
):
    notify(member, "group_join_decided", 2)
    assert (
        'id="unread-count">2<' in member_client.get("/notifications/").content.decode()
    )
    response = member_client.post("/notifications/read-all/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="notification-items"' in html
    assert "Marked 2 notifications read." in html
    assert 'id="inbox-status"' in html and 'data-hx-swap-oob="true"' in html
    assert 'class="notification unread"' not in html
    assert 'id="unread-count"' not in html  # the bell, swapped in place
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_mark_all_read_needs_a_post_with_csrf(client, member):
    from django.test import Client

    notify(member, "group_join_decided", 1)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    assert strict.get("/notifications/read-all/").status_code == 405
    assert strict.post("/notifications/read-all/").status_code == 403
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_mark_all_read_leaves_what_still_waits_for_the_digest(member_client, member):
    notify(member, "group_join_decided", 1)
    (waiting,) = notify(member, "group_update_posted", 1)
    Notification.objects.filter(pk=waiting.pk).update(shown_at=None)
    response = member_client.post("/notifications/read-all/", follow=True)
    assert "Marked 1 notification read." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.read_at is None


def test_the_filter_by_group_of_kinds_shows_and_marks_only_that_group(
    member_client, member
):
    notify(member, "event_changed", 1, title="An event moved")
    notify(member, "group_join_decided", 1, title="Your join request")
    html = member_client.get("/notifications/?group=events").content.decode()
    assert "An event moved" in html and "Your join request" not in html
    assert '<a href="?group=events" aria-current="page">Events</a>' in html
    response = member_client.post(
        "/notifications/read-all/", {"group": "events"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/notifications/?group=events"
    assert "Marked 1 notification read." in response.content.decode()
    assert Notification.objects.get(title="Your join request").read_at is None


def test_after_mark_all_read_with_htmx_the_page_links_keep_the_filters(
    member_client, member
):
    notify(member, "event_changed", 31, title="An event moved")
    response = member_client.post(
        "/notifications/read-all/",
        {"group": "events", "show": "unread"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "Marked 31 notifications read." in html
    # Unread only: nothing is left, so no page links either.
    assert "You have read everything." in html
    response = member_client.post(
        "/notifications/read-all/", {"group": "events"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert 'href="/notifications/?group=events&amp;page=2">Older</a>' in html
    page = member_client.get("/notifications/?group=events").content.decode()
    assert 'href="/notifications/?group=events&amp;page=2">Older</a>' in page


def test_an_unknown_group_shows_everything(member_client, member):
    notify(member, "event_changed", 1, title="An event moved")
    html = member_client.get("/notifications/?group=nonsense").content.decode()
    assert "An event moved" in html


def test_the_inbox_runs_constant_queries_with_bundles(member_client, member):
    notify(member, "organization_joined", 2)
    notify(member, "group_join_decided", 2)
    member_client.get("/notifications/")
    with CaptureQueriesContext(connection) as few:
        member_client.get("/notifications/")
    notify(member, "organization_joined", 15)
    notify(member, "group_join_decided", 15, ago=dt.timedelta(days=9))
    member_client.get("/notifications/")  # the bell's count, kept per person
    with CaptureQueriesContext(connection) as many:
        member_client.get("/notifications/")
    assert len(many) == len(few)


def test_days_ago_read_as_whole_days_in_german(client, member):
    member.language = "de"
    member.save()
    client.force_login(member)
    notify(member, "group_join_decided", ago=dt.timedelta(days=1, hours=6))
    notify(member, "group_role_changed", ago=dt.timedelta(days=3, hours=1))
    html = client.get("/notifications/").content.decode()
    assert [t["text"] for t in parse(html).times] == ["vor 1 Tag", "vor 3 Tagen"]
