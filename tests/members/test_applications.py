"""Applying to join: the form, drafts, submission, staff decisions in the admin
(single and bulk, a reason required to reject), notifications, the API."""

import pytest
from django.core import mail

from alliance.focus_areas.models import FocusArea
from alliance.notifications.models import Notification
from members.models import Affiliation, MembershipApplication, Organization, Tier
from tests.members.factories import (
    ApplicationFactory,
    OrganizationFactory,
    UserFactory,
)

APPLY = "/members/join/apply/"


def _form(**overrides):
    data = {
        "organization_name": "Nimbus Robotics",
        "kind": "company",
        "country": "DE",
        "website": "nimbus.example",
        "description": "We build *open* robot controllers.",
        "focus_areas": [
            FocusArea.objects.get(slug="hardware-acceleration").pk,
            FocusArea.objects.get(slug="open-development").pk,
        ],
        "contribution": "Two engineers and a yearly hackathon.",
        "accept_code_of_conduct": "on",
        "accept_antitrust_policy": "on",
        "action": "submit",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_apply_draft_submit_approve_end_to_end(
    client, db, django_capture_on_commit_callbacks
):
    applicant = UserFactory(name="Nora Applicant")
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(applicant)
    assert "Apply for membership" in client.get("/members/join/").content.decode()

    # A draft may be incomplete; it is kept and can be continued.
    response = client.post(
        APPLY,
        _form(
            action="draft",
            contribution="",
            accept_code_of_conduct=None,
            accept_antitrust_policy=None,
        ),
    )
    application = MembershipApplication.objects.get(applicant=applicant)
    assert response["Location"] == f"/members/applications/{application.pk}/edit/"
    assert application.status == "draft"
    assert client.get(APPLY)["Location"] == response["Location"]

    # Submitting without ticking the policies says what is missing.
    edit = response["Location"]
    response = client.post(
        edit, _form(accept_code_of_conduct=None, accept_antitrust_policy=None)
    )
    html = response.content.decode()
    assert "Accept the code of conduct to submit the application." in html
    assert "Accept the antitrust policy to submit the application." in html
    application.refresh_from_db()
    assert application.status == "draft"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, _form())
    assert response["Location"] == f"/members/applications/{application.pk}/"
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.website == "https://nimbus.example"
    assert application.accepted_code_of_conduct_at is not None
    # Staff hear of it, with a link to the admin.
    staff_note = Notification.objects.get(recipient=staff)
    assert staff_note.kind == "application_submitted"
    assert "Nimbus Robotics" in staff_note.title
    assert f"/admin/members/membershipapplication/{application.pk}/" in staff_note.url
    # The applicant sees the status on their dashboard; the draft cannot change.
    dashboard = client.get("/dashboard/").content.decode()
    assert "Nimbus Robotics" in dashboard and "Submitted" in dashboard
    assert client.get(edit)["Location"] == f"/members/applications/{application.pk}/"
    assert client.get("/members/people/").status_code == 403

    # Staff approve it in the admin, with a tier.
    client.force_login(staff)
    change = client.get(
        f"/admin/members/membershipapplication/{application.pk}/change/"
    )
    assert "Approve…" in change.content.decode()
    founding = Tier.objects.get(slug="founding")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/members/membershipapplication/{application.pk}/approve/",
            {"tier": founding.pk, "reason": "Welcome aboard."},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    organization = application.organization
    assert application.status == "approved"
    assert application.decided_by == staff
    assert organization.name == "Nimbus Robotics"
    assert organization.status == "active" and organization.tier == founding
    assert organization.renewal_due is not None and organization.member_since
    assert set(organization.focus_areas.values_list("slug", flat=True)) == {
        "hardware-acceleration",
        "open-development",
    }
    contact = Affiliation.objects.get(user=applicant, organization=organization)
    assert (contact.role, contact.status) == ("primary_contact", "active")
    assert contact.source == "application"

    # The applicant is told, by notification and by email.
    note = Notification.objects.get(recipient=applicant, kind="application_approved")
    assert "Nimbus Robotics is now a member" in note.title
    message = mail.outbox[-1]
    assert message.to == [applicant.email]
    assert "Welcome aboard." in message.body
    assert f"/members/{organization.slug}/" in message.body

    client.force_login(applicant)
    dashboard = client.get("/dashboard/").content.decode()
    assert "Approved" in dashboard and "Manage" in dashboard
    assert client.get("/members/people/").status_code == 200
    assert client.get(f"/members/{organization.slug}/manage/").status_code == 200


def test_rejection_needs_a_reason_and_the_applicant_reads_it(
    client, db, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(applicant=UserFactory(language="en"))
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(*_perms("change_membershipapplication"))
    client.force_login(staff)
    url = f"/admin/members/membershipapplication/{application.pk}/reject/"
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "Please describe concrete open projects."})
    application.refresh_from_db()
    assert application.status == "rejected"
    assert application.decision_reason == "Please describe concrete open projects."
    assert not Organization.objects.filter(name=application.organization_name).exists()
    message = mail.outbox[-1]
    assert message.to == [application.applicant.email]
    assert "was not approved" in message.body
    assert "Please describe concrete open projects." in message.body
    # A decided application cannot be decided again.
    response = client.post(
        f"/admin/members/membershipapplication/{application.pk}/approve/", {}
    )
    assert "only a submitted application can be approved" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "rejected"
    # The applicant reads the reason and may apply again.
    client.force_login(application.applicant)
    page = client.get(f"/members/applications/{application.pk}/").content.decode()
    assert "Please describe concrete open projects." in page
    assert client.get(APPLY).status_code == 200


def _perms(*codenames):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename__in=codenames)


def _changelist_action(client, action, applications, follow=False, **extra):
    return client.post(
        "/admin/members/membershipapplication/?status=all",
        {
            "action": action,
            "_selected_action": [a.pk for a in applications],
            **extra,
        },
        follow=follow,
    )


def test_bulk_review_approve_and_reject_from_the_queue(client, staff_user):
    first, second, third = ApplicationFactory.create_batch(3)
    draft = ApplicationFactory(status="draft", submitted_at=None)
    client.force_login(staff_user)
    queue = client.get("/admin/members/membershipapplication/").content.decode()
    assert first.organization_name in queue
    assert draft.organization_name not in queue  # the queue defaults to awaiting

    _changelist_action(client, "start_review", [first, second])
    first.refresh_from_db()
    assert first.status == "under_review"

    # Bulk approval shows the applications and asks for the tier first.
    page = _changelist_action(client, "approve_selected", [first, draft])
    assert page.status_code == 200
    first.refresh_from_db()
    assert first.status == "under_review"
    response = _changelist_action(
        client, "approve_selected", [first, draft], follow=True, apply="1"
    )
    first.refresh_from_db()
    draft.refresh_from_db()
    assert first.status == "approved"
    assert draft.status == "draft"  # refused, and said so
    html = response.content.decode()
    assert "1 application approved; the applicant was notified." in html
    assert "only a submitted application can be approved" in html

    # Bulk rejection asks for one reason first.
    page = _changelist_action(client, "reject_selected", [second, third])
    assert page.status_code == 200
    assert "Reason for the rejection" in page.content.decode()
    second.refresh_from_db()
    assert second.status == "under_review"
    _changelist_action(client, "reject_selected", [second, third], apply="1", reason="")
    second.refresh_from_db()
    assert second.status == "under_review"
    _changelist_action(
        client, "reject_selected", [second, third], apply="1", reason="Not now."
    )
    for application in (second, third):
        application.refresh_from_db()
        assert application.status == "rejected"
        assert application.decision_reason == "Not now."


def test_approval_activates_an_existing_organization_instead_of_duplicating(
    staff_user,
):
    from members.services.applications import application_approve

    lapsed = OrganizationFactory(name="Returning Lab", status="lapsed")
    application = ApplicationFactory(organization_name="returning lab")
    application_approve(application=application, decided_by=staff_user)
    lapsed.refresh_from_db()
    assert lapsed.status == "active"
    assert Organization.objects.filter(name__iexact="returning lab").count() == 1
    assert application.applicant.affiliations.get().organization == lapsed


def test_an_active_member_cannot_apply_again_under_its_name(client, db):
    OrganizationFactory(name="Existing Member")
    client.force_login(UserFactory())
    response = client.post(APPLY, _form(organization_name="existing member"))
    html = response.content.decode()
    assert "Existing Member is already a member" in html
    assert 'value="existing member"' in html  # what they typed is still there
    assert not MembershipApplication.objects.exists()


def test_withdraw_an_application(client, db):
    application = ApplicationFactory()
    client.force_login(application.applicant)
    response = client.post(f"/members/applications/{application.pk}/withdraw/")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "withdrawn"
    page = client.get(response["Location"]).content.decode()
    assert "has been withdrawn" in page
    # Twice is a clear message, not an error page.
    response = client.post(
        f"/members/applications/{application.pk}/withdraw/", follow=True
    )
    assert "can no longer be withdrawn" in response.content.decode()


# --- API ------------------------------------------------------------------------

API_BODY = {
    "organization_name": "Orbit Data",
    "kind": "non_profit",
    "country": "NL",
    "website": "https://orbit.example",
    "focus_areas": ["public-education"],
    "contribution": "Teaching material.",
    "accept_code_of_conduct": True,
    "accept_antitrust_policy": True,
}


def test_api_create_ignores_what_only_staff_may_set(api_client, db):
    person = UserFactory()
    other_org = OrganizationFactory(name="Someone Else")
    api_client.force_authenticate(person)
    response = api_client.post(
        "/api/v1/applications/",
        {
            **API_BODY,
            "status": "approved",
            "tier": "founding",
            "organization": other_org.slug,
            "decided_by": 1,
            "decision_reason": "self-approved",
            "applicant": 999,
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "submitted"
    assert body["organization"] is None
    assert body["decision_reason"] == ""
    application = MembershipApplication.objects.get()
    assert application.applicant == person
    assert application.status == "submitted"
    assert application.organization is None and application.decided_by is None
    assert not Affiliation.objects.filter(user=person).exists()
    assert other_org.affiliations.count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"accept_antitrust_policy": False}, "accept_antitrust_policy"),
        ({"focus_areas": []}, "focus_areas"),
        ({"focus_areas": ["no-such-area"]}, "focus_areas"),
        ({"kind": "spaceship"}, "kind"),
        ({"country": "XX"}, "country"),
    ],
)
def test_api_create_refuses_bad_input_and_writes_nothing(api_client, db, change, field):
    api_client.force_authenticate(UserFactory())
    response = api_client.post(
        "/api/v1/applications/", {**API_BODY, **change}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not MembershipApplication.objects.exists()


def test_api_one_open_application_at_a_time(api_client, db):
    person = UserFactory()
    api_client.force_authenticate(person)
    assert api_client.post("/api/v1/applications/", API_BODY).status_code == 201
    response = api_client.post("/api/v1/applications/", API_BODY)
    assert response.status_code == 400
    assert "already have an open application" in str(response.json()["errors"])
    assert MembershipApplication.objects.count() == 1


def test_applications_waiting_appear_in_the_staff_report(admin_client, db):
    import datetime as dt

    from alliance.reports.services import report_period
    from members.models import MembershipApplication
    from tests.members.factories import UserFactory

    period = report_period()
    MembershipApplication.objects.create(
        applicant=UserFactory(),
        organization_name="Contoso Research (fictional)",
        kind="research_lab",
        country="DE",
        status=MembershipApplication.Status.SUBMITTED,
        submitted_at=period.end - dt.timedelta(days=10),
    )
    page = admin_client.get(f"/admin/alliance/staffreport/?week={period.week}")
    html = page.content.decode()
    assert "Applications waiting" in html
    assert "Contoso Research (fictional)" in html
    csv = admin_client.get(
        f"/admin/alliance/staffreport/csv/{period.week}/applications/"
    ).content.decode()
    assert csv.splitlines()[1].endswith(",10")


def test_parallel_submits_of_one_application_give_one_row_and_no_500(
    transactional_db,
):
    """Issue 17 item 10: five parallel POSTs of the same application (a double
    click, a retrying script) made IntegrityErrors; now one is created and the
    others are told why, in the error format."""
    from rest_framework.test import APIClient

    from tests.conftest import need, on_postgres
    from tests.events.test_concurrency import run_together

    need(on_postgres(), "PostgreSQL (set DATABASE_URL)")
    person = UserFactory()

    def submit():
        client = APIClient()
        client.force_authenticate(person)
        response = client.post("/api/v1/applications/", API_BODY, format="json")
        return response.status_code, response.json()

    results = run_together([submit] * 5)
    codes = sorted(code for code, _body in results)
    assert codes == [201, 400, 400, 400, 400]
    for code, body in results:
        if code == 400:
            assert "already have an open application" in str(body["errors"])
    assert MembershipApplication.objects.filter(applicant=person).count() == 1
