"""The admin staff run the membership from: organizations (active by default,
counts, inlines), CSV export and import, and the audit trail."""

import csv
import datetime
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile

from members.models import Organization
from members.services.applications import application_approve
from tests.members.factories import (
    AffiliationFactory,
    ApplicationFactory,
    EmailDomainFactory,
    OrganizationFactory,
)

CHANGELIST = "/admin/members/organization/"


def test_organization_list_defaults_to_active_with_counts(client, cast):
    OrganizationFactory(name="Lapsed Labs", status="lapsed")
    AffiliationFactory(organization=cast.organization, status="pending")
    client.force_login(cast.staff)
    html = client.get(CHANGELIST).content.decode()
    assert "Acme Research" in html and "Lapsed Labs" not in html
    assert "All" in html
    row = html[html.index("Acme Research") :][:2000]
    assert '<td class="field-people">2</td>' in row
    assert '<td class="field-contacts">1</td>' in row
    assert '<td class="field-pending">1</td>' in row
    html = client.get(f"{CHANGELIST}?status=all").content.decode()
    assert "Lapsed Labs" in html
    html = client.get(f"{CHANGELIST}?status=lapsed").content.decode()
    assert "Lapsed Labs" in html and "Acme Research" not in html


def test_organization_search_by_domain_and_change_page_with_inlines(client, cast):
    EmailDomainFactory(organization=cast.organization, domain="acme.example")
    client.force_login(cast.staff)
    html = client.get(f"{CHANGELIST}?q=acme.example").content.decode()
    assert "Acme Research" in html and "Globex Labs" not in html
    page = client.get(f"{CHANGELIST}{cast.organization.pk}/change/").content.decode()
    assert cast.member.public_name in page  # affiliation inline
    assert "acme.example" in page  # domain inline


def test_organization_list_queries_do_not_grow(
    client, cast, django_assert_max_num_queries
):
    client.force_login(cast.staff)
    client.get(CHANGELIST)
    for _ in range(30):
        org = OrganizationFactory()
        AffiliationFactory(organization=org)
    with django_assert_max_num_queries(20):
        assert client.get(CHANGELIST).status_code == 200


def _rows(response):
    text = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def test_export_members_and_contacts_as_csv(client, cast):
    tricky = OrganizationFactory(name="=HYPERLINK(evil)")
    client.force_login(cast.staff)
    selected = [cast.organization.pk, tricky.pk]
    response = client.post(
        f"{CHANGELIST}?status=all",
        {"action": "export_members_csv", "_selected_action": selected},
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response)
    assert rows[0][:3] == ["name", "slug", "kind"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Acme Research"][5] == "active"
    assert by_name["Acme Research"][9:] == ["2", "1"]
    assert "'=HYPERLINK(evil)" in by_name  # never a live formula

    response = client.post(
        f"{CHANGELIST}?status=all",
        {"action": "export_contacts_csv", "_selected_action": selected},
    )
    rows = _rows(response)
    assert rows[0] == ["organization", "name", "email", "role", "since", "language"]
    assert [row[2] for row in rows[1:]] == [cast.contact.email]
    assert rows[1][3] == "primary_contact"


def _upload(text):
    return SimpleUploadedFile("orgs.csv", text.encode("utf-8"), "text/csv")


GOOD = """name,kind,country,tier,status,member_since,renewal_due,website
Delta Institute,university,DE,academic-non-profit,active,2024-01-15,2027-01-15,https://delta.example
Acme Research,company,US,founding,active,,,
"""
ONE_BAD = """name,kind,country,tier
Epsilon AG,company,DE,general
Zeta Corp,spaceship,DE,general
Eta Lab,research_lab,ZZ,general
"""


def _preview_and_apply(client, text):
    """Upload the file, then apply the changes the preview showed; return both
    pages."""
    preview = client.post(f"{CHANGELIST}import/", {"file": _upload(text)})
    assert preview.status_code == 200
    signed = re.search(r'name="apply" value="([^"]+)"', preview.content.decode())
    done = client.post(f"{CHANGELIST}import/", {"apply": signed[1]}, follow=True)
    return preview.content.decode(), done.content.decode()


def test_csv_import_creates_and_updates(client, cast):
    client.force_login(cast.staff)
    _preview, done = _preview_and_apply(client, GOOD)
    assert "1 organizations created, 1 updated" in done
    delta = Organization.objects.get(name="Delta Institute")
    assert delta.tier.slug == "academic-non-profit"
    assert str(delta.renewal_due) == "2027-01-15"
    cast.organization.refresh_from_db()
    assert cast.organization.country.code == "US"
    assert cast.organization.tier.slug == "founding"


def test_csv_import_shows_every_change_before_writing(client, cast):
    # Issue 17, item 8: the import wrote at once; staff now see each change.
    client.force_login(cast.staff)
    before = Organization.objects.count()
    preview, done = _preview_and_apply(client, GOOD)
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td>", preview)
    assert ("2", "Delta Institute", "new organization") in rows
    assert ("3", "Acme Research", "update") in rows
    assert "<td>country</td><td>CH</td><td>US</td>" in preview
    assert Organization.objects.count() == before + 1  # written by the apply only
    # A tampered file is refused.
    response = client.post(f"{CHANGELIST}import/", {"apply": "forged"})
    assert response.status_code == 400


def test_csv_import_changes_only_what_the_file_says(client, cast):
    # Issue 17, item 8: a row with just name,kind,country for a lapsed
    # organization reported "1 updated" and left it active, with no tier, no
    # dates, no website and no description: its people regained member access.
    lapsed = cast.organization
    Organization.objects.filter(pk=lapsed.pk).update(
        status="lapsed",
        website="https://acme.example",
        description="What we do.",
        member_since=datetime.date(2020, 1, 1),
        renewal_due=datetime.date(2025, 1, 1),
    )
    lapsed.refresh_from_db()
    tier = lapsed.tier
    client.force_login(cast.staff)
    row = f"name,kind,country,website,tier,status\n{lapsed.name},company,DE,,,\n"
    preview, done = _preview_and_apply(client, row)
    assert "<td>country</td><td>CH</td><td>DE</td>" in preview
    for field in ("status", "tier", "website", "renewal_due", "description"):
        assert f"<td>{field}</td>" not in preview
    lapsed.refresh_from_db()
    assert lapsed.status == "lapsed"
    assert lapsed.tier == tier
    assert lapsed.website == "https://acme.example"
    assert lapsed.description == "What we do."
    assert str(lapsed.member_since) == "2020-01-01"
    assert str(lapsed.renewal_due) == "2025-01-01"
    assert lapsed.country.code == "DE"
    # A status the file states is applied.
    _preview_and_apply(
        client, f"name,kind,country,status\n{lapsed.name},company,DE,active\n"
    )
    lapsed.refresh_from_db()
    assert lapsed.status == "active"


def test_csv_import_with_bad_rows_writes_nothing_and_names_them(client, cast):
    client.force_login(cast.staff)
    before = Organization.objects.count()
    response = client.post(f"{CHANGELIST}import/", {"file": _upload(ONE_BAD)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "2 of 3 rows have errors; nothing was imported." in html
    assert "<td>3</td><td>Zeta Corp</td>" in html
    assert "kind: Select a valid choice. spaceship is not one of the available" in html
    assert "<td>4</td><td>Eta Lab</td>" in html
    assert "country: Select a valid choice." in html
    assert "Epsilon AG</td>" not in html
    assert Organization.objects.count() == before
    assert not Organization.objects.filter(name="Epsilon AG").exists()


def test_csv_import_explains_a_wrong_header_and_duplicates(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        f"{CHANGELIST}import/", {"file": _upload("title,kind\nX,company\n")}
    )
    html = response.content.decode()
    assert "missing columns: name, country" in html
    assert "unknown columns: title" in html
    semicolons = "name;kind;country\nTheta;company;DE\ntheta;company;FR\n"
    response = client.post(f"{CHANGELIST}import/", {"file": _upload(semicolons)})
    assert "“theta” is also on line 2." in response.content.decode()
    assert not Organization.objects.filter(name__iexact="theta").exists()


def test_history_shows_who_changed_what(client, cast):
    client.force_login(cast.contact)
    client.post(
        "/members/acme-research/manage/",
        {"website": "https://acme.example", "description": "We changed this."},
    )
    client.force_login(cast.staff)
    page = client.get(f"{CHANGELIST}{cast.organization.pk}/history/").content.decode()
    assert cast.contact.public_name in page
    assert "description" in page.lower() and "We changed this." in page

    application = ApplicationFactory()
    application_approve(application=application, decided_by=cast.staff)
    page = client.get(
        f"/admin/members/membershipapplication/{application.pk}/history/"
    ).content.decode()
    assert "Approved" in page or "approved" in page
    affiliation = cast.member.affiliations.get()
    client.force_login(cast.contact)
    client.post(
        f"/members/acme-research/manage/people/{affiliation.pk}/role/",
        {"role": "representative"},
    )
    client.force_login(cast.staff)
    page = client.get(
        f"/admin/members/affiliation/{affiliation.pk}/history/"
    ).content.decode()
    assert "representative" in page and cast.contact.public_name in page


def test_application_queue_is_the_default_view(client, cast):
    waiting = ApplicationFactory(organization_name="Waiting Org")
    done = ApplicationFactory(organization_name="Done Org", status="rejected")
    client.force_login(cast.staff)
    html = client.get("/admin/members/membershipapplication/").content.decode()
    assert waiting.organization_name in html and done.organization_name not in html
    html = client.get(
        "/admin/members/membershipapplication/?status=all"
    ).content.decode()
    assert done.organization_name in html
