from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from alliance.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render Markdown to sanitized HTML."""
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitized by nh3


@register.simple_tag(takes_context=True)
def query_replace(context, **changes):
    """Return the current query string with some parameters replaced."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


_INITIALS_SKIP = {
    "the",
    "of",
    "and",
    "for",
    "at",
    "de",
    "der",
    "und",
    "inc.",
    "university",
}


@register.filter
def initials(name: str) -> str:
    """Return up to two initials of an organization's name for a logo placeholder."""
    words = [
        w for w in name.replace("(", " ").split() if w.lower() not in _INITIALS_SKIP
    ]
    letters = "".join(word[0] for word in words[:2] if word[0].isalnum())
    return (letters or name[:2]).upper()


@register.filter(name="iso_datetime")
def iso_datetime_filter(value):
    """Turn an ISO 8601 string (as stored in an activity's JSON context) into an
    aware datetime, so ``|date`` shows it in the reader's time zone."""
    from django.utils.dateparse import parse_datetime

    if not isinstance(value, str):
        return value
    parsed = parse_datetime(value)
    return parsed if parsed is not None else value


@register.filter(name="without_links")
def without_links_filter(text):
    """Drop the lines of a plain-text notification that are only a link (the inbox
    links the whole entry instead)."""
    if not isinstance(text, str):
        return text
    lines = [line for line in text.splitlines() if not line.strip().startswith("http")]
    return " ".join(" ".join(lines).split())


@register.simple_tag
def site_url() -> str:
    """Return the portal's address (``SITE_URL``), for mail rendered without a
    request (allauth's account mail)."""
    return settings.SITE_URL
