"""How working groups take part in shared pages and cross-app flows: the
dashboard panels, the personal-data export and account closing."""

from alliance.hooks import account_closed_register, personal_data_register
from alliance.panels import panel_register
from alliance.selectors.working_groups import (
    action_item_list_open,
    user_working_groups,
    working_group_personal_data,
)
from alliance.services.working_groups import working_group_memberships_end


def dashboard_groups_context(request) -> dict | None:
    """Return the person's groups, requests and invitations for the dashboard."""
    if not request.user.is_authenticated:
        return None
    return {"memberships": list(user_working_groups(user=request.user))}


def dashboard_action_items_context(request) -> dict | None:
    """Return the person's open action items for the dashboard."""
    if not request.user.is_authenticated:
        return None
    return {"items": list(action_item_list_open(user=request.user))}


def connect() -> None:
    """Register the working groups' panels and hooks (from AppConfig.ready)."""
    panel_register(
        "dashboard",
        template="alliance/working_groups/_dashboard_groups.html",
        context=dashboard_groups_context,
        order=10,
    )
    panel_register(
        "dashboard",
        template="alliance/working_groups/_dashboard_action_items.html",
        context=dashboard_action_items_context,
        order=11,
    )
    personal_data_register("working_groups", working_group_personal_data)
    account_closed_register(
        "working_groups", lambda user: working_group_memberships_end(user=user)
    )
