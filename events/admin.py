from django.contrib import admin
from django.db.models import OuterRef
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from alliance.core.admin import DefaultingListFilter, admin_apply, admin_confirm
from alliance.core.queries import count_of
from events.exports import attendees_write_csv
from events.models import (
    CalendarToken,
    Event,
    EventReminder,
    EventSeries,
    Registration,
    ShowcaseEntry,
)
from events.selectors import event_list_nearly_full
from events.services.events import event_cancel, event_publish
from events.services.registrations import registration_cancel


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = [
        "user",
        "organization",
        "status",
        "show_on_list",
        "attended",
        "created_at",
        "cancelled_at",
    ]
    readonly_fields = ["status", "created_at", "cancelled_at"]
    autocomplete_fields = ["user", "organization"]
    ordering = ["status", "id"]
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        # Seats are taken through the site or the API, which keep the capacity.
        return False


class ShowcaseEntryInline(admin.TabularInline):
    model = ShowcaseEntry
    extra = 0


class UpcomingFilter(DefaultingListFilter):
    """Show the events still to come unless asked for past ones or all."""

    title = _("when")
    parameter_name = "when"
    default = "upcoming"

    def lookups(self, request, model_admin):
        return [("upcoming", _("Upcoming")), ("past", _("Past")), ("all", _("All"))]

    def filter(self, queryset, value):
        if value == "past":
            return queryset.filter(ends_at__lt=timezone.now())
        return queryset.filter(ends_at__gte=timezone.now())


class FillFilter(admin.SimpleListFilter):
    """Upcoming published events whose seats are nearly all taken (the staff
    home links here)."""

    title = _("seats")
    parameter_name = "fill"

    def lookups(self, request, model_admin):
        return [("nearly_full", _("Nearly full"))]

    def queryset(self, request, queryset):
        if self.value() == "nearly_full":
            return event_list_nearly_full(queryset)
        return queryset


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "starts_at",
        "kind",
        "format",
        "status",
        "visibility",
        "working_group",
        "capacity",
    ]
    list_filter = [
        UpcomingFilter,
        FillFilter,
        "status",
        "kind",
        "format",
        "visibility",
        "working_group__focus_area",
        "working_group",
    ]
    search_fields = ["title", "slug", "organizer__email", "organization__name"]
    date_hierarchy = "starts_at"
    list_select_related = ["working_group"]
    autocomplete_fields = ["organizer", "organization", "working_group"]
    readonly_fields = [
        "uid",
        "status",
        "sequence",
        "series",
        "published_at",
        "cancelled_at",
        "cancellation_notified_at",
        "agenda_updated_at",
        "created_at",
        "updated_at",
    ]
    inlines = [RegistrationInline, ShowcaseEntryInline]
    actions = ["publish", "cancel", "export_attendees"]

    @admin.action(description=_("Publish the selected drafts…"))
    def publish(self, request, queryset):
        def apply(events, reason):
            admin_apply(
                self,
                request,
                events,
                lambda event: event_publish(event=event, actor=request.user),
                success=ngettext_lazy(
                    "%(count)d event published.", "%(count)d events published.", "count"
                ),
            )

        return admin_confirm(
            self,
            request,
            queryset,
            title=_("Publish events"),
            button=_("Confirm: publish"),
            consequences=lambda event: [
                _("Its audience sees it and may register; the group is told.")
                if event.status == Event.Status.DRAFT
                else _("Not a draft: nothing changes.")
            ],
            apply=apply,
        )

    @admin.action(description=_("Cancel the selected events (registrants are told)…"))
    def cancel(self, request, queryset):
        def apply(events, reason):
            admin_apply(
                self,
                request,
                events.exclude(status=Event.Status.CANCELLED),
                lambda event: event_cancel(
                    event=event, actor=request.user, reason=reason
                ),
                success=ngettext_lazy(
                    "%(count)d event cancelled.", "%(count)d events cancelled.", "count"
                ),
            )

        counted = queryset.annotate(
            told=count_of(
                Registration.objects.filter(
                    event=OuterRef("pk"), status__in=Registration.ACTIVE_STATUSES
                )
            )
        )
        return admin_confirm(
            self,
            request,
            counted,
            title=_("Cancel events"),
            button=_("Confirm: cancel"),
            consequences=lambda event: [
                ngettext(
                    "%(count)d registered person is told it is cancelled.",
                    "%(count)d registered people are told it is cancelled.",
                    event.told,
                )
                % {"count": event.told}
            ],
            apply=apply,
            reason_label=_("Why it is cancelled (registrants read it)"),
        )

    @admin.action(description=_("Export the attendees of the selected events (CSV)"))
    def export_attendees(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="attendees.csv"'
        attendees_write_csv(response, queryset.order_by("starts_at"))
        return response


@admin.register(EventSeries)
class EventSeriesAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "frequency",
        "first_starts_at",
        "ends_on",
        "generated_until",
    ]
    list_filter = ["frequency"]
    search_fields = ["title"]
    readonly_fields = ["generated_until", "created_at"]
    autocomplete_fields = ["created_by"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "event", "organization", "status", "attended", "created_at"]
    list_filter = ["status", "attended", "show_on_list"]
    search_fields = ["user__email", "user__name", "event__title"]
    list_select_related = ["user", "event", "organization"]
    autocomplete_fields = ["user", "event", "organization"]
    readonly_fields = [
        "status",
        "created_at",
        "confirmed_at",
        "promoted_at",
        "cancelled_at",
    ]
    actions = ["cancel"]

    def has_add_permission(self, request):
        return False

    @admin.action(
        description=_("Cancel the selected registrations (promotes the waitlist)")
    )
    def cancel(self, request, queryset):
        admin_apply(
            self,
            request,
            queryset.filter(status__in=Registration.ACTIVE_STATUSES),
            lambda registration: registration_cancel(
                registration=registration, actor=request.user
            ),
            success=ngettext_lazy(
                "%(count)d registration cancelled.",
                "%(count)d registrations cancelled.",
                "count",
            ),
        )


@admin.register(EventReminder)
class EventReminderAdmin(admin.ModelAdmin):
    list_display = ["event", "hours_before", "starts_at", "sent_at", "recipient_count"]
    list_select_related = ["event"]
    search_fields = ["event__title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    fields = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request):
        return False
