"""The weekly staff report: dashboard with server-drawn charts, CSV, email."""

import csv
import datetime as dt
import io

import pytest
from django.core import mail
from django_celery_beat.models import PeriodicTask

from alliance.notifications.models import OutboxEmail
from alliance.registries.schedules import schedules_sync
from alliance.reports.models import StaffReport
from alliance.reports.services import report_period, staff_report_send
from tests.alliance.factories import WorkingGroupFactory, WorkingGroupMembershipFactory
from tests.members.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alliance_data(db):
    org = OrganizationFactory(name="Example Research Lab")
    OrganizationFactory(
        name="Lapsed Labs", status="lapsed", renewal_due=dt.date(2026, 1, 1)
    )
    group = WorkingGroupFactory(name="Open Datasets")
    for _ in range(3):
        WorkingGroupMembershipFactory(group=group, organization=org)
    return org, group


def test_the_dashboard_shows_charts_and_tables(admin_client, alliance_data):
    html = admin_client.get("/admin/alliance/staffreport/").content.decode()
    for title in (
        "Membership by tier and status",
        "Renewals due and lapsed",
        "Working-group sizes and growth",
        "Engagement per organization",
    ):
        assert title in html
    assert html.count('src="data:image/svg+xml;base64,') >= 3
    assert "Open Datasets" in html and "Lapsed Labs" in html


def test_each_table_downloads_as_csv(admin_client, alliance_data):
    week = report_period().week
    response = admin_client.get(f"/admin/alliance/staffreport/csv/{week}/engagement/")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == (
        "Organization,Tier,Groups joined,People in groups,Events attended,"
        "Catalog contributions"
    )
    assert lines[1].startswith("Example Research Lab,General,1,3,0,0")


def test_csv_cells_that_could_start_a_formula_are_neutralized(admin_client, db):
    # A tab or carriage return before a formula hides it from a check of the
    # first visible character; OWASP lists both.
    for name in ("\tTab Labs", "\r=cmd|' /C calc'!A0", "@SUM(A1)", "-Minus Co"):
        OrganizationFactory(name=name)
    week = report_period().week
    response = admin_client.get(f"/admin/alliance/staffreport/csv/{week}/engagement/")
    names = {row[0] for row in csv.reader(io.StringIO(response.content.decode()))}
    assert {"'\tTab Labs", "'\r=cmd|' /C calc'!A0", "'@SUM(A1)", "'-Minus Co"} <= names
    assert not {"\tTab Labs", "\r=cmd|' /C calc'!A0"} & names


def test_members_cannot_open_the_dashboard(client, member):
    client.force_login(member)
    response = client.get("/admin/alliance/staffreport/")
    assert response.status_code == 302  # to the admin login


def test_the_report_is_emailed_to_staff_once_a_week(
    alliance_data, django_capture_on_commit_callbacks
):
    staff = UserFactory(is_staff=True, language="de")
    UserFactory()  # not staff
    with django_capture_on_commit_callbacks(execute=True):
        report = staff_report_send()
        assert staff_report_send() is None  # same week: not again
    assert StaffReport.objects.get().week == report.week
    (message,) = mail.outbox
    assert message.to == [staff.email]
    assert message.subject.startswith("[AI Alliance] Wochenbericht")
    assert "Engagement je Organisation" in message.body
    email = OutboxEmail.objects.get()
    assert {a["mimetype"] for a in email.attachments} == {"image/png"}
    assert message.mixed_subtype == "related"
    assert "cid:chart-engagement" in message.alternatives[0][0]


def test_schedules_live_in_celery_beat_tables_and_keep_staff_edits(db):
    schedules_sync()
    PeriodicTask.objects.filter(task__endswith="digest_send_due_task").update(
        enabled=False
    )
    schedules_sync()  # migrating again changes nothing staff edited
    tasks = dict(PeriodicTask.objects.values_list("task", "enabled"))
    assert tasks["alliance.tasks.delivery_sweep_task"] is True
    assert tasks["alliance.tasks.digest_send_due_task"] is False
    assert tasks["alliance.tasks.staff_report_send_task"] is True


def test_events_and_catalog_add_their_sections_and_engagement(admin_client):
    from projects.models import CatalogEntry
    from tests.events.factories import EventFactory, RegistrationFactory
    from tests.projects.factories import VettedEntryFactory, member_of

    period = report_period()
    org = OrganizationFactory(name="Example Research Lab")
    event = EventFactory(
        title="Evaluation Day",
        starts_at=period.start + dt.timedelta(days=2, hours=9),
        ends_at=period.start + dt.timedelta(days=2, hours=12),
    )
    for attended in (True, True, False):
        RegistrationFactory(
            event=event, user=member_of(org), organization=org, attended=attended
        )
    VettedEntryFactory(
        name="Red Team Harness",
        vetted_at=period.start + dt.timedelta(days=1),
        maintainers=[member_of(org)],
    )
    VettedEntryFactory(
        name="Old Benchmark", vetting_status=CatalogEntry.Vetting.REVIEW_DUE
    )

    html = admin_client.get(f"/admin/alliance/staffreport/?week={period.week}")
    html = html.content.decode()
    assert "Events held and attendance" in html and "Evaluation Day" in html
    assert "Catalog entries vetted and due" in html
    assert "Red Team Harness" in html and "Old Benchmark" in html

    csv = admin_client.get(
        f"/admin/alliance/staffreport/csv/{period.week}/events_held/"
    ).content.decode()
    assert "Evaluation Day" in csv and ",3,0,2" in csv  # 3 confirmed, 2 attended
    engagement = admin_client.get(
        f"/admin/alliance/staffreport/csv/{period.week}/engagement/"
    ).content.decode()
    row = next(
        line
        for line in engagement.splitlines()
        if line.startswith("Example Research Lab")
    )
    assert row.endswith(",2,1")  # two seats attended, one catalog team place


def test_the_dashboard_opens_on_this_week_to_date(admin_client, db):
    # Submitted today: last week's report would say nothing is waiting.
    from tests.members.factories import ApplicationFactory

    ApplicationFactory(organization_name="Friday Applicant")
    response = admin_client.get("/admin/alliance/staffreport/")
    html = response.content.decode()
    assert response.context["period"].week == dt.date.today().strftime("%G-W%V")
    assert "This week so far" in html
    assert "Friday Applicant" in html
    assert "No application is waiting" not in html


@pytest.mark.parametrize("week", ["9999-W52", "0001-W01", "1899-W10", "2026-W60"])
def test_a_week_out_of_range_is_refused_clearly_on_the_page_and_in_the_csv(
    admin_client, db, week
):
    page = admin_client.get(f"/admin/alliance/staffreport/?week={week}")
    assert page.status_code == 400
    assert "is not a week like 2026-W47 between 2000 and 2100" in (
        page.content.decode()
    )
    csv_response = admin_client.get(
        f"/admin/alliance/staffreport/csv/{week}/engagement/"
    )
    assert csv_response.status_code == 400
    assert "between 2000 and 2100" in csv_response.content.decode()


def test_count_charts_have_whole_number_ticks():
    from alliance.registries.report_sections import Chart
    from alliance.reports.services import chart_svg

    for kind in ("bar", "barh", "line"):
        svg = chart_svg(Chart(kind=kind, labels=["A", "B"], series={"n": [1, 2]}))
        assert "<!-- 0.25 -->" not in svg and "<!-- 1.5 -->" not in svg, kind
        assert "<!-- 1 -->" in svg, kind


def test_the_trend_shows_twelve_weeks_of_headline_figures(admin_client, db):
    from tests.members.factories import ApplicationFactory

    three_weeks_ago = dt.datetime.now(dt.UTC) - dt.timedelta(weeks=3)
    ApplicationFactory(submitted_at=three_weeks_ago)
    response = admin_client.get("/admin/alliance/staffreport/")
    (trend,) = [s for s in response.context["sections"] if s["section"].key == "trend"]
    rows = trend["section"].rows
    assert len(rows) == 12
    assert rows[-1][0] == dt.date.today().strftime("%G-W%V")
    by_week = {row[0]: row[1] for row in rows}
    assert by_week[three_weeks_ago.strftime("%G-W%V")] == 1
    assert trend["section"].columns[:3] == [
        "Week",
        "Applications submitted",
        "New member organizations",
    ]
    assert trend["chart_uri"]


def test_rows_of_zeros_are_folded_and_dates_have_one_format(admin_client, db):
    from django.utils import formats

    OrganizationFactory(name="Quiet Org")  # engagement 0 everywhere
    OrganizationFactory(
        name="Lapsed Labs", status="lapsed", renewal_due=dt.date(2026, 1, 1)
    )
    html = admin_client.get("/admin/alliance/staffreport/").content.decode()
    engagement = html.split('id="section-engagement"')[1].split("</section>")[0]
    folded = engagement.split('<details class="zero-rows">')[1]
    assert "Quiet Org" in folded
    assert "1 row with only zeros" in engagement
    renewals = html.split('id="section-renewals"')[1].split("</section>")[0]
    assert formats.date_format(dt.date(2026, 1, 1), "SHORT_DATE_FORMAT") in renewals
    assert "2026-01-01" not in renewals
