"""Ballots in the staff console. Staff read ballots, their votes (never the
choices of a secret ballot) and their history; they close a ballot whose time is
up or cancel one through actions that call the services. Ballots are opened on
the site (``/ballots/new/``), where the service checks what is asked."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from alliance.core.admin import admin_apply
from alliance.governance.models import Ballot, Vote
from alliance.governance.services import ballot_cancel, ballot_close


class VoteInline(admin.TabularInline):
    """Who voted; the choice only for an open (not secret) ballot."""

    model = Vote
    extra = 0
    can_delete = False
    show_change_link = False
    verbose_name_plural = _("votes cast")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("voter", "organization")

    def get_fields(self, request, obj=None):
        fields = ["organization", "seat", "voter", "weight", "cast_at"]
        if obj is not None and not obj.secret:
            fields.append("option")
        return fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _close(ballot: Ballot) -> None:
    if not ballot_close(ballot_id=ballot.pk):
        raise ValidationError(
            _("It is not past its closing time, or it is already counted.")
        )


@admin.register(Ballot)
class BallotAdmin(SimpleHistoryAdmin):
    list_display = [
        "question",
        "scope",
        "group",
        "status",
        "secret",
        "opens_at",
        "closes_at",
        "quorum_shown",
        "passed_shown",
    ]
    list_filter = ["status", "scope", "secret"]
    search_fields = ["question", "group__name"]
    list_select_related = ["group"]
    date_hierarchy = "closes_at"
    inlines = [VoteInline]
    actions = ["close_due", "cancel"]
    readonly_fields = [
        "scope",
        "group",
        "question",
        "description",
        "kind",
        "secret",
        "quorum_percent",
        "pass_rule",
        "opens_at",
        "closes_at",
        "status",
        "created_by",
        "created_at",
        "reminded_at",
        "closed_at",
        "result",
    ]
    history_list_display = ["status"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("quorum reached"), boolean=True)
    def quorum_shown(self, obj):
        return obj.result.get("quorum_reached") if obj.result else None

    @admin.display(description=_("passed"), boolean=True)
    def passed_shown(self, obj):
        return obj.result.get("passed") if obj.result else None

    @admin.action(description=_("Count the selected ballots whose time is up"))
    def close_due(self, request, queryset):
        admin_apply(
            self,
            request,
            queryset,
            _close,
            success=ngettext_lazy(
                "%(count)d ballot counted.", "%(count)d ballots counted.", "count"
            ),
        )

    @admin.action(description=_("Cancel the selected open ballots"))
    def cancel(self, request, queryset):
        admin_apply(
            self,
            request,
            queryset,
            lambda ballot: ballot_cancel(ballot=ballot),
            success=ngettext_lazy(
                "%(count)d ballot cancelled.", "%(count)d ballots cancelled.", "count"
            ),
        )
