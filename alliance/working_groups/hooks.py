"""How working groups take part in shared pages and cross-app flows: who follows
a group, the dashboard panels, the digest's action items, the personal-data
export, account closing and the demo data."""

from django.db.models.signals import post_save
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from alliance.core.cache import cache_bump_on_write
from alliance.registries.audiences import audience_register
from alliance.registries.demo import demo_register
from alliance.registries.digest_sections import digest_section_register
from alliance.registries.notification_kinds import (
    notification_group_register,
    notification_kind_register,
)
from alliance.registries.organization_effects import organization_effect_register
from alliance.registries.panels import panel_register
from alliance.registries.personal_data import (
    account_closed_register,
    personal_data_register,
)
from alliance.registries.search import search_source_register
from alliance.registries.staff_counts import staff_count_register
from alliance.registries.visibility import visibility_register
from alliance.working_groups.models import (
    ActionItem,
    WorkingGroup,
    WorkingGroupMembership,
    WorkingGroupUpdate,
)
from alliance.working_groups.selectors import (
    action_item_list_open,
    action_items_open_by_owner,
    user_group_ids,
    user_working_group_list,
    working_group_list_visible_to,
    working_group_member_ids,
    working_group_personal_data,
    working_group_search,
    working_group_search_audience,
    working_group_seats_of_organization,
    working_group_update_list_visible_to,
    working_group_update_search,
    working_group_update_search_audience,
    working_group_update_search_personal,
    working_group_update_viewer_ids,
    working_group_viewer_ids,
    working_groups_staff_counts,
)
from alliance.working_groups.services import (
    working_group_memberships_end,
    working_group_votes_recompute,
)
from members.models import Organization


def dashboard_groups_context(request) -> dict | None:
    """Return the person's groups, requests and invitations for the dashboard."""
    if not request.user.is_authenticated:
        return None
    return {"memberships": user_working_group_list(user=request.user)}


def dashboard_action_items_context(request) -> dict | None:
    """Return the person's open action items for the dashboard."""
    if not request.user.is_authenticated:
        return None
    return {"items": list(action_item_list_open(user=request.user))}


def digest_action_items(users: list, since: dict) -> dict[int, list[dict]]:
    """Return each person's open action items for their digest (one query)."""
    by_owner = action_items_open_by_owner(user_ids=[user.pk for user in users])
    return {
        owner_id: [
            {
                "text": item.text,
                "due_date": item.due_date.isoformat() if item.due_date else "",
                "group": item.update.group.name,
                "url": item.update.get_absolute_url(),
            }
            for item in items
        ]
        for owner_id, items in by_owner.items()
    }


def groups_followed_by(user):
    """Return the groups a person follows by belonging to them."""
    return WorkingGroup.objects.filter(pk__in=user_group_ids(user))


def _on_organization_saved(sender, instance, update_fields=None, **kwargs):
    # A change of membership status or tier changes the votes its people hold.
    if update_fields is None or {"status", "tier"} & set(update_fields):
        working_group_votes_recompute(organization=instance)


def connect() -> None:
    """Register the working groups' panels and hooks (from AppConfig.ready)."""
    # Shared caches of groups and rosters (alliance.core.cache).
    cache_bump_on_write(WorkingGroup, "groups")
    cache_bump_on_write(WorkingGroupMembership, "groups")
    cache_bump_on_write(WorkingGroupUpdate, "updates")
    # Action items show under their update and in the group's open items.
    cache_bump_on_write(ActionItem, "updates")
    # Its kinds of notification, under their heading of the preferences page
    # and the digest (alliance.registries.notification_kinds).
    notification_group_register("working_groups", label=_("Working groups"), order=20)
    notification_kind_register(
        "group_join_requested",
        app="working_groups",
        label=_("Request to join a group"),
        group="working_groups",
    )
    notification_kind_register(
        "group_join_decided",
        app="working_groups",
        label=_("Decision on a join request"),
        group="working_groups",
    )
    notification_kind_register(
        "group_invitation",
        app="working_groups",
        label=_("Invitation to a group"),
        group="working_groups",
    )
    notification_kind_register(
        "group_role_changed",
        app="working_groups",
        label=_("Your role in a group"),
        group="working_groups",
    )
    notification_kind_register(
        "group_update_posted",
        app="working_groups",
        label=_("Working group update"),
        group="working_groups",
        email="digest",
        bundle_heading=ngettext_lazy(
            "%(count)s working-group update", "%(count)s working-group updates", "count"
        ),
    )
    notification_kind_register(
        "group_minutes_posted",
        app="working_groups",
        label=_("Meeting minutes"),
        group="working_groups",
        email="digest",
        bundle_heading=ngettext_lazy(
            "%(count)s set of minutes posted",
            "%(count)s sets of minutes posted",
            "count",
        ),
    )
    notification_kind_register(
        "action_item_assigned",
        app="working_groups",
        label=_("Action item assigned"),
        group="working_groups",
    )
    post_save.connect(
        _on_organization_saved,
        sender=Organization,
        dispatch_uid="working-groups-votes",
    )
    staff_count_register("working_groups", build=working_groups_staff_counts, order=20)
    organization_effect_register(
        "working_group_seats", build=working_group_seats_of_organization, order=20
    )
    audience_register(
        WorkingGroup,
        member_ids=working_group_member_ids,
        visible_to=working_group_list_visible_to,
        viewer_ids=working_group_viewer_ids,
        followed_by=groups_followed_by,
        within="focus_area",
    )
    visibility_register(
        WorkingGroupUpdate,
        visible_to=working_group_update_list_visible_to,
        viewer_ids=working_group_update_viewer_ids,
    )
    search_source_register(
        "working_groups",
        label=_("Working groups"),
        search=working_group_search,
        url_keys=("slug",),
        url=lambda slug: reverse(
            "alliance:working_group_detail", kwargs={"slug": slug}
        ),
        order=30,
        shared=("groups",),
        audience=working_group_search_audience,
    )
    search_source_register(
        "updates",
        label=_("Updates, minutes and decisions"),
        search=working_group_update_search,
        url_keys=("group__slug", "pk"),
        url=lambda slug, pk: reverse(
            "alliance:working_group_update_detail", kwargs={"slug": slug, "pk": pk}
        ),
        order=40,
        shared=("groups", "updates"),
        audience=working_group_update_search_audience,
        personal=working_group_update_search_personal,
    )
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
        order=30,
    )
    # Open action items ride along in a digest but never send one by themselves.
    digest_section_register(
        "action_items",
        title=_("Your open action items"),
        template="alliance/email/digest/_action_items",
        items=digest_action_items,
        order=40,
        news=False,
        kinds=("action_item_assigned",),
    )
    personal_data_register("working_groups", working_group_personal_data)
    account_closed_register(
        "working_groups", lambda user: working_group_memberships_end(user=user)
    )
    demo_register("working_groups", seed="alliance.working_groups.demo.seed", order=20)
