"""How the conversation takes part in shared flows: its kinds of notification
(a reply, a mention) and the reply address of update and reply emails, who
follows an update's replies, the visibility of a reply (its update's), the
replies section of an update's page, the search, the personal-data export."""

from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from alliance.conversation.models import Reply
from alliance.conversation.permissions import repliers
from alliance.conversation.selectors import (
    group_muter_ids,
    reply_list_readable_by,
    reply_personal_data,
    reply_search,
    reply_viewer_ids,
    update_participant_ids,
)
from alliance.conversation.services import reply_addresses, reply_target_update
from alliance.conversation.views import replies_panel_context
from alliance.core.cache import cache_bump_on_write
from alliance.registries.audiences import audience_register
from alliance.registries.notification_kinds import (
    notification_kind_register,
    notification_reply_address_register,
)
from alliance.registries.panels import panel_register
from alliance.registries.personal_data import personal_data_register
from alliance.registries.search import search_source_register
from alliance.registries.visibility import visibility_register
from alliance.working_groups.selectors import (
    working_group_update_list_visible_to,
    working_group_update_search_audience,
    working_group_update_search_personal,
    working_group_update_viewer_ids,
)


def reply_hearer_ids(reply: Reply, user_ids) -> set[int]:
    """Who of the update's followers hears of a reply: not those who muted its
    group, nor those it mentions (they are told of the mention instead)."""
    user_ids = set(user_ids)
    if not user_ids or not isinstance(reply, Reply):
        return user_ids
    group_id = reply.update.group_id
    mentioned = set(reply.mentioned.values_list("pk", flat=True))
    return user_ids - mentioned - group_muter_ids(group_id=group_id, user_ids=user_ids)


def reply_to_addresses(target, people) -> dict[int, str]:
    """The Reply-To of emails about an update or a reply: for those of a batch
    of recipients who may reply (``can_reply``, the group's members read once),
    never for a follower from outside the group, whose answer would be
    refused."""
    update = reply_target_update(target)
    if update is None or not settings.REPLY_EMAIL_DOMAIN:
        return {}
    return reply_addresses(target, [person.pk for person in repliers(update, people)])


def connect() -> None:
    """Register the conversation's kinds, audience, panel and search (from
    AppConfig.ready)."""
    update_model = apps.get_model("alliance", "WorkingGroupUpdate")
    notification_kind_register(
        "reply",
        app="conversation",
        label=_("Reply to an update you follow"),
        group="working_groups",
        email="digest",
        viewer_ids=reply_hearer_ids,
        bundle_heading=ngettext_lazy(
            "%(count)s reply to updates you follow",
            "%(count)s replies to updates you follow",
            "count",
        ),
    )
    notification_kind_register(
        "mention",
        app="conversation",
        label=_("You are mentioned in a reply"),
        group="working_groups",
        bundle_heading=ngettext_lazy(
            "%(count)s mention of you", "%(count)s mentions of you", "count"
        ),
    )
    notification_reply_address_register(
        ("reply", "mention", "group_update_posted", "group_minutes_posted"),
        reply_to_addresses,
    )
    # Following an update follows its replies: its author and everyone who
    # replied follow it without choosing to; anyone who may read it can follow
    # or mute it on its page. Muting the group mutes its replies even for those
    # who follow an update of it (reply_hearer_ids).
    audience_register(
        update_model,
        member_ids=update_participant_ids,
        visible_to=working_group_update_list_visible_to,
        viewer_ids=working_group_update_viewer_ids,
        # A level set on the group (or its focus area) applies to its updates.
        within="group",
    )
    # The site search's shared answers (alliance.core.cache).
    cache_bump_on_write(Reply, "replies")
    # A deleted reply's text leaves inboxes and unsent emails with it.
    visibility_register(
        Reply, visible_to=reply_list_readable_by, viewer_ids=reply_viewer_ids
    )
    panel_register(
        "working_group_update",
        template="alliance/conversation/_replies.html",
        context=replies_panel_context,
        order=10,
    )
    search_source_register(
        "replies",
        label=_("Replies"),
        search=reply_search,
        url_keys=("pk",),
        url=lambda pk: reverse("alliance:reply_link", kwargs={"pk": pk}),
        order=45,
        # A reply is read where its update is: the updates' rule decides.
        shared=("groups", "updates", "replies"),
        audience=working_group_update_search_audience,
        personal=working_group_update_search_personal,
    )
    personal_data_register("conversation", reply_personal_data)
