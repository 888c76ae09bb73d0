"""How the events app takes part in alliance-wide flows: who follows an event,
its panels on shared pages, its staff-report section and engagement column, the
personal-data export, account closing, its periodic jobs (reminders, series,
lost cancellation notices) and the demo data."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from alliance.core.cache import cache_bump_on_write
from alliance.registries.audiences import audience_register
from alliance.registries.demo import demo_register
from alliance.registries.email_attachments import email_attachment_register
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
from alliance.registries.references import reference_register
from alliance.registries.report_sections import (
    report_engagement_register,
    report_section_register,
    report_trend_register,
)
from alliance.registries.schedules import schedule_register
from alliance.registries.search import search_source_register
from alliance.registries.staff_counts import staff_count_register
from events import panels, reports
from events.calendars import event_ics_attachments
from events.models import Event, EventSeries, Registration, SeriesRegistration
from events.selectors import (
    EVENT_LIST_NAMESPACES,
    event_list_followable_by,
    event_registrant_ids,
    event_search,
    event_search_audience,
    event_search_personal,
    event_viewer_ids,
    events_followed_by,
    events_of_organization_affected,
    events_staff_counts,
    meeting_references,
)
from events.services.personal import events_account_closed, events_personal_data


def connect() -> None:
    """Register the events app's panels, jobs and hooks (from AppConfig.ready)."""
    # Working-group minutes name their meeting (alliance.working_groups).
    reference_register("working_group_meeting", resolve=meeting_references)
    # Shared caches of event lists (alliance.core.cache).
    for model in (Event, EventSeries, Registration, SeriesRegistration):
        cache_bump_on_write(model, "events")
    # Its kinds of notification, under their heading of the preferences page
    # and the digest (alliance.registries.notification_kinds).
    notification_group_register("events", label=_("Events"), order=40)
    notification_kind_register(
        "event_published",
        app="events",
        label=_("Event published"),
        group="events",
        email="digest",
        bundle_heading=ngettext_lazy(
            "%(count)s event published", "%(count)s events published", "count"
        ),
    )
    notification_kind_register(
        "event_changed", app="events", label=_("Event changed"), group="events"
    )
    notification_kind_register(
        "event_cancelled", app="events", label=_("Event cancelled"), group="events"
    )
    # An organizer's message to the people registered (events.services.messages).
    notification_kind_register(
        "event_message",
        app="events",
        label=_("Message from an event's organizers"),
        group="events",
    )
    notification_kind_register(
        "registration_confirmed",
        app="events",
        label=_("Registration confirmed"),
        group="events",
    )
    notification_kind_register(
        "registration_promoted",
        app="events",
        label=_("Promoted from the waitlist"),
        group="events",
    )
    notification_kind_register(
        "event_reminder", app="events", label=_("Event reminder"), group="events"
    )
    staff_count_register("events", build=events_staff_counts, order=40)
    organization_effect_register(
        "events", build=events_of_organization_affected, order=40
    )
    audience_register(
        Event,
        member_ids=event_registrant_ids,
        visible_to=event_list_followable_by,
        viewer_ids=event_viewer_ids,
        followed_by=events_followed_by,
        within="working_group",
    )
    personal_data_register("events", events_personal_data)
    search_source_register(
        "events",
        label=_("Events"),
        search=event_search,
        shared=("events",),
        audience=event_search_audience,
        personal=event_search_personal,
        url_keys=("slug",),
        url=lambda slug: reverse("events:event_detail", kwargs={"slug": slug}),
        order=60,
    )
    # The registration confirmation and the waitlist promotion carry the event's
    # .ics, so it goes into the person's calendar from the email.
    email_attachment_register(
        ["registration_confirmed", "registration_promoted"],
        build=event_ics_attachments,
    )
    report_section_register(
        "events_held",
        title=_("Events held and attendance"),
        build=reports.events_held,
        order=60,
    )
    report_trend_register(
        "registrations",
        label=_("Event registrations"),
        counts=reports.registrations_per_week,
        order=40,
    )
    report_engagement_register(
        "events_attended",
        label=_("Events attended"),
        counts=reports.events_attended_by_organization,
        order=20,
    )
    account_closed_register("events", events_account_closed)
    panel_register(
        "home",
        template="events/panels/home.html",
        context=panels.home,
        order=20,
        shared=EVENT_LIST_NAMESPACES,
        shared_as=panels.home_shared_as,
    )
    panel_register(
        "dashboard",
        template="events/panels/dashboard.html",
        context=panels.dashboard,
        order=50,
    )
    panel_register(
        "focus_area",
        template="events/panels/focus_area.html",
        context=panels.focus_area,
        order=30,
        shared=EVENT_LIST_NAMESPACES,
        shared_as=panels.home_shared_as,
    )
    panel_register(
        "working_group",
        template="events/panels/working_group.html",
        context=panels.working_group,
        order=30,
    )
    schedule_register(
        "events: send due reminders",
        task="events.tasks.event_reminders_send_due_task",
        every=dt.timedelta(minutes=1),
        description="Reminders 168/24/1 hours before events; each once.",
    )
    schedule_register(
        "events: generate series occurrences ahead",
        task="events.tasks.event_series_extend_all_task",
        crontab={"minute": "15", "hour": "3"},
        description="Keeps the occurrences of every series generated ahead.",
    )
    schedule_register(
        "events: send lost cancellation notices",
        task="events.tasks.event_cancellations_sweep_task",
        every=dt.timedelta(minutes=5),
        description="Cancellation notices whose task never reached a worker.",
    )
    demo_register("events", seed="events.demo.seed", order=40)
