from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.core.cache import shared_fragment
from alliance.core.visitor_pages import visitor_page
from alliance.focus_areas.models import FocusArea
from alliance.focus_areas.selectors import (
    focus_area_list,
    focus_area_list_visible_to,
)
from alliance.notifications.selectors import subscription_state
from alliance.notifications.services.subscriptions import (
    LEVEL_CHOICES,
    LEVELS,
    subscription_level_of,
    subscription_levels_set,
)
from alliance.registries.panels import panel_namespaces, panels_for
from alliance.working_groups.selectors import working_group_list

# What the focus-area pages show comes from these (bumped by their models'
# writes): the areas, and their active working groups with member counts.
FOCUS_AREA_CACHE_NAMESPACES = ("focus_areas", "groups")


@visitor_page(FOCUS_AREA_CACHE_NAMESPACES)
def focus_area_list_view(request):
    # The six areas and their group counts are the same for every reader.
    fragment = shared_fragment(
        FOCUS_AREA_CACHE_NAMESPACES, audience="all", parts=("focus_area_list",)
    )
    context = {"fragment": fragment}
    if fragment.html is None:
        context["focus_areas"] = focus_area_list()
    return render(request, "alliance/focus_area_list.html", context)


@visitor_page(lambda: FOCUS_AREA_CACHE_NAMESPACES + panel_namespaces("focus_area"))
def focus_area_detail(request, slug):
    focus_area = get_object_or_404(FocusArea, slug=slug)
    # The area's working groups (every active one, with member counts) are the
    # same for every reader; the reader's level on the area is their own.
    fragment = shared_fragment(
        FOCUS_AREA_CACHE_NAMESPACES,
        audience="all",
        parts=("focus_area_groups", focus_area.pk),
    )
    context = {
        "focus_area": focus_area,
        "fragment": fragment,
        "panels": panels_for("focus_area", request, focus_area=focus_area),
        "area_level": _level_of(request.user, focus_area),
        "level_choices": LEVEL_CHOICES,
    }
    if fragment.html is None:
        context["working_groups"] = working_group_list(focus_area=focus_area)
    return render(request, "alliance/focus_area_detail.html", context)


def _level_of(user, focus_area) -> str | None:
    """Return the signed-in person's level for the area (None when signed out)."""
    if not user.is_authenticated:
        return None
    return subscription_level_of(subscription_state(user=user, target=focus_area))


def _level_text(level: str) -> str:
    return {
        "watch": _(
            "You watch “%(area)s”: every activity in its working groups reaches "
            "you by email at once, unless you set a level on a group or a thing."
        ),
        "normal": _(
            "“%(area)s” is back to Normal: you hear of its groups as you chose "
            "for each of them."
        ),
        "mute": _(
            "You muted “%(area)s”: you hear nothing of its working groups, unless "
            "you set a level on a group or a thing."
        ),
    }[level]


@login_required
@require_POST
def focus_area_level_view(request, slug):
    """Set the person's level (watching, normal, muted) for a focus area."""
    focus_area = get_object_or_404(focus_area_list_visible_to(request.user), slug=slug)
    level = request.POST.get("level", "")
    if level not in LEVELS:
        text, ok = _("Choose Watching, Normal or Muted."), False
    else:
        # Normal is the default on an area: no row is kept for it.
        subscription_levels_set(user=request.user, levels=[(focus_area, level, True)])
        text, ok = _level_text(level) % {"area": focus_area.name}, True
    if request.htmx:
        return render(
            request,
            "alliance/focus_areas/_level.html",
            {
                "focus_area": focus_area,
                "area_level": _level_of(request.user, focus_area),
                "level_choices": LEVEL_CHOICES,
                "level_outcome": text,
                "level_ok": ok,
            },
        )
    (messages.success if ok else messages.error)(request, text)
    return redirect(focus_area.get_absolute_url())
