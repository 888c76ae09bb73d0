"""How the focus areas take part in shared pages: the home page's six areas."""

from alliance.focus_areas.panels import home_focus_areas
from alliance.registries.panels import panel_register


def connect() -> None:
    """Register the focus areas' panels (from AppConfig.ready)."""
    # First on the home page, before every app's sections.
    panel_register(
        "home",
        template="alliance/focus_areas/_home.html",
        context=home_focus_areas,
        order=10,
    )
