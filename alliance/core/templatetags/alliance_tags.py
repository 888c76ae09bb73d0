import datetime

from django import template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from alliance.core.markdown import render_markdown
from alliance.core.text import text_excerpt

register = template.Library()

# --- the pages' frame --------------------------------------------------------------

# Blocks kept per process: (name, values of the variables it varies on) -> HTML.
_frames: dict[tuple, str] = {}
FRAMES_KEPT = 512


@register.tag(name="frame")
def frame_tag(parser, token):
    """``{% frame name var… %}…{% endframe %}``: the block rendered once per
    process for each value of the variables (the language, the page's section,
    staff or not), then kept, as ``{% cache %}`` with a per-process memory cache
    would, without its key hashing, cache lookup and copying (a page has ten of
    them). For what is built from the code alone: nothing personal and nothing
    a write changes goes inside (a deploy starts new processes)."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% frame %} needs a name")
    nodelist = parser.parse(("endframe",))
    parser.delete_first_token()
    return FrameNode(nodelist, bits[1], [parser.compile_filter(b) for b in bits[2:]])


class FrameNode(template.Node):
    # A frame holds no block: the search for the blocks a page fills (each
    # {% extends %} renders it) skips its nodes.
    child_nodelists = ()

    def __init__(self, nodelist, name, vary_on):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        key = (self.name, *(str(var.resolve(context)) for var in self.vary_on))
        html = _frames.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(_frames) < FRAMES_KEPT:
                _frames[key] = html
        return html


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


@register.filter(name="excerpt")
def excerpt_filter(text, limit=240):
    """A notification's body as a short paragraph ending on a sentence, without
    its links or the words that introduce them (``alliance.core.text``)."""
    return text_excerpt(text, int(limit))


# Up to this age a moment reads as "3 hours ago"; older ones as their date.
RELATIVE_FOR = datetime.timedelta(days=7)


@register.filter(name="relative_time")
def relative_time_filter(moment, now=None):
    """A ``<time>`` element: "3 hours ago" (in the reader's language) for the last
    week, else the local date in the reader's format; the full local date and
    time on hover (``title``) and the ISO moment in ``datetime``."""
    if not isinstance(moment, datetime.datetime):
        return moment
    now = now or timezone.now()
    age = now - moment
    if datetime.timedelta(0) <= age < datetime.timedelta(days=1):
        shown = naturaltime(moment)  # "3 hours ago", "vor 3 Stunden"
    elif datetime.timedelta(0) <= age < RELATIVE_FOR:
        # Whole days: humanize's "1 day, 6 hours ago" reads badly in German.
        shown = ngettext("%(count)s day ago", "%(count)s days ago", age.days) % {
            "count": age.days
        }
    else:
        shown = date_filter(timezone.localtime(moment), "DATE_FORMAT")
    local = timezone.localtime(moment)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        moment.astimezone(datetime.UTC).isoformat(timespec="seconds"),
        date_filter(local, "DATETIME_FORMAT"),
        shown,
    )


@register.simple_tag
def site_url() -> str:
    """Return the portal's address (``SITE_URL``), for mail rendered without a
    request (allauth's account mail)."""
    return settings.SITE_URL


class SharedFragmentNode(template.Node):
    def __init__(self, fragment, nodelist):
        self.fragment = fragment
        self.nodelist = nodelist

    def render(self, context):
        fragment = self.fragment.resolve(context)
        if fragment is not None and fragment.html is not None:
            return fragment.html
        html = self.nodelist.render(context)
        if fragment is not None:
            fragment.store(html)
        return html


@register.tag
def shared_fragment(parser, token):
    """``{% shared_fragment fragment %}…{% endshared_fragment %}``: the cached
    HTML of ``fragment`` (an ``alliance.core.cache.SharedFragment`` the view looked
    up), or the body rendered and stored. The view builds the body's context only
    when ``fragment.html`` is None."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("shared_fragment takes one argument")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(parser.compile_filter(bits[1]), nodelist)
