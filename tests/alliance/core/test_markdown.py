"""User-written Markdown is rendered and sanitized on the server."""

import re
from html.parser import HTMLParser

import pytest

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
