"""User-written Markdown is rendered and sanitized on the server."""

import re
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError

from alliance.core.markdown import render_markdown


class _DangerFinder(HTMLParser):
    """Collect what a browser would execute: script-like tags, handlers, js URLs."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "style", "svg"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(name)
            # Browsers ignore whitespace and control characters inside a scheme.
            scheme = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if name in ("href", "src", "action", "formaction") and scheme.startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.found.append(f"{name}={value}")


def dangers(html: str) -> list[str]:
    finder = _DangerFinder()
    finder.feed(html)
    return finder.found


def test_markdown_renders_formatting_and_links():
    html = render_markdown("# Title\n\n**bold** and [a link](https://example.org)")
    assert "<h1>Title</h1>" in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        '<img src=x onerror="alert(1)">',
        "<a href='javascript:alert(1)'>x</a>",
        "![x](javascript:alert(1))",
        '<iframe src="https://evil.example"></iframe>',
    ],
)
def test_markdown_never_keeps_scripts(payload):
    html = render_markdown(payload)
    assert dangers(html) == []
    # Raw HTML is shown as text, never interpreted.
    assert "<script>" not in html and "<iframe" not in html


# --- Issue 17 item 4: one length limit, rendering cached by content hash ---------


def test_every_markdown_field_has_the_one_limit_everywhere_text_comes_in(rf, db):
    """A contact saved a 400,000-character table as a description; now every
    Markdown field refuses more than MARKDOWN_MAX_LENGTH characters in the model,
    the admin, plain forms, the API and the CSV import."""
    import io

    from django.apps import apps
    from django.contrib import admin
    from rest_framework.test import APIClient

    from alliance.core.markdown import MARKDOWN_MAX_LENGTH, MarkdownField
    from members.forms import OrganizationProfileForm
    from members.models import Organization
    from members.services.imports import (
        OrganizationImportError,
        organization_import_csv,
    )
    from tests.members.factories import MemberFactory, OrganizationFactory

    # Every field whose help says "Markdown" is a MarkdownField with the limit.
    markdown_fields = [
        f"{field.model.__name__}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if "Markdown" in str(getattr(field, "help_text", ""))
        or isinstance(field, MarkdownField)
    ]
    assert len(markdown_fields) >= 8, markdown_fields
    for label in markdown_fields:
        model_name, name = label.split(".")
        field = next(
            m for m in apps.get_models() if m.__name__ == model_name
        )._meta.get_field(name)
        assert isinstance(field, MarkdownField), label
        assert field.max_length == MARKDOWN_MAX_LENGTH, label

    too_long = "| a | b |\n|---|---|\n" + "| x | y |\n" * (MARKDOWN_MAX_LENGTH // 10)
    assert len(too_long) > MARKDOWN_MAX_LENGTH
    organization = OrganizationFactory(description="Short.")

    organization.description = too_long  # the model
    with pytest.raises(ValidationError) as raised:
        organization.full_clean(exclude=["logo"])
    assert "description" in raised.value.message_dict

    request = rf.get("/")  # the admin's form
    request.user = MemberFactory(is_staff=True, is_superuser=True)
    model_admin = admin.site._registry[Organization]
    form_class = model_admin.get_form(request, obj=organization)
    initial = form_class(instance=Organization.objects.get(pk=organization.pk))
    data = {**initial.initial, "description": too_long}
    data = {k: v for k, v in data.items() if v is not None and k != "logo"}
    form = form_class(data=data, instance=organization)
    assert not form.is_valid() and "description" in form.errors

    form = OrganizationProfileForm(  # a contact
        data={"description": too_long}, slug=organization.slug
    )
    assert not form.is_valid() and "description" in form.errors

    api = APIClient()  # the API
    api.force_authenticate(MemberFactory())
    response = api.post(
        "/api/v1/applications/",
        {
            "organization_name": "Long Corp",
            "kind": "company",
            "country": "DE",
            "focus_areas": ["open-development"],
            "description": too_long,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "description" in response.json()["errors"]

    csv_file = io.StringIO(  # the import
        f'name,kind,country,description\nLong Import,company,DE,"{too_long}"\n'
    )
    with pytest.raises(OrganizationImportError) as raised:
        organization_import_csv(file=csv_file)
    assert raised.value.rows and raised.value.rows[0].messages
    assert not Organization.objects.filter(name="Long Import").exists()


def test_a_text_is_rendered_once_then_read_by_its_content_hash(monkeypatch):
    """Pages and API lists rendered every description on every view (7 s for a
    huge one); now the HTML is kept by content hash, in the process and in the
    shared cache, and a text stored before the limit renders only up to it."""
    from alliance.core import markdown

    rendered = []
    real = markdown._render
    monkeypatch.setattr(
        markdown, "_render", lambda text: rendered.append(text) or real(text)
    )
    markdown.markdown_cache_clear()
    text = "A **bold** claim, written once."
    html = render_markdown(text)
    assert render_markdown(text) == html
    markdown.markdown_cache_clear()  # another process: the shared cache has it
    assert render_markdown(text) == html
    assert rendered == [text]
    assert render_markdown(text + "!") != html  # a changed text is new
    assert len(rendered) == 2

    legacy = "x" * (markdown.MARKDOWN_MAX_LENGTH * 20)
    assert len(render_markdown(legacy)) < markdown.MARKDOWN_MAX_LENGTH + 100
