"""A signed-out visitor's whole page from the shared cache
(alliance.core.visitor_pages): the cached page carries this visitor's own CSRF
token, speaks their language, never reaches a signed-in person, never holds
what only members see, and shows a write at once.

A page answered from the cache renders no template (``response.templates`` is
empty) and asks the database nothing."""

import gzip
import re
import zlib

import pytest
from django.contrib import messages
from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import include
from django.urls import path as route

from alliance.core.visitor_pages import visitor_page
from events.services.events import event_publish
from tests.events.factories import EventFactory, publisher

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HX_TOKEN = re.compile(r"data-hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'")
ANY_TOKEN = re.compile(r"[A-Za-z0-9]{64}")
PAGES = ("/", "/focus-areas/", "/members/", "/projects/", "/events/")


def _read(client, path, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    assert response.status_code == 200
    return response, len(queries)


def _from_cache(response) -> bool:
    return not response.templates


@pytest.mark.parametrize("path", PAGES)
def test_a_second_visitor_gets_the_page_from_the_cache(path):
    first, _ = _read(Client(), path)
    second, queries = _read(Client(), path)
    assert not _from_cache(first) and _from_cache(second)
    assert queries == 0
    # The same page, but for the CSRF tokens.
    assert ANY_TOKEN.sub("", first.text) == ANY_TOKEN.sub("", second.text)


def test_the_cached_page_carries_a_token_the_language_switch_accepts():
    _read(Client(), "/events/")  # stored
    visitor = Client(enforce_csrf_checks=True)
    page, _ = _read(visitor, "/events/")
    assert _from_cache(page)
    # This visitor's own secret, in a cookie set by the cached answer.
    assert "csrftoken" in page.cookies
    token = TOKEN.search(page.text).group(1)
    assert HX_TOKEN.search(page.text).group(1) == token
    switched = visitor.post(
        "/i18n/setlang/",
        {"language": "de", "next": "/events/", "csrfmiddlewaretoken": token},
    )
    assert switched.status_code == 302
    assert switched["Location"] == "/events/"
    # Without the token the switch is refused: the check is on.
    assert visitor.post("/i18n/setlang/", {"language": "de"}).status_code == 403


def test_a_returning_visitor_keeps_their_secret_with_a_fresh_mask_each_time():
    _read(Client(), "/members/")
    visitor = Client(enforce_csrf_checks=True)
    _read(visitor, "/members/")
    secret = visitor.cookies["csrftoken"].value
    pages = [_read(visitor, "/members/")[0] for _ in range(2)]
    assert all(_from_cache(page) for page in pages)
    tokens = [TOKEN.search(page.text).group(1) for page in pages]
    assert tokens[0] != tokens[1]  # masked afresh (BREACH)
    assert visitor.cookies["csrftoken"].value == secret
    for token in tokens:
        answer = visitor.post(
            "/i18n/setlang/", {"language": "en", "next": "/"}, HTTP_X_CSRFTOKEN=token
        )
        assert answer.status_code == 302


def test_a_compressed_cached_page_has_a_fresh_token_and_the_headers_of_a_page():
    fresh, _ = _read(Client(), "/projects/", HTTP_ACCEPT_ENCODING="gzip")
    pages = [
        _read(Client(), "/projects/", HTTP_ACCEPT_ENCODING="gzip")[0] for _ in range(2)
    ]
    assert all(_from_cache(page) for page in pages)
    html = [gzip.decompress(page.content).decode() for page in pages]
    # One gzip stream, read to its end (what a browser's decoder does).
    stream = zlib.decompressobj(wbits=31)
    assert stream.decompress(pages[0].content).decode() == html[0]
    assert stream.eof and not stream.unused_data
    plain, _ = _read(Client(), "/projects/")
    assert _from_cache(plain) and "Content-Encoding" not in plain
    assert ANY_TOKEN.sub("", plain.text) == ANY_TOKEN.sub("", html[0])
    tokens = [TOKEN.search(text).group(1) for text in html]
    assert tokens[0] != tokens[1]
    for page in pages:
        assert page["Content-Encoding"] == "gzip"
        for header in (
            "Content-Security-Policy",
            "X-Frame-Options",
            "Content-Language",
            "Content-Type",
            "X-Content-Type-Options",
        ):
            assert page[header] == fresh[header], header
        assert {"Accept-Language", "Cookie", "Accept-Encoding"} <= {
            v.strip() for v in page["Vary"].split(",")
        }


def test_the_german_page_is_never_served_to_an_english_reader():
    german, _ = _read(Client(), "/focus-areas/", HTTP_ACCEPT_LANGUAGE="de")
    assert 'lang="de"' in german.text and german["Content-Language"] == "de"
    english, _ = _read(Client(), "/focus-areas/", HTTP_ACCEPT_LANGUAGE="en")
    assert not _from_cache(english)
    assert 'lang="en"' in english.text and english["Content-Language"] == "en"
    assert "Focus areas" in english.text
    # A visitor who chose German with the switch gets the German entry.
    chooser = Client()
    chooser.post("/i18n/setlang/", {"language": "de", "next": "/"})
    again, _ = _read(chooser, "/focus-areas/", HTTP_ACCEPT_LANGUAGE="en")
    assert _from_cache(again) and 'lang="de"' in again.text


def test_each_time_zone_gets_its_own_page():
    _read(Client(), "/events/")
    berlin = Client()
    berlin.cookies["tz"] = "Europe/Berlin"
    page, _ = _read(berlin, "/events/")
    assert not _from_cache(page)
    assert _from_cache(_read(berlin, "/events/")[0])


def test_a_signed_in_person_never_gets_the_visitor_page(member):
    EventFactory(title="Open Meetup")
    visitor_page, _ = _read(Client(), "/events/")
    assert _from_cache(_read(Client(), "/events/")[0])
    person = Client()
    person.force_login(member)
    page, _ = _read(person, "/events/")
    assert not _from_cache(page)
    assert "Sign out" in page.text and "Sign out" not in visitor_page.text


def test_members_only_items_read_first_by_a_member_never_reach_visitors(member):
    from alliance.focus_areas.models import FocusArea
    from tests.projects.factories import CatalogEntryFactory, VettedEntryFactory

    area = FocusArea.objects.get(number=1)
    EventFactory(title="Open Meetup")
    EventFactory(title="Members Briefing", visibility="members")
    VettedEntryFactory(name="Public Tool", focus_area=area)
    CatalogEntryFactory(name="Unvetted Secret", focus_area=area)
    person = Client()
    person.force_login(member)
    privileged = {
        "/events/": "Members Briefing",
        "/": "Members Briefing",
        "/projects/": "Unvetted Secret",
        area.get_absolute_url(): "Unvetted Secret",
    }
    for path, secret in privileged.items():
        assert secret in _read(person, path)[0].text
    for path, secret in privileged.items():
        for _ in range(2):  # stored, then from the cache
            page, _queries = _read(Client(), path)
            assert secret not in page.text
            assert "Open Meetup" in page.text or "Public Tool" in page.text
        assert _from_cache(page)


def test_a_write_through_a_service_shows_on_the_next_visitor_read():
    EventFactory(title="Standing Call")
    draft = EventFactory(title="Fresh Workshop", status="draft", published_at=None)
    for path in ("/events/", "/"):
        _read(Client(), path)
        page, _ = _read(Client(), path)
        assert _from_cache(page) and "Fresh Workshop" not in page.text
    event_publish(event=draft, actor=publisher())
    for path in ("/events/", "/"):
        page, _ = _read(Client(), path)
        assert not _from_cache(page) and "Fresh Workshop" in page.text


def test_a_focus_area_page_follows_a_group_archived_through_the_service():
    from alliance.focus_areas.models import FocusArea
    from alliance.working_groups.services import working_group_set_status
    from tests.alliance.factories import WorkingGroupFactory

    area = FocusArea.objects.get(number=2)
    group = WorkingGroupFactory(focus_area=area, name="Red Teaming Circle")
    for path in ("/focus-areas/", area.get_absolute_url()):
        _read(Client(), path)
        assert _from_cache(_read(Client(), path)[0])
    assert "Red Teaming Circle" in _read(Client(), area.get_absolute_url())[0].text
    working_group_set_status(group=group, status="archived")
    page, _ = _read(Client(), area.get_absolute_url())
    assert not _from_cache(page) and "Red Teaming Circle" not in page.text


def test_what_is_not_shared_is_never_cached(client):
    # An htmx request, a waiting message, a session: the ordinary path.
    _read(Client(), "/events/")
    assert not _from_cache(_read(Client(), "/events/", HTTP_HX_REQUEST="true")[0])
    with_message = Client()
    with_message.cookies["messages"] = "anything"
    assert not _from_cache(_read(with_message, "/events/")[0])
    with_session = Client()
    with_session.cookies["sessionid"] = "not-a-session"
    assert not _from_cache(_read(with_session, "/events/")[0])
    # A page that does not opt in, and a 404, are built every time.
    for _ in range(2):
        assert not _from_cache(_read(Client(), "/working-groups/")[0])
        missing = Client().get("/focus-areas/no-such-area/")
        assert missing.status_code == 404 and missing.templates


# --- answers that must not be shared, from views made for the test -----------------

calls: list[str] = []


def _counted(name, build):
    @visitor_page(("events",))
    def view(request):
        calls.append(name)
        return build(request)

    return view


PAGE = engines["django"].from_string(
    "<p>{% for message in messages %}{{ message }}{% endfor %}</p>{% csrf_token %}"
)


def _page(request):
    return HttpResponse(PAGE.render(request=request))


def _with_message(request):
    messages.info(request, "Only for you")
    return _page(request)


def _with_session(request):
    request.session["seen"] = True
    return HttpResponse("<p>kept for you</p>")


def _private(request):
    response = HttpResponse("<p>private</p>")
    response["Cache-Control"] = "private"
    return response


def _by_browser(request):
    response = HttpResponse("<p>by browser</p>")
    response["Vary"] = "User-Agent"
    return response


def _not_found(request):
    return HttpResponse("<p>gone</p>", status=404)


urlpatterns = [
    route("plain/", _counted("plain", _page)),
    route("message/", _counted("message", _with_message)),
    route("session/", _counted("session", _with_session)),
    route("private/", _counted("private", _private)),
    route("by-browser/", _counted("by-browser", _by_browser)),
    route("not-found/", _counted("not-found", _not_found)),
    # The portal's own pages, for the links every page has.
    route("", include("alliance.urls")),
]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "name", ["message", "session", "private", "by-browser", "not-found"]
)
def test_an_answer_that_is_not_the_same_for_everyone_is_never_stored(name):
    calls.clear()
    for _ in range(2):
        Client().get(f"/{name}/")
    assert calls == [name, name]


@pytest.mark.urls(__name__)
def test_a_plain_answer_is_stored_once():
    calls.clear()
    for _ in range(3):
        assert Client().get("/plain/").status_code == 200
    assert calls == ["plain"]
    # A message shown on the page was this visitor's alone.
    assert "Only for you" in Client().get("/message/").text
    assert "Only for you" not in Client().get("/plain/").text
