"""Sections that apps contribute to shared pages (home, dashboard, focus area).

The alliance app owns those pages but must not import ``projects`` or ``events``;
instead each app registers its sections in its ``hooks.connect()``::

    panel_register("dashboard", template="events/_dashboard.html",
                   context=events_dashboard_context, order=30)

A context function takes ``request`` plus the page's keyword arguments (for
example ``focus_area``) and returns the template context, or ``None`` to skip.
Each function must run a constant number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    slot: str
    template: str
    context: Callable[..., dict | None]
    order: int


_panels: dict[str, list[Panel]] = {}

SLOTS = ("home", "dashboard", "focus_area", "working_group", "organization")


def panel_register(
    slot: str, *, template: str, context: Callable[..., dict | None], order: int = 100
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
    panels.append(Panel(slot=slot, template=template, context=context, order=order))
    _panels[slot] = sorted(panels, key=lambda p: p.order)


def panels_for(slot: str, request, **kwargs) -> list[dict]:
    """Return the slot's sections as ``{"template", "context"}`` to include."""
    rendered = []
    for panel in _panels.get(slot, []):
        context = panel.context(request, **kwargs)
        if context is not None:
            rendered.append({"template": panel.template, "context": context})
    return rendered
