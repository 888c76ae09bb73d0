"""Who gets what: every page and endpoint of the members app, for anonymous
visitors, people without an organization, members of another organization,
members, contacts of the organization and staff, including guessed ids."""

import pytest

from members.models import Affiliation, Organization
from members.services.invitations import invitation_create
from members.services.organizations import organization_logo_set
from tests.members.conftest import ROLES
from tests.members.factories import (
    AffiliationFactory,
    ApplicationFactory,
    OrganizationFactory,
    png_upload,
)

LOGIN = "/accounts/login/"
DETAILED = {"other_member", "member", "contact", "staff"}


def _expect(response, expected):
    if expected == "login":
        assert response.status_code == 302, response
        assert response["Location"].startswith(LOGIN)
    else:
        assert response.status_code == expected, (response.status_code, expected)


PAGE_MATRIX = {
    # path: {role: expected}, "login" means a redirect to sign in
    "/members/": dict.fromkeys(ROLES, 200),
    "/members/acme-research/": dict.fromkeys(ROLES, 200),
    "/members/join/": dict.fromkeys(ROLES, 200),
    "/members/join/apply/": {**dict.fromkeys(ROLES, 200), "anonymous": "login"},
    "/members/people/": {
        "anonymous": "login",
        "outsider": 403,
        "other_member": 200,
        "member": 200,
        "contact": 200,
        "staff": 200,
    },
    "/members/acme-research/manage/": {
        "anonymous": "login",
        "outsider": 403,
        "other_member": 403,
        "member": 403,
        "contact": 200,
        "staff": 200,
    },
    "/members/globex-labs/manage/": {
        "anonymous": "login",
        "outsider": 403,
        "other_member": 403,
        "member": 403,
        "contact": 403,
        "staff": 200,
    },
    "/members/me/data/": {**dict.fromkeys(ROLES, 200), "anonymous": "login"},
    "/members/me/data/download/": {**dict.fromkeys(ROLES, 200), "anonymous": "login"},
    "/members/me/delete/": {**dict.fromkeys(ROLES, 200), "anonymous": "login"},
    # Signed out, missing and hidden alike lead to the sign-in page (issue 12).
    "/members/no-such-organization/": {
        **dict.fromkeys(ROLES, 404),
        "anonymous": "login",
    },
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", PAGE_MATRIX)
def test_pages(as_role, path, role):
    _expect(as_role(role).get(path), PAGE_MATRIX[path][role])


@pytest.mark.parametrize("role", ROLES)
def test_directory_and_organization_page_show_people_only_to_members(
    as_role, cast, role
):
    client = as_role(role)
    contact_name = cast.contact.public_name
    for path in ("/members/", "/members/acme-research/"):
        html = client.get(path).content.decode()
        assert "Acme Research" in html
        assert (contact_name in html) == (role in DETAILED), (path, role)
        # No address is shown unless its owner chose to show it.
        assert cast.contact.email not in html


ORG_STATES = [Organization.Status.LAPSED, Organization.Status.APPLICANT]


@pytest.mark.parametrize("state", ORG_STATES)
@pytest.mark.parametrize("role", ROLES)
def test_inactive_organization_is_visible_only_to_its_people_and_staff(
    as_role, cast, role, state
):
    Organization.objects.filter(pk=cast.organization.pk).update(status=state)
    response = as_role(role).get("/members/acme-research/")
    expected = 200 if role in ("member", "contact", "staff") else 404
    if role == "anonymous":
        expected = "login"  # sent to sign in and back (issue 12)
    _expect(response, expected)
    assert "Acme Research" not in as_role(role).get("/members/").content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_application_pages_belong_to_the_applicant(as_role, cast, role):
    application = ApplicationFactory(applicant=cast.outsider)
    client = as_role(role)
    expected = {"anonymous": "login", "outsider": 200, "staff": 200}.get(role, 404)
    _expect(client.get(f"/members/applications/{application.pk}/"), expected)
    response = client.post(f"/members/applications/{application.pk}/withdraw/")
    expected = {"anonymous": "login", "outsider": 302, "staff": 403}.get(role, 404)
    _expect(response, expected)
    application.refresh_from_db()
    assert (application.status == "withdrawn") == (role == "outsider")


MANAGE_POSTS = [
    ("people/{aff}/approve/", {}),
    ("people/{aff}/decline/", {}),
    ("people/{aff}/end/", {}),
    ("people/{aff}/role/", {"role": "representative"}),
    ("invite/", {"email": "new@example.org", "role": "member", "language": "en"}),
    ("domains/", {"domain": "acme.example"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "data"), MANAGE_POSTS)
def test_only_contacts_and_staff_manage(as_role, cast, role, action, data):
    pending = AffiliationFactory(
        organization=cast.organization, status=Affiliation.Status.PENDING
    )
    url = f"/members/acme-research/manage/{action.format(aff=pending.pk)}"
    response = as_role(role).post(url, data)
    expected = {"anonymous": "login", "contact": 302, "staff": 302}.get(role, 403)
    _expect(response, expected)
    pending.refresh_from_db()
    touched = (
        pending.status != Affiliation.Status.PENDING
        or pending.role != Affiliation.Role.MEMBER
        or cast.organization.invitations.exists()
        or cast.organization.email_domains.exists()
    )
    assert touched == (role in ("contact", "staff"))


@pytest.mark.parametrize("action", ["approve", "decline", "end"])
def test_a_contact_cannot_reach_another_organizations_people_by_guessing_ids(
    as_role, cast, action
):
    theirs = AffiliationFactory(
        organization=cast.other_organization, status=Affiliation.Status.PENDING
    )
    client = as_role("contact")
    # Their own organization's URL with the other organization's id: not found.
    response = client.post(
        f"/members/acme-research/manage/people/{theirs.pk}/{action}/"
    )
    assert response.status_code == 404
    # The other organization's URL: not theirs to manage.
    response = client.post(f"/members/globex-labs/manage/people/{theirs.pk}/{action}/")
    assert response.status_code == 403
    response = client.post(
        f"/members/acme-research/manage/people/{theirs.pk}/role/",
        {"role": "representative"},
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Affiliation.Status.PENDING
    assert theirs.role == Affiliation.Role.MEMBER


def test_a_contact_cannot_withdraw_another_organizations_invitations(as_role, cast):
    invitation = invitation_create(
        organization=cast.other_organization,
        email="someone@example.org",
        invited_by=cast.other_contact,
    )
    client = as_role("contact")
    url = f"/members/acme-research/manage/invitations/{invitation.pk}/withdraw/"
    assert client.post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


@pytest.mark.parametrize("role", ROLES)
def test_logo_of_an_inactive_organization_is_not_public(as_role, cast, role):
    organization_logo_set(organization=cast.organization, logo=png_upload())
    Organization.objects.filter(pk=cast.organization.pk).update(status="suspended")
    response = as_role(role).get("/members/acme-research/logo/")
    expected = 200 if role in ("member", "contact", "staff") else 404
    assert response.status_code == expected
    if expected == 200:
        assert response["Cache-Control"].startswith("private")


# --- API ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_api_organizations_fields_by_role(api_as_role, cast, role):
    client = api_as_role(role)
    listing = client.get("/api/v1/organizations/")
    assert listing.status_code == 200
    rows = {row["slug"]: row for row in listing.json()["results"]}
    acme = rows["acme-research"]
    assert acme["name"] == "Acme Research"
    assert ("contacts" in acme) == (role in DETAILED)
    assert ("status" in acme) == (role == "staff")
    detail = client.get("/api/v1/organizations/acme-research/")
    assert detail.status_code == 200
    assert ("people_count" in detail.json()) == (role in DETAILED)
    if role in DETAILED:
        assert detail.json()["people_count"] == 2
        assert [c["name"] for c in detail.json()["contacts"]] == [
            cast.contact.public_name
        ]
        assert detail.json()["contacts"][0]["email"] is None


@pytest.mark.parametrize("role", ROLES)
def test_api_inactive_organizations_only_for_their_people(api_as_role, cast, role):
    Organization.objects.filter(pk=cast.organization.pk).update(status="lapsed")
    response = api_as_role(role).get("/api/v1/organizations/acme-research/")
    assert response.status_code == (
        200 if role in ("member", "contact", "staff") else 404
    )


AFFILIATIONS_EXPECTED = {
    "anonymous": 401,
    "outsider": 403,
    "other_member": 403,
    "member": 403,
    "contact": 200,
    "staff": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_api_affiliations_for_contacts_and_staff(api_as_role, cast, role):
    client = api_as_role(role)
    response = client.get("/api/v1/organizations/acme-research/affiliations/")
    assert response.status_code == AFFILIATIONS_EXPECTED[role]
    if response.status_code == 200:
        emails = {row["person"]["email"] for row in response.json()["results"]}
        assert emails == {cast.member.email, cast.contact.email}
    else:
        assert "errors" in response.json()
    member_affiliation = cast.member.affiliations.get()
    response = client.patch(
        f"/api/v1/organizations/acme-research/affiliations/{member_affiliation.pk}/",
        {"role": "technical_contact"},
    )
    assert response.status_code == AFFILIATIONS_EXPECTED[role]
    member_affiliation.refresh_from_db()
    assert (member_affiliation.role == "technical_contact") == (
        role in ("contact", "staff")
    )


def test_api_affiliations_cannot_be_reached_through_another_organization(
    api_as_role, cast
):
    theirs = cast.other_member.affiliations.get()
    client = api_as_role("contact")
    base = "/api/v1/organizations/acme-research/affiliations"
    assert client.get(f"{base}/{theirs.pk}/").status_code == 404
    assert client.post(f"{base}/{theirs.pk}/end/").status_code == 404
    other = f"/api/v1/organizations/globex-labs/affiliations/{theirs.pk}/end/"
    assert client.post(other).status_code == 403
    hidden = OrganizationFactory(status="applicant", slug="hidden-applicant")
    response = client.get(f"/api/v1/organizations/{hidden.slug}/affiliations/")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "active"


@pytest.mark.parametrize("role", ROLES)
def test_api_applications_are_the_applicants_own(api_as_role, cast, role):
    application = ApplicationFactory(applicant=cast.outsider)
    client = api_as_role(role)
    listing = client.get("/api/v1/applications/")
    detail = client.get(f"/api/v1/applications/{application.pk}/")
    withdraw = client.post(f"/api/v1/applications/{application.pk}/withdraw/")
    if role == "anonymous":
        assert (listing.status_code, detail.status_code) == (401, 401)
        assert withdraw.status_code == 401
        return
    assert listing.status_code == 200
    ids = [row["id"] for row in listing.json()["results"]]
    assert ids == ([application.pk] if role == "outsider" else [])
    expected = {"outsider": 200, "staff": 200}.get(role, 404)
    assert detail.status_code == expected
    assert withdraw.status_code == {"outsider": 200, "staff": 403}.get(role, 404)
