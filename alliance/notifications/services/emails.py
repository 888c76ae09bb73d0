from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.template import Context, TemplateDoesNotExist
from django.template.loader import render_to_string, select_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import linebreaks, urlize

UNSUBSCRIBE_SALT = "alliance.notifications.unsubscribe"


# --- Rendering ---------------------------------------------------------------------


@dataclass
class RenderedEmail:
    subject: str
    text: str
    html: str
    headers: dict = field(default_factory=dict)


def render_text(template_name: str | list[str], context: dict) -> str:
    """Render a plain-text template (the first that exists, given a list) without
    HTML escaping (``&`` stays ``&``)."""
    names = [template_name] if isinstance(template_name, str) else template_name
    return select_template(names).template.render(Context(context, autoescape=False))


def text_to_html(text: str) -> str:
    """Return plain text as HTML paragraphs with its links made clickable (the
    text escaped, the markup not)."""
    return linebreaks(urlize(text, autoescape=True))


def unsubscribe_token(*, user_id: int, scope: str) -> str:
    """Return a signed token that stops one kind of email for one person."""
    return signing.dumps({"u": user_id, "s": scope}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token_parse(token: str) -> tuple[int, str] | None:
    """Return (user id, scope) of a valid token, else None."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or "u" not in data or "s" not in data:
        return None
    return int(data["u"]), str(data["s"])


def email_content_render(
    *, template: str, context: dict, language: str, time_zone
) -> RenderedEmail:
    """Render ``<template>_subject.txt``, ``.txt`` and (if it exists) ``.html`` in
    the language and time zone given."""
    context = {**context, "site_url": settings.SITE_URL}
    with translation.override(language), timezone.override(str(time_zone)):
        subject = " ".join(render_text(f"{template}_subject.txt", context).split())
        text = render_text(f"{template}.txt", context).strip()
        try:
            html = select_template([f"{template}.html"]).render(context).strip()
        except TemplateDoesNotExist:
            html = text_to_html(text)
    return RenderedEmail(subject=subject, text=text, html=html)


def email_wrap(
    content: RenderedEmail,
    *,
    language: str,
    time_zone,
    user_id: int | None = None,
    scope: str | None = None,
    reason: str = "",
) -> RenderedEmail:
    """Put content into the portal's email layout with its footer: a link to the
    preferences page and, for mail a person can stop, a one-click unsubscribe."""
    site = settings.SITE_URL
    unsubscribe_url = ""
    headers = {}
    if user_id is not None and scope:
        token = unsubscribe_token(user_id=user_id, scope=scope)
        unsubscribe_url = site + reverse("alliance:unsubscribe", args=[token])
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    context = {
        "subject": content.subject,
        "text": content.text,
        "html": content.html,
        "site_url": site,
        "preferences_url": site + reverse("alliance:notification_preferences"),
        "unsubscribe_url": unsubscribe_url,
        "reason": reason,
        "has_account": user_id is not None,
    }
    with translation.override(language), timezone.override(str(time_zone)):
        text = render_text("alliance/email/layout.txt", context).strip()
        html = render_to_string("alliance/email/layout.html", context)
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + content.subject
    return RenderedEmail(subject=subject, text=text, html=html, headers=headers)
