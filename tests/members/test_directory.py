"""The member directory: grouped by tier, searchable, filterable, constant in
queries; the people directory honours each person's choice."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.core.cache import bump_all
from alliance.focus_areas.models import FocusArea
from alliance.working_groups.models import WorkingGroupMembership
from members.models import Affiliation, Organization, Tier, User
from tests.alliance.factories import WorkingGroupFactory, WorkingGroupMembershipFactory
from tests.members.factories import (
    AffiliationFactory,
    OrganizationFactory,
    UserFactory,
)


def _fill(count: int) -> None:
    """Add organizations with a contact, a member, a focus area and a working
    group each (bulk inserts keep the test fast)."""
    tiers = list(Tier.objects.all())
    areas = list(FocusArea.objects.order_by("number"))
    group = WorkingGroupFactory()
    start = Organization.objects.count()
    orgs = Organization.objects.bulk_create(
        Organization(
            name=f"Bulk Organization {start + i:04d}",
            slug=f"bulk-organization-{start + i:04d}",
            kind="company",
            country="CH",
            tier=tiers[i % len(tiers)],
            status="active",
        )
        for i in range(count)
    )
    Organization.focus_areas.through.objects.bulk_create(
        Organization.focus_areas.through(
            organization_id=org.pk, focusarea_id=areas[i % len(areas)].pk
        )
        for i, org in enumerate(orgs)
    )
    people = User.objects.bulk_create(
        User(email=f"bulk{2 * start + i:05d}@example.org", name=f"Bulk Person {i}")
        for i in range(2 * count)
    )
    Affiliation.objects.bulk_create(
        Affiliation(
            user=person,
            organization=orgs[i // 2],
            role="primary_contact" if i % 2 == 0 else "member",
            status="active",
        )
        for i, person in enumerate(people)
    )
    WorkingGroupMembership.objects.bulk_create(
        WorkingGroupMembership(
            group=group, user=person, organization=orgs[i // 2], status="active"
        )
        for i, person in enumerate(people)
        if i % 2
    )
    bump_all()  # bulk inserts send no signal (alliance.core.cache)


def _count_queries(client, url) -> int:
    client.get(url)  # the first request of a session also records the session
    bump_all()  # measured without the shared cache (it may only lower a count)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize(
    "url",
    [
        "/members/",
        "/members/?focus_area=benchmarks-evaluation",
        "/api/v1/organizations/",
    ],
)
def test_directory_runs_the_same_queries_for_10_and_200_organizations(
    client, member, django_assert_num_queries, signed_in, url
):
    if signed_in:
        client.force_login(member)
    _fill(10)
    few = _count_queries(client, url)
    _fill(190)
    assert Organization.objects.filter(status="active").count() == 201
    with django_assert_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200
    # What every request costs (session, sessions list, unread count) aside,
    # the page itself stays within 12 queries.
    overhead = _count_queries(client, "/members/me/data/") if signed_in else 0
    assert few - overhead <= 12, (few, overhead)


def test_people_directory_runs_the_same_queries_for_few_and_many(
    client, member, django_assert_num_queries
):
    client.force_login(member)
    _fill(5)
    few = _count_queries(client, "/members/people/")
    _fill(60)
    with django_assert_num_queries(few):
        client.get("/members/people/")


def test_directory_groups_by_tier_and_filters(client, db):
    founding = Tier.objects.get(slug="founding")
    OrganizationFactory(
        name="Alpha Compute", kind="company", country="US", tier=founding
    )
    lab = OrganizationFactory(
        name="Beta Lab",
        kind="research_lab",
        country="CH",
        tier=Tier.objects.get(slug="general"),
    )
    lab.focus_areas.add(FocusArea.objects.get(slug="hardware-acceleration"))
    OrganizationFactory(name="Gamma Gone", status="former")
    page = client.get("/members/").content.decode()
    # What follows the directory's own filters (the header has a search form too).
    html = page.split('class="filters card"', 1)[1].split("</form>", 1)[1]
    assert html.index("Founding") < html.index("Alpha Compute") < html.index("General")
    assert html.index("General") < html.index("Beta Lab")
    assert "Gamma Gone" not in html

    def names(query):
        html = client.get(f"/members/?{query}").content.decode()
        return {n for n in ("Alpha Compute", "Beta Lab") if n in html}

    assert names("q=alpha") == {"Alpha Compute"}
    assert names("kind=research_lab") == {"Beta Lab"}
    assert names("country=US") == {"Alpha Compute"}
    assert names("tier=founding") == {"Alpha Compute"}
    assert names("focus_area=hardware-acceleration") == {"Beta Lab"}
    # Interest also comes from the working groups its people take part in.
    group = WorkingGroupFactory(
        focus_area=FocusArea.objects.get(slug="public-education")
    )
    alpha = Organization.objects.get(name="Alpha Compute")
    WorkingGroupMembershipFactory(group=group, organization=alpha)
    assert names("focus_area=public-education") == {"Alpha Compute"}
    # A bad filter value is an error in the form, not a crash.
    response = client.get("/members/?kind=spaceship")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_api_uses_the_same_filters(api_client, db):
    OrganizationFactory(name="Alpha Compute", kind="company")
    OrganizationFactory(name="Beta Lab", kind="research_lab")
    body = api_client.get("/api/v1/organizations/?kind=research_lab").json()
    assert [row["name"] for row in body["results"]] == ["Beta Lab"]
    response = api_client.get("/api/v1/organizations/?kind=spaceship")
    assert response.status_code == 400
    assert "kind" in response.json()["errors"]


def test_people_directory_honours_visibility_and_email_choice(client, cast):
    visible = {
        "public": UserFactory(
            name="Pia Public", directory_visibility="public", show_email=True
        ),
        "members": UserFactory(name="Max Members", directory_visibility="members"),
        "hidden": UserFactory(name="Hanna Hidden", directory_visibility="hidden"),
    }
    for person in visible.values():
        AffiliationFactory(user=person, organization=cast.organization)
    lapsed = OrganizationFactory(status="lapsed")
    AffiliationFactory(user=UserFactory(name="Lars Lapsed"), organization=lapsed)
    client.force_login(cast.other_member)
    html = client.get("/members/people/").content.decode()
    assert "Pia Public" in html and visible["public"].email in html
    assert "Max Members" in html and visible["members"].email not in html
    assert "Hanna Hidden" not in html
    assert "Lars Lapsed" not in html
    html = client.get("/members/people/?q=pia").content.decode()
    assert "Pia Public" in html and "Max Members" not in html
    # Anonymous visitors of the organization page see only people who chose public.
    client.logout()
    html = client.get("/members/acme-research/").content.decode()
    assert "Pia Public" in html
    assert "Max Members" not in html and "Hanna Hidden" not in html


def test_members_of_a_lapsed_organization_lose_member_only_access(client, cast):
    client.force_login(cast.member)
    assert client.get("/members/people/").status_code == 200
    assert cast.contact.public_name in client.get("/members/").content.decode()
    Organization.objects.filter(pk=cast.organization.pk).update(status="lapsed")
    response = client.get("/members/people/")
    assert response.status_code == 403
    assert "For members of the alliance" in response.content.decode()
    assert (
        cast.other_contact.public_name not in client.get("/members/").content.decode()
    )
    Organization.objects.filter(pk=cast.organization.pk).update(status="suspended")
    assert client.get("/members/people/").status_code == 403
    Organization.objects.filter(pk=cast.organization.pk).update(status="active")
    assert client.get("/members/people/").status_code == 200


def test_closed_accounts_never_appear(client, cast):
    from members.services import user_account_close

    User.objects.filter(pk=cast.contact.pk).update(directory_visibility="public")
    user_account_close(user=User.objects.get(pk=cast.contact.pk))
    client.force_login(cast.member)
    assert "Former member" not in client.get("/members/people/").content.decode()


def test_tier_names_read_in_german(client, db):
    from tests.members.factories import OrganizationFactory

    OrganizationFactory(name="Example Lab")
    html = client.get("/members/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Allgemein" in html
    html = client.get("/members/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "General" in html


def test_staff_edit_tier_names_in_both_languages(admin_client, db):
    from members.models import Tier

    tier = Tier.objects.get(slug="founding")
    page = admin_client.get(f"/admin/members/tier/{tier.pk}/change/").content.decode()
    assert 'name="name_en"' in page and 'name="name_de"' in page
    assert "Gründungsmitglied" in page


def test_the_directory_comes_in_pages_with_the_total_count(client, member):
    _fill(49)  # with the member's own organization: 50 active organizations
    client.force_login(member)
    first = client.get("/members/")
    assert "50 active member organizations" in first.content.decode()
    assert len(first.context["organizations"]) == 24
    assert "Page 1 of 3" in first.content.decode()
    second = client.get("/members/?page=2")
    assert len(second.context["organizations"]) == 24
    third = client.get("/members/?page=3")
    assert len(third.context["organizations"]) == 2
    shown = {
        o.pk
        for response in (first, second, third)
        for o in response.context["organizations"]
    }
    assert len(shown) == 50


def test_each_group_shows_once_per_organization(client, member):
    organization = member.affiliations.get().organization
    group = WorkingGroupFactory(name="Red teaming")
    colleagues = UserFactory.create_batch(2)
    for colleague in colleagues:
        AffiliationFactory(user=colleague, organization=organization)
    for person in [member, *colleagues]:
        WorkingGroupMembershipFactory(group=group, user=person)
    client.force_login(member)
    page = client.get("/members/").content.decode()
    assert page.count(f'href="{group.get_absolute_url()}"') == 1


def test_a_card_names_five_groups_and_links_to_the_rest(client, member):
    organization = member.affiliations.get().organization
    groups = [WorkingGroupFactory(name=f"Group {n:02}") for n in range(8)]
    for group in groups:
        WorkingGroupMembershipFactory(group=group, user=member)
    client.force_login(member)
    page = client.get("/members/").content.decode()
    shown = [g for g in groups if f'href="{g.get_absolute_url()}"' in page]
    assert len(shown) == 5
    assert f'href="{organization.get_absolute_url()}">and 3 more</a>' in page
    member.language = "de"  # a signed-in person reads their own language
    member.save(update_fields=["language"])
    german = client.get("/members/").content.decode()
    assert "und 3 weitere</a>" in german


def test_the_country_filter_offers_the_members_countries(client, db):
    OrganizationFactory(name="Alpha Compute", country="CH")
    OrganizationFactory(name="Beta Lab", country="DE")
    OrganizationFactory(name="Gamma Gone", country="FR", status="former")
    page = client.get("/members/").content.decode()
    form = page.split('class="filters card"', 1)[1].split("</form>", 1)[0]
    assert '<option value="CH">' in form and '<option value="DE">' in form
    # Neither a former member's country nor one without members: the list
    # stays short (it was every country, 10 KB of each page).
    assert 'value="FR"' not in form and 'value="JP"' not in form
    # Any country still filters (nobody there), and stays chosen.
    page = client.get("/members/?country=JP").content.decode()
    assert "No member organization matches these filters." in page
    assert '<option value="JP" selected>' in page


def test_a_page_of_member_cards_stays_under_40_kb(client, member):
    _fill(30)
    groups = [
        WorkingGroupFactory(name=f"A working group named at some length {n}")
        for n in range(6)
    ]
    WorkingGroupMembership.objects.bulk_create(
        WorkingGroupMembership(
            group=group,
            user=affiliation.user,
            organization=affiliation.organization,
            status="active",
        )
        for affiliation in Affiliation.objects.filter(role="member")
        for group in groups
    )
    bump_all()  # bulk inserts send no signal (alliance.core.cache)
    client.force_login(member)
    response = client.get("/members/")
    assert len(response.context["organizations"]) == 24
    assert "and 2 more" in response.content.decode()
    assert len(response.content) < 40_000, len(response.content)
