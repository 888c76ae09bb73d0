"""Sections of shared pages come in the order their apps declare, never in the
order of INSTALLED_APPS."""

import pytest

from alliance.registries import panels


def test_the_dashboard_lists_its_sections_in_their_declared_order():
    templates = [panel.template for panel in panels._panels["dashboard"]]
    assert templates == [
        "alliance/reports/_dashboard_staff.html",  # staff only: what needs staff now
        "alliance/governance/_dashboard.html",  # ballots waiting for the person's vote
        "alliance/working_groups/_dashboard_groups.html",
        "members/_dashboard_membership.html",
        "alliance/working_groups/_dashboard_action_items.html",
        "projects/panels/_dashboard.html",
        "events/panels/dashboard.html",
    ]


def test_two_sections_of_a_slot_cannot_share_an_order():
    taken = panels._panels["dashboard"][0].order
    with pytest.raises(ValueError, match="share the order"):
        panels.panel_register(
            "dashboard", template="other/_panel.html", context=dict, order=taken
        )
    assert "other/_panel.html" not in [p.template for p in panels._panels["dashboard"]]


def test_registering_a_template_again_replaces_it():
    first = panels._panels["home"][0]
    panels.panel_register(
        "home", template=first.template, context=first.context, order=first.order
    )
    assert [p.template for p in panels._panels["home"]].count(first.template) == 1


def test_the_home_page_opens_with_the_focus_areas_and_ends_with_the_newest_members():
    templates = [panel.template for panel in panels._panels["home"]]
    assert templates[0] == "alliance/focus_areas/_home.html"
    assert templates[-1] == "members/_home_newest.html"
