"""Sections that apps contribute to shared pages (home, dashboard, focus area).

The alliance app owns those pages but must not import ``projects`` or ``events``;
instead each app registers its sections in its ``hooks.connect()``::

    panel_register("dashboard", template="events/_dashboard.html",
                   context=events_dashboard_context, order=30)

A context function takes ``request`` plus the page's keyword arguments (for
example ``focus_area``) and returns the template context, or ``None`` to skip.
Each function must run a constant number of queries.

A section that is the same for many readers is cached (``alliance.core.cache``)
with ``shared=`` the namespaces it reads and ``shared_as=`` a function of the
request that returns the reader's audience ("all", "public", …; everything the
section's HTML depends on besides the namespaces, the language and the time
zone), or ``None`` for a reader who sees something of their own;
``shared_by=`` the page's keyword arguments the section depends on (all when
not given). Such a section comes to the page rendered (``SHARED_PANEL_TEMPLATE``
with its HTML).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import get_template
from django.utils.safestring import mark_safe

from alliance.core.cache import shared_fragment


@dataclass(frozen=True)
class Panel:
    slot: str
    template: str
    context: Callable[..., dict | None]
    order: int
    shared: tuple[str, ...] = ()
    shared_as: Callable[..., str | None] | None = None
    shared_by: tuple[str, ...] | None = None


_panels: dict[str, list[Panel]] = {}

SLOTS = (
    "home",
    "dashboard",
    "focus_area",
    "working_group",
    "working_group_update",
    "organization",
)


def panel_register(
    slot: str,
    *,
    template: str,
    context: Callable[..., dict | None],
    order: int = 100,
    shared: tuple[str, ...] = (),
    shared_as: Callable[..., str | None] | None = None,
    shared_by: tuple[str, ...] | None = None,
) -> None:
    """Register a section for a shared page; registering the same template twice
    replaces it. Each section of a slot has its own ``order``, so the page never
    depends on the order of INSTALLED_APPS."""
    if slot not in SLOTS:
        raise ValueError(f"Unknown panel slot {slot!r}; expected one of {SLOTS}")
    panels = [p for p in _panels.get(slot, []) if p.template != template]
    for other in panels:
        if other.order == order:
            raise ValueError(
                f"Panels {other.template!r} and {template!r} of slot {slot!r} "
                f"share the order {order}; give each its own."
            )
    panels.append(
        Panel(
            slot=slot,
            template=template,
            context=context,
            order=order,
            shared=tuple(shared),
            shared_as=shared_as,
            shared_by=shared_by,
        )
    )
    _panels[slot] = sorted(panels, key=lambda p: p.order)


def panel_namespaces(slot: str) -> tuple[str, ...]:
    """Return every namespace the slot's shared sections read: a page made of
    the slot's panels and cached whole for visitors
    (``alliance.core.visitor_pages``) is read again when one is bumped. A
    section without ``shared=`` on such a page must show visitors nothing that
    a write changes."""
    names = {name for panel in _panels.get(slot, []) for name in panel.shared}
    return tuple(sorted(names))


# Pages include each section as ``{% include panel.template with
# panel=panel.context %}``; a section from the shared cache is this template.
SHARED_PANEL_TEMPLATE = "alliance/_shared_panel.html"


def _rendered(html: str) -> dict:
    html = mark_safe(html)  # noqa: S308 - rendered by the section's own template
    return {"template": SHARED_PANEL_TEMPLATE, "context": {"html": html}, "html": html}


def panels_for(slot: str, request, **kwargs) -> list[dict]:
    """Return the slot's sections as ``{"template", "context"}`` to include."""
    rendered = []
    for panel in _panels.get(slot, []):
        fragment = None
        if panel.shared:
            fragment = shared_fragment(
                panel.shared,
                audience=panel.shared_as(request) if panel.shared_as else "all",
                parts=(
                    slot,
                    panel.template,
                    *(
                        f"{k}={getattr(v, 'pk', v)}"
                        for k, v in sorted(kwargs.items())
                        if panel.shared_by is None or k in panel.shared_by
                    ),
                ),
            )
            if fragment.html is not None:
                if fragment.html:
                    rendered.append(_rendered(fragment.html))
                continue
        context = panel.context(request, **kwargs)
        if fragment is not None and fragment.key is not None:
            # Rendered here, without the context processors (the page runs them).
            html = ""
            if context is not None:
                html = get_template(panel.template).render(
                    {"panel": context, "request": request, "user": request.user}
                )
            fragment.store(html)
            if html:
                rendered.append(_rendered(html))
        elif context is not None:
            rendered.append({"template": panel.template, "context": context})
    return rendered
