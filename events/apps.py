from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from alliance.hooks import (
            account_closed_register,
            audience_register,
            personal_data_register,
        )
        from alliance.panels import panel_register
        from alliance.report_sections import (
            report_engagement_register,
            report_section_register,
        )
        from events import panels, reports
        from events.models import Event
        from events.selectors import event_registrant_ids, events_followed_by
        from events.services.personal import events_account_closed, events_personal_data

        audience_register(
            Event, member_ids=event_registrant_ids, followed_by=events_followed_by
        )
        personal_data_register("events", events_personal_data)
        report_section_register(
            "events_held",
            title=_("Events held and attendance"),
            build=reports.events_held,
            order=60,
        )
        report_engagement_register(
            "events_attended",
            label=_("Events attended"),
            counts=reports.events_attended_by_organization,
            order=20,
        )
        account_closed_register("events", events_account_closed)
        panel_register(
            "home", template="events/panels/home.html", context=panels.home, order=20
        )
        panel_register(
            "dashboard",
            template="events/panels/dashboard.html",
            context=panels.dashboard,
            order=20,
        )
        panel_register(
            "focus_area",
            template="events/panels/focus_area.html",
            context=panels.focus_area,
            order=20,
        )
        panel_register(
            "working_group",
            template="events/panels/working_group.html",
            context=panels.working_group,
            order=20,
        )
