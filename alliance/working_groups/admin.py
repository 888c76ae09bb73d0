"""Admin of working groups, memberships, updates and action items.

Imported by ``alliance.admin`` so the admin site registers it.
"""

from django.contrib import admin
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from alliance.core.admin import DefaultingListFilter, admin_apply, admin_confirm
from alliance.working_groups.models import (
    ActionItem,
    WorkingGroup,
    WorkingGroupMembership,
    WorkingGroupUpdate,
    WorkingGroupUpdateVersion,
)
from alliance.working_groups.services import (
    action_item_set_done,
    working_group_leave,
    working_group_mark_reviewed,
    working_group_request_decide,
    working_group_set_role,
    working_group_set_status,
)

Membership = WorkingGroupMembership


class GroupStatusFilter(DefaultingListFilter):
    """Show active groups unless asked for archived ones or all."""

    title = _("status")
    parameter_name = "status"
    default = WorkingGroup.Status.ACTIVE

    def lookups(self, request, model_admin):
        return [*WorkingGroup.Status.choices, ("all", _("All"))]


class MembershipStatusFilter(DefaultingListFilter):
    """Show open memberships (active, requested, invited) unless asked."""

    title = _("status")
    parameter_name = "state"
    field_name = "status"
    default = "open"
    default_values = Membership.OPEN_STATUSES

    def lookups(self, request, model_admin):
        return [
            (self.default, _("Open (active, requested, invited)")),
            *Membership.Status.choices,
            ("all", _("All")),
        ]


MEMBERSHIP_SET_BY_SERVICES = [
    "user",
    "organization",
    "role",
    "status",
    "voting",
    "non_voting_reason",
]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = [*MEMBERSHIP_SET_BY_SERVICES, "term_start", "term_end"]
    # Who holds a seat, in which role and with which vote changes only through
    # the actions of the membership list: their services keep the seat cap,
    # promote the next voter and tell the person.
    readonly_fields = MEMBERSHIP_SET_BY_SERVICES
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # people join, ask or are invited on the group's page

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("user", "organization")
            .order_by("status", "role", "term_start")
        )


@admin.register(WorkingGroup)
class WorkingGroupAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "focus_area",
        "join_policy",
        "visibility",
        "status",
        "member_count",
        "waiting_count",
        "last_reviewed",
    ]
    list_filter = [GroupStatusFilter, "focus_area", "join_policy", "visibility"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["focus_area"]
    inlines = [MembershipInline]
    actions = ["archive", "reactivate", "mark_reviewed"]
    readonly_fields = ["status"]  # archived and reactivated by the actions
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["focus_area", "name", "slug", "summary", "charter"]}),
        (
            _("Joining and visibility"),
            {"fields": ["join_policy", "visibility", "status", "last_reviewed"]},
        ),
        (_("Where the group talks"), {"fields": ["mailing_list_url", "chat_url"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                active_members=Count(
                    "memberships",
                    filter=Q(memberships__status=Membership.Status.ACTIVE),
                ),
                waiting=Count(
                    "memberships",
                    filter=Q(memberships__status=Membership.Status.PENDING),
                ),
            )
        )

    @admin.display(description=_("members"), ordering="active_members")
    def member_count(self, obj):
        return obj.active_members

    @admin.display(description=_("requests"), ordering="waiting")
    def waiting_count(self, obj):
        return obj.waiting

    def _set_status(self, request, queryset, status):
        admin_apply(
            self,
            request,
            queryset,
            lambda group: working_group_set_status(group=group, status=status),
            success=ngettext_lazy(
                "%(count)d working group changed.",
                "%(count)d working groups changed.",
                "count",
            ),
        )

    @admin.action(description=_("Archive the selected groups…"))
    def archive(self, request, queryset):
        return admin_confirm(
            self,
            request,
            queryset,
            title=_("Archive working groups"),
            button=_("Confirm: archive"),
            consequences=lambda group: [
                ngettext(
                    "Its %(count)d member keeps the page but it takes no new "
                    "members or updates.",
                    "Its %(count)d members keep the page but it takes no new "
                    "members or updates.",
                    group.active_members,
                )
                % {"count": group.active_members}
            ],
            apply=lambda groups, reason: self._set_status(
                request, groups, WorkingGroup.Status.ARCHIVED
            ),
        )

    @admin.action(description=_("Make the selected groups active again"))
    def reactivate(self, request, queryset):
        self._set_status(request, queryset, WorkingGroup.Status.ACTIVE)

    @admin.action(description=_("Mark the selected groups reviewed today"))
    def mark_reviewed(self, request, queryset):
        today = timezone.localdate()
        admin_apply(
            self,
            request,
            queryset,
            lambda group: working_group_mark_reviewed(group=group, on=today),
            success=ngettext_lazy(
                "%(count)d working group marked reviewed.",
                "%(count)d working groups marked reviewed.",
                "count",
            ),
        )


@admin.register(WorkingGroupMembership)
class WorkingGroupMembershipAdmin(SimpleHistoryAdmin):
    list_display = [
        "user",
        "group",
        "organization",
        "role",
        "status",
        "voting",
        "non_voting_reason",
        "term_start",
        "term_end",
    ]
    list_filter = [
        MembershipStatusFilter,
        "role",
        "voting",
        "group__focus_area",
        "group",
    ]
    search_fields = ["user__email", "user__name", "group__name", "organization__name"]
    list_select_related = ["user", "group", "organization"]
    readonly_fields = [
        "group",
        *MEMBERSHIP_SET_BY_SERVICES,
        "invited_by",
        "decided_by",
        "decided_at",
        "created_at",
    ]
    actions = [
        "approve_requests",
        "decline_requests",
        "end_memberships",
        "make_chair",
        "make_co_chair",
        "make_member",
        "make_observer",
    ]
    date_hierarchy = "term_start"

    def has_add_permission(self, request):
        return False  # people join, ask or are invited on the group's page

    def _each(self, request, queryset, service, success):
        admin_apply(
            self,
            request,
            queryset.select_related("group", "user"),
            service,
            success=success,
            name=lambda membership: membership.user,
        )

    @admin.action(description=_("Approve the selected requests (notifies them)"))
    def approve_requests(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda m: working_group_request_decide(
                membership=m, decided_by=request.user, approve=True
            ),
            ngettext_lazy(
                "%(count)d request approved.", "%(count)d requests approved.", "count"
            ),
        )

    @admin.action(description=_("Decline the selected requests (notifies them)"))
    def decline_requests(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda m: working_group_request_decide(
                membership=m, decided_by=request.user, approve=False
            ),
            ngettext_lazy(
                "%(count)d request declined.", "%(count)d requests declined.", "count"
            ),
        )

    @admin.action(description=_("End the selected memberships"))
    def end_memberships(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda m: working_group_leave(group=m.group, user=m.user),
            ngettext_lazy(
                "%(count)d membership ended.", "%(count)d memberships ended.", "count"
            ),
        )

    def _role_action(role, description):
        def action(self, request, queryset):
            self._each(
                request,
                queryset,
                lambda m: working_group_set_role(
                    membership=m, role=role, changed_by=request.user
                ),
                ngettext_lazy(
                    "%(count)d role changed; the person was notified.",
                    "%(count)d roles changed; the people were notified.",
                    "count",
                ),
            )

        action.__name__ = f"make_{role}"
        return admin.action(description=description)(action)

    make_chair = _role_action(
        Membership.Role.CHAIR, _("Make the selected people chairs")
    )
    make_co_chair = _role_action(
        Membership.Role.CO_CHAIR, _("Make the selected people co-chairs")
    )
    make_member = _role_action(
        Membership.Role.MEMBER, _("Make the selected people members")
    )
    make_observer = _role_action(
        Membership.Role.OBSERVER, _("Make the selected people observers (no vote)")
    )


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0
    fields = ["text", "owner", "due_date", "done", "done_at"]
    readonly_fields = ["done_at"]
    autocomplete_fields = ["owner"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner")


class VersionInline(admin.TabularInline):
    """The versions of an update's text, as the corrections kept them."""

    model = WorkingGroupUpdateVersion
    extra = 0
    fields = ["number", "title", "written_by", "written_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("written_by")


@admin.register(WorkingGroupUpdate)
class WorkingGroupUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["title", "group", "kind", "author", "created_at", "item_count"]
    list_filter = ["kind", "group__focus_area", "group"]
    search_fields = [
        "title",
        "body",
        "group__name",
        "author__email",
        "meeting__title",
        "ballot__question",
    ]
    autocomplete_fields = ["group", "author", "attendees"]
    # The meeting and the cited ballot are checked by the service when the
    # minutes or the decision are posted (same group, a closed ballot); the
    # time of the last correction is the versions' own.
    readonly_fields = ["meeting", "ballot", "edited_at"]
    list_select_related = ["group", "author"]
    date_hierarchy = "created_at"
    inlines = [ActionItemInline, VersionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(items=Count("action_items"))

    @admin.display(description=_("action items"), ordering="items")
    def item_count(self, obj):
        return obj.items


class OverdueFilter(admin.SimpleListFilter):
    title = _("due")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue")), ("open", _("Open"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(done=False, due_date__lt=timezone.localdate())
        if self.value() == "open":
            return queryset.filter(done=False)
        return queryset


@admin.register(WorkingGroupUpdateVersion)
class WorkingGroupUpdateVersionAdmin(admin.ModelAdmin):
    """The versions of minutes and decisions: kept as written, never edited."""

    list_display = ["update", "number", "written_by", "written_at"]
    search_fields = ["title", "body", "update__title", "written_by__email"]
    list_select_related = ["update", "written_by"]
    readonly_fields = ["update", "number", "title", "body", "written_by", "written_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ActionItem)
class ActionItemAdmin(SimpleHistoryAdmin):
    list_display = ["text", "owner", "group", "due_date", "done"]
    list_filter = [OverdueFilter, "done", "update__group"]
    search_fields = ["text", "owner__email", "owner__name", "update__title"]
    autocomplete_fields = ["owner", "update"]
    list_select_related = ["owner", "update__group"]
    readonly_fields = ["done_at"]
    actions = ["mark_done", "reopen"]

    @admin.display(description=_("working group"), ordering="update__group__name")
    def group(self, obj):
        return obj.update.group

    def _set_done(self, request, queryset, done, success):
        admin_apply(
            self,
            request,
            queryset,
            lambda item: action_item_set_done(item=item, done=done),
            success=success,
        )

    @admin.action(description=_("Mark the selected action items done"))
    def mark_done(self, request, queryset):
        self._set_done(request, queryset, True, _("Marked done."))

    @admin.action(description=_("Open the selected action items again"))
    def reopen(self, request, queryset):
        self._set_done(request, queryset, False, _("Opened again."))
