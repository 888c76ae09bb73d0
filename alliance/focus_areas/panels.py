"""Sections the focus areas add to shared pages (home)."""

from alliance.focus_areas.selectors import focus_area_list


def home_focus_areas(request) -> dict:
    """Return the six focus areas, for everyone."""
    return {"focus_areas": focus_area_list()}
