"""How the focus areas take part in shared pages and flows: the home page's six
areas, and a level (watching, normal, muted) people may set on an area for
everything in its working groups."""

from alliance.core.cache import cache_bump_on_write
from alliance.focus_areas.models import FocusArea
from alliance.focus_areas.panels import home_focus_areas
from alliance.focus_areas.selectors import (
    focus_area_list_visible_to,
    focus_area_member_ids,
    focus_area_viewer_ids,
)
from alliance.registries.audiences import audience_register
from alliance.registries.panels import panel_register


def connect() -> None:
    """Register the focus areas' panels and levels (from AppConfig.ready)."""
    cache_bump_on_write(FocusArea, "focus_areas")  # shared caches (alliance.core.cache)
    # First on the home page, before every app's sections.
    panel_register(
        "home",
        template="alliance/focus_areas/_home.html",
        context=home_focus_areas,
        order=10,
        shared=("focus_areas", "groups"),
    )
    # A level on an area applies to its working groups and what is in them
    # (working groups are registered ``within="focus_area"``); nobody belongs
    # to an area, and everyone may see one.
    audience_register(
        FocusArea,
        member_ids=focus_area_member_ids,
        visible_to=focus_area_list_visible_to,
        viewer_ids=focus_area_viewer_ids,
    )
