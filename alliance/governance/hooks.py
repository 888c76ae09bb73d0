"""How ballots take part in shared pages and flows: the group page's ballot
panel, the dashboard's ballots waiting for the person's vote, who may see a
ballot (notifications), the data export, and the periodic jobs that remind and
close."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliance.core.cache import cache_bump_on_write
from alliance.governance.models import Ballot
from alliance.governance.selectors import (
    ballot_list_for_group,
    ballot_list_visible_to,
    ballot_list_waiting_for,
    ballot_personal_data,
    ballot_viewer_ids,
)
from alliance.governance.services import KIND_OPENED, KIND_REMINDER, KIND_RESULT
from alliance.registries.notification_kinds import (
    notification_group_register,
    notification_kind_register,
)
from alliance.registries.panels import panel_register
from alliance.registries.personal_data import personal_data_register
from alliance.registries.schedules import schedule_register
from alliance.registries.visibility import visibility_register
from alliance.working_groups.selectors import membership_chairs


def group_ballots_panel(request, *, group, membership=None, **kwargs) -> dict | None:
    """Return the group's latest ballots for its page (whoever sees the group
    sees its ballots), and whether the reader may open one."""
    user = request.user
    # The page has read the reader's membership already: whether they chair the
    # group needs no query of its own (as ``user_chairs_group`` decides it).
    chairs_it = (
        membership is not None
        and membership.user_id == getattr(user, "pk", None)
        and membership_chairs(membership)
    )
    chairs = group.status == "active" and (
        (user.is_authenticated and user.is_staff) or chairs_it
    )
    return {
        "group": group,
        "ballots": ballot_list_for_group(group=group),
        "can_open": chairs,
        "open_url": (
            reverse("alliance:ballot_create_for_group", args=[group.slug])
            if chairs
            else None
        ),
    }


def dashboard_ballots_context(request) -> dict | None:
    """Return the ballots waiting for the person's vote (none: no panel)."""
    if not request.user.is_authenticated:
        return None
    ballots = ballot_list_waiting_for(request.user)
    if not ballots:
        return None
    return {"ballots": ballots}


def connect() -> None:
    """Register the ballots' panels, visibility, export and jobs (from
    AppConfig.ready)."""
    visibility_register(
        Ballot, visible_to=ballot_list_visible_to, viewer_ids=ballot_viewer_ids
    )
    # Heard of by whoever may see the ballot (its group's readers, or members
    # for an alliance ballot): the visibility registered above.
    notification_group_register("governance", label=_("Ballots"), order=25)
    notification_kind_register(
        KIND_OPENED, app="governance", label=_("Ballot opened"), group="governance"
    )
    notification_kind_register(
        KIND_REMINDER,
        app="governance",
        label=_("Reminder to vote"),
        group="governance",
    )
    notification_kind_register(
        KIND_RESULT, app="governance", label=_("Ballot result"), group="governance"
    )
    panel_register(
        "working_group",
        template="alliance/governance/_group_panel.html",
        context=group_ballots_panel,
        order=10,
    )
    panel_register(
        "dashboard",
        template="alliance/governance/_dashboard.html",
        context=dashboard_ballots_context,
        order=8,
    )
    personal_data_register("ballots", ballot_personal_data)
    # Which groups have ballots (shared, so the page of a group without one
    # asks the database nothing) is read again after a ballot is written; a
    # reminder sent changes nothing shown.
    cache_bump_on_write(Ballot, "ballots", unless_only=("reminded_at",))
    schedule_register(
        "Ballots: count the votes of ballots whose time is up",
        task="alliance.tasks.ballots_close_due",
        every=dt.timedelta(minutes=1),
        description="Computes, stores and announces each ballot's result once.",
    )
    schedule_register(
        "Ballots: remind voters a day before the close",
        task="alliance.tasks.ballot_reminders_send_due",
        every=dt.timedelta(minutes=5),
        description="Seat holders who have not voted, once per ballot.",
    )
