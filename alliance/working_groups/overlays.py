"""A group page's updates and open action items, rendered once for everyone who
may read them and shared (``alliance.core.cache``), with each reader's own part
laid over: the "Mark done" forms of the items they may complete (their owner,
the minutes' author, the group's chairs and staff; ``may_complete_action_item``).
Its follow box and, for those without a membership, its membership box are
shared by every reader in the same state, their CSRF token laid over
(``group_box_html``).

The shared HTML (``alliance/working_groups/_group_updates.html`` with
``overlay``) holds every item's form, marked with who may use it
(``<!--done:<owner id>:<author id>-->…<!--/done-->``), with stand-ins for the
CSRF token and the page's address; the updates and the action items are
parted by ``<!--action-items-->``."""

import re

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from alliance.core.cache import shared_fragment
from alliance.core.context_processors import request_csrf_token
from alliance.working_groups.permissions import may_complete_action_item
from alliance.working_groups.selectors import (
    GROUP_PAGE_UPDATES_NAMESPACES,
    working_group_page_updates,
)

_FORM_SLOT = re.compile(r"<!--done:(\d*):(\d*)-->(.*?)<!--/done-->", re.DOTALL)
_PARTED = "<!--action-items-->"
# Stand-ins in the shared HTML (letters only: escaped as they are), replaced
# only as the forms' attribute values (a writer's text cannot hold a quote).
_CSRF = "csrfStandIn"
_NEXT = "nextStandIn"
_CSRF_VALUE = f'name="csrfmiddlewaretoken" value="{_CSRF}"'
_NEXT_VALUE = f'name="next" value="{_NEXT}"'


def group_updates_html(request, group, *, count: int, can_manage: bool):
    """Return the group page's updates and its open action items (HTML), for a
    reader who may read them (the caller checks ``can_view_roster``)."""
    fragment = shared_fragment(
        GROUP_PAGE_UPDATES_NAMESPACES,
        audience="update-readers",
        parts=("group-page-updates-html", group.pk, count),
    )
    if fragment.html is None:
        updates, open_items = working_group_page_updates(group=group, count=count)
        fragment.store(
            render_to_string(
                "alliance/working_groups/_group_updates.html",
                {
                    "group": group,
                    "updates": updates,
                    "open_action_items": open_items,
                    "overlay": True,
                    "csrf_token": _CSRF,
                    "next_path": _NEXT,
                },
            )
        )
    return _laid_over(fragment.html, request, can_manage=can_manage)


def _laid_over(html: str, request, *, can_manage: bool) -> tuple[str, str]:
    values = {}

    def slot(match):
        if not may_complete_action_item(
            request.user,
            owner_id=int(match[1]) if match[1] else None,
            author_id=int(match[2]) if match[2] else None,
            manages=can_manage,
        ):
            return ""
        if not values:
            values[_CSRF_VALUE] = _CSRF_VALUE.replace(
                _CSRF, request_csrf_token(request)
            )
            values[_NEXT_VALUE] = _NEXT_VALUE.replace(
                _NEXT, escape(request.get_full_path())
            )
        form = match[3]
        for stand_in, value in values.items():
            form = form.replace(stand_in, value)
        return form

    html = _FORM_SLOT.sub(slot, html)
    updates, _sep, items = html.partition(_PARTED)
    return mark_safe(updates), mark_safe(items)  # noqa: S308 (our own HTML)


def group_box_html(request, template: str, *, parts: tuple, context) -> str:
    """Return one of the group page's boxes (``template``), the same for every
    reader in the state ``parts`` names but for its forms' CSRF token: rendered
    once per language from ``context()`` (nothing of the reader's but what
    ``parts`` names) with a stand-in for the token, each reader's laid over."""
    fragment = shared_fragment(
        ("groups",), audience="all", parts=parts, local="language"
    )
    if fragment.html is None:
        fragment.store(render_to_string(template, {**context(), "csrf_token": _CSRF}))
    token = _CSRF_VALUE.replace(_CSRF, request_csrf_token(request))
    return mark_safe(fragment.html.replace(_CSRF_VALUE, token))  # noqa: S308
