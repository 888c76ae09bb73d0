"""The home page, navigation and the two languages."""

import pytest

from tests.members.factories import UserFactory

PAGES = [
    "/",
    "/focus-areas/",
    "/working-groups/",
    "/members/",
    "/projects/",
    "/events/",
]


@pytest.mark.parametrize("path", PAGES)
def test_main_pages_answer_in_english_with_navigation(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    for label in ("Focus areas", "Working groups", "Members", "Projects &amp; catalog"):
        assert label in html


def test_home_shows_the_six_focus_areas_and_newest_members(client, organization):
    html = client.get("/").content.decode()
    for name in (
        "Benchmarks and evaluation",
        "Open foundation models",
        "Hardware acceleration",
        "Skills building",
        "Public education",
        "Open development",
    ):
        assert name in html
    assert organization.name in html


def test_language_switch_to_german(client, db):
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/events/"})
    assert response.status_code == 302
    assert response["Location"] == "/events/"
    html = client.get("/").content.decode()
    assert '<html lang="de"' in html
    assert "Sechs Schwerpunktbereiche" in html
    assert "Offene Grundmodelle" in html
    assert "Arbeitsgruppen" in html


def test_language_switch_refuses_an_offsite_next(client, db):
    response = client.post(
        "/i18n/setlang/", {"language": "de", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_signed_in_person_keeps_their_language(client, user):
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    user.refresh_from_db()
    assert user.language == "de"
    # A new browser with no language cookie gets German after signing in.
    other = client.__class__()
    other.force_login(user)
    assert '<html lang="de"' in other.get("/dashboard/").content.decode()


def test_german_speaker_gets_german_at_sign_in(client, db):
    from tests.members.factories import PASSWORD

    person = UserFactory(language="de")
    response = client.post(
        "/accounts/login/", {"login": person.email, "password": PASSWORD}, follow=True
    )
    html = response.content.decode()
    assert '<html lang="de"' in html
    assert "Willkommen" in html


def test_accept_language_header_picks_german_for_visitors(client, db):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="de-CH,de;q=0.9").content.decode()
    assert '<html lang="de"' in html


def test_account_pages_use_the_portal_layout(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert 'class="site-header"' in html
    assert 'class="language-switcher"' in html


def test_the_frame_kept_per_language_never_mixes_readers(client, member, staff_user):
    """The frame (navigation, menus, footer) is rendered once per process and
    language (issue 19): the staff's Admin link, another section's highlight or
    the other language never reach the next reader."""
    client.force_login(staff_user)
    staff_page = client.get("/events/").content.decode()
    assert 'href="/admin/"' in staff_page
    assert 'href="/events/" aria-current="page"' in staff_page

    client.force_login(member)
    page = client.get("/events/").content.decode()
    assert 'href="/admin/"' not in page
    assert 'href="/events/" aria-current="page"' in page
    other = client.get("/projects/").content.decode()
    assert 'href="/projects/" aria-current="page"' in other
    assert 'href="/events/" aria-current="page"' not in other

    member.language = "de"
    member.save()
    german = client.get("/projects/").content.decode()
    assert "Veranstaltungen" in german and "Mitgliederverzeichnis" in german
    assert ">Events<" not in german
    client.logout()
    visitor = client.get("/projects/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Sign in<" in visitor and 'href="/admin/"' not in visitor


def test_a_frame_block_is_rendered_once_per_value_of_its_variables():
    from django.template import Context, Template

    page = Template(
        "{% load alliance_tags %}"
        "{% frame test_frame lang %}{{ lang }}:{{ n }}{% endframe %}"
    )
    assert page.render(Context({"lang": "en", "n": 1})) == "en:1"
    # Kept for "en": what else the context holds does not reach it.
    assert page.render(Context({"lang": "en", "n": 2})) == "en:1"
    assert page.render(Context({"lang": "de", "n": 3})) == "de:3"


def test_the_frame_marks_each_section_and_shows_staff_their_admin_link(
    client, member, staff_user
):
    client.force_login(member)
    events = client.get("/events/").content.decode()
    assert 'href="/events/" aria-current="page"' in events
    directory = client.get("/members/").content.decode()
    assert 'href="/members/" aria-current="page"' in directory
    assert 'href="/events/" aria-current="page"' not in directory
    assert "/admin/" not in directory.split("</header>")[0]
    client.force_login(staff_user)
    assert "/admin/" in client.get("/members/").content.decode().split("</header>")[0]
