"""Markdown written by people, rendered to HTML and sanitized on the server.

Every Markdown field has one length limit, ``MARKDOWN_MAX_LENGTH``, declared here
and enforced wherever text comes in: the model field (``MarkdownField``: model
validation, model forms and the admin), ``MarkdownFormField`` for plain forms and
the CSV import, ``MarkdownSerializerField`` for API input. Rendering is cached by
the text's content hash (in the process and in the shared cache), so a page or an
API list renders each text once, not on every view.
"""

import hashlib
import logging
from collections import OrderedDict
from threading import Lock

import nh3
from django import forms
from django.core.cache import cache
from django.core.validators import MaxLengthValidator
from django.db import models
from markdown_it import MarkdownIt

logger = logging.getLogger(__name__)

# Room for a long charter or catalog description; far below what would make one
# rendering slow (a 400,000-character table took seconds).
MARKDOWN_MAX_LENGTH = 20_000

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "td": {"align"},
    "th": {"align"},
}

# Rendered HTML by content hash: a small per-process memory in front of the
# shared cache (whose failure only costs a rendering).
_LOCAL_SIZE = 512
_local: OrderedDict[str, str] = OrderedDict()
_local_lock = Lock()
CACHE_TIMEOUT = 60 * 60 * 24 * 30


def _render(text: str) -> str:
    if len(text) > MARKDOWN_MAX_LENGTH:
        # Written before the limit existed: show the part within it.
        text = text[:MARKDOWN_MAX_LENGTH] + " …"
    html = _parser.render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def render_markdown(text: str | None) -> str:
    """Return sanitized HTML for Markdown text; raw HTML and scripts never survive.
    The same text is rendered once: later calls read it by content hash."""
    if not text:
        return ""
    key = "markdown:" + hashlib.sha256(text.encode()).hexdigest()
    with _local_lock:
        html = _local.get(key)
        if html is not None:
            _local.move_to_end(key)
            return html
    try:
        html = cache.get(key)
    except Exception as exc:  # the cache is down: render instead
        logger.warning("Markdown cache unavailable: %s", exc)
        html = None
    if html is None:
        html = _render(text)
        try:
            cache.set(key, html, CACHE_TIMEOUT)
        except Exception as exc:
            logger.warning("Markdown cache unavailable: %s", exc)
    with _local_lock:
        _local[key] = html
        while len(_local) > _LOCAL_SIZE:
            _local.popitem(last=False)
    return html


def markdown_to_text(text: str | None) -> str:
    """Return Markdown as readable plain text (for calendar files and other places
    that show no HTML): emphasis marks dropped, list items as "- ", a link as
    "text (address)", paragraphs separated by a blank line."""
    if not text:
        return ""
    blocks: list[tuple[str, bool]] = []  # (text, is a list item)
    prefix = ""
    for token in _parser.parse(text):
        if token.type == "list_item_open":
            prefix = "- " if token.markup in "-*+" else f"{token.info}. "
            continue
        if token.type == "inline":
            block = _inline_text(token.children or [])
        elif token.type in ("fence", "code_block"):
            block = token.content.rstrip("\n")
        else:
            continue
        if block.strip():
            blocks.append((prefix + block, bool(prefix)))
        prefix = ""
    out = ""
    for index, (block, is_item) in enumerate(blocks):
        if index:
            # List items follow each other line by line; other blocks get a blank line.
            out += "\n" if is_item and blocks[index - 1][1] else "\n\n"
        out += block
    return out


def _inline_text(children) -> str:
    parts: list[str] = []
    href = None
    start = 0
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
        elif child.type == "link_open":
            href, start = child.attrGet("href"), len(parts)
        elif child.type == "link_close":
            if href and "".join(parts[start:]) != href:
                parts.append(f" ({href})")
            href = None
    return "".join(parts)


def markdown_cache_clear() -> None:
    """Forget what this process rendered (tests)."""
    with _local_lock:
        _local.clear()


def validate_markdown(value: str) -> None:
    """Refuse Markdown longer than the limit (for services that take text without
    a model's validation)."""
    MaxLengthValidator(MARKDOWN_MAX_LENGTH)(value or "")


class MarkdownField(models.TextField):
    """A model's Markdown text, at most ``MARKDOWN_MAX_LENGTH`` characters: model
    validation refuses more, and model forms, the admin and DRF model serializers
    take the limit from it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", MARKDOWN_MAX_LENGTH)
        super().__init__(*args, **kwargs)
        self.validators.append(MaxLengthValidator(self.max_length))

    def deconstruct(self):
        # The database column is the same text column: migrations see a plain
        # TextField, so the limit can change without a migration.
        name, _path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, "django.db.models.TextField", args, kwargs


class MarkdownFormField(forms.CharField):
    """A form's Markdown text (plain forms, the CSV import), with the limit."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MARKDOWN_MAX_LENGTH)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 6}))
        super().__init__(**kwargs)
