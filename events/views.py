"""Pages of the events app: lists, calendar, event page, registering, organizing,
calendar files and feeds."""

import calendar
import datetime
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from alliance.core.cache import shared_fragment, shared_value
from alliance.core.decorators import sign_in_when_hidden
from alliance.core.forms import form_add_service_errors
from alliance.core.time_zones import time_zone_shown
from alliance.core.visitor_pages import visitor_page
from alliance.registries.references import reference_resolve
from alliance.working_groups.selectors import (
    meeting_minutes_list,
    meeting_open_action_items,
    user_may_post_updates,
    working_group_list,
)
from events import calendars
from events.exports import attendees_write_csv
from events.filters import EventFilter, month_bounds
from events.forms import (
    AgendaForm,
    AttendanceForm,
    AttendeeMessageForm,
    CancelEventForm,
    EventForm,
    RegistrationForm,
)
from events.models import CalendarToken, Event, Registration
from events.overlays import mine_laid_over, mine_slot_ids
from events.permissions import (
    can_create_event_for_group,
    can_create_events,
    can_edit_agenda,
    can_manage_event,
    can_see_online_link,
)
from events.selectors import (
    EVENT_LIST_NAMESPACES,
    calendar_events_for_group,
    calendar_events_for_user,
    event_attendees,
    event_attendees_public,
    event_detail,
    event_in_range,
    event_list,
    event_list_audience,
    event_list_beyond_audience,
    event_list_for_audience,
    event_list_mine,
    event_list_one_per_series,
    registration_for,
    series_occurrences_upcoming,
    series_registration_active,
    user_organized_events,
    user_registrations,
)
from events.services.agenda import event_agenda_set
from events.services.calendars import (
    calendar_token_get_or_create,
    calendar_token_regenerate,
)
from events.services.events import (
    event_cancel,
    event_create,
    event_publish,
    event_update,
)
from events.services.messages import MESSAGES_PER_DAY, event_message_send
from events.services.registrations import (
    registration_cancel,
    registration_create,
    registration_mark_attended,
    registration_set_visibility,
)
from events.services.series import series_leave, series_register

PAGE_SIZE = 20
# The filters' choices: the focus areas and the working groups.
EVENT_FILTER_CACHE_NAMESPACES = ("groups", "focus_areas")


def _event_or_404(request, slug) -> Event:
    try:
        return event_detail(request.user, slug=slug)
    except Event.DoesNotExist as exc:
        raise Http404(_("No event found at this address.")) from exc


def _managed_event_or_404(request, slug) -> Event:
    event = _event_or_404(request, slug)
    if not can_manage_event(request.user, event):
        raise PermissionDenied(_("Only the event's organizers may do this."))
    return event


@visitor_page(EVENT_LIST_NAMESPACES)
def event_list_view(request):
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    month = request.GET.get("month", "")
    user = request.user
    audience = event_list_audience(user)
    # The list is the same for every reader of one audience (visitors, members,
    # staff): shared, dropped by any write to events; the person's own seats
    # are laid over it. A person who sees events beyond their audience's in
    # this span (their groups', drafts they manage) reads the list shared by
    # those who see the same events beyond it (a group's members), or, beyond
    # ``BEYOND_SHARED`` of them, a list of their own.
    fragment = _event_list_fragment(request, audience)
    body = None
    if fragment.html is None:
        beyond = _event_list_beyond(user, when, month)
        if not beyond:
            fragment.store(_event_list_body(request, None, when=when, month=month))
    if fragment.html is not None:
        body, beyond = _event_list_overlay(
            request, fragment.html, when=when, month=month
        )
    if body is None and len(beyond) <= BEYOND_SHARED:
        body = _event_list_beyond_shared(request, beyond, when=when, month=month)
    if body is None:
        body = _event_list_body(request, user, when=when, month=month)
    return render(
        request,
        "events/event_list.html",
        {
            "body": body,
            "when": when,
            "month": month,
            "can_create": can_create_events(user),
        },
    )


# At most this many events beyond their audience's, a person reads the list
# shared by those who see the same ones; with more, a list of their own.
BEYOND_SHARED = 200


def _ids_digest(ids: tuple) -> str:
    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:24]


def _event_list_fragment(request, audience: str, also: tuple = ()):
    """The list page's body shared by ``audience`` (``also``: and by those of
    it who see just the events of these ids beyond it)."""
    if also:
        audience = f"{audience}+{_ids_digest(also)}"
    return shared_fragment(
        EVENT_LIST_NAMESPACES,
        audience=audience,
        parts=(
            "event_list",
            request.GET.urlencode(),
            # Times in each event's own zone, or in the reader's (with the date).
            getattr(request, "time_zone_source", ""),
            timezone.localdate(),
        ),
    )


def _event_list_mine(user, when, month, **kwargs):
    """``event_list_mine`` for the list page: with the ids of up to one more
    than ``BEYOND_SHARED`` of the events beyond the audience's in the span."""
    return event_list_mine(
        user,
        beyond=lambda: event_list_beyond_audience(user, when="all" if month else when),
        beyond_ids=BEYOND_SHARED + 1,
        **kwargs,
    )


def _event_list_beyond(user, when, month) -> tuple:
    """The ids of the events the person sees beyond their audience's in the
    span (up to one more than ``BEYOND_SHARED``; none: nothing beyond)."""
    if not user.is_authenticated:
        return ()
    return _event_list_mine(user, when, month).beyond_ids


def _event_list_beyond_shared(request, also: tuple, *, when, month) -> str:
    """The body shared by the readers of the person's audience who see just
    the events ``also`` beyond it, with the person's own seats laid over."""
    user = request.user
    fragment = _event_list_fragment(request, event_list_audience(user), also)
    if fragment.html is None:
        fragment.store(
            _event_list_body(request, None, when=when, month=month, also=also)
        )
    event_ids, series_ids = mine_slot_ids(fragment.html)
    return mine_laid_over(
        fragment.html,
        event_list_mine(user, event_ids=event_ids, series_ids=series_ids),
    )


def _event_list_page(request, user, *, when, month, also: tuple = ()):
    """The filters and the page of events the list shows ``user`` (None: the
    reader's whole audience, ``also``: and the events of these ids)."""
    span = "all" if month else when
    if user is None:
        events = event_list_for_audience(
            event_list_audience(request.user), when=span, also=also
        )
    else:
        events = event_list(user, when=span)
    filterset = EventFilter(request.GET or None, queryset=events)
    # A series is one item: its next meeting (the latest one among past events).
    shown = event_list_one_per_series(
        filterset.qs, user, latest=when == "past" and not month
    )
    return filterset, Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))


def _event_list_page_shared(request, *, when, month, also: tuple = ()) -> Page:
    """The page of events the reader's audience sees (``also``: and the events of
    these ids), shared whatever their language and time zone (a month is one
    in the reader's zone): the list is rendered once per zone from it."""

    def compute():
        page = _event_list_page(request, None, when=when, month=month, also=also)[1]
        return list(page.object_list), page.number, page.paginator.count

    events, number, count = shared_value(
        EVENT_LIST_NAMESPACES,
        audience=event_list_audience(request.user),
        parts=("event_list_page", request.GET.urlencode(), _ids_digest(also)),
        compute=compute,
        local=bool(month),
    )
    return Page(events, number, Paginator(range(count), PAGE_SIZE))


def _event_list_body(request, user, *, when, month, also: tuple = ()) -> str:
    """Render the filters and the page of events: for ``user``, or with no
    user for the reader's whole audience (``also``: and the events of these
    ids), each event's own slot marked."""
    if user is None:
        page = _event_list_page_shared(request, when=when, month=month, also=also)
        filterset = EventFilter(request.GET or None, queryset=Event.objects.none())
    else:
        filterset, page = _event_list_page(request, user, when=when, month=month)
    # The filters' choices (every working group): rendered once for everyone.
    filter_fragment = shared_fragment(
        EVENT_FILTER_CACHE_NAMESPACES,
        audience="everyone",
        parts=("event_filter", request.GET.urlencode(), timezone.localdate()),
        # The months offered depend on the reader's date alone, not their zone.
        local="language",
    )
    return render_to_string(
        "events/_event_list_body.html",
        {
            "request": request,
            "when": when,
            "month": month,
            "filter": filterset,
            "filter_fragment": filter_fragment,
            "page": page,
            "events": page.object_list,
            "overlay": user is None,
        },
    )


def _event_list_overlay(request, html: str, *, when, month) -> tuple[str | None, tuple]:
    """Lay the person's own registrations over a list rendered for their
    audience (one query at most, none for visitors); or, when the person sees
    events beyond their audience's, return None and those events' ids."""
    user = request.user
    if not user.is_authenticated:
        return mine_laid_over(html), ()
    event_ids, series_ids = mine_slot_ids(html)
    mine = _event_list_mine(
        user, when, month, event_ids=event_ids, series_ids=series_ids
    )
    if mine.beyond:
        return None, mine.beyond_ids
    return mine_laid_over(html, mine), ()


def event_calendar(request):
    today = timezone.localdate()
    month = request.GET.get("month") or f"{today:%Y-%m}"
    try:
        start, end = month_bounds(month)
    except ValidationError:
        messages.error(request, _("Give the month as YYYY-MM, e.g. 2026-05."))
        start, end = month_bounds(f"{today:%Y-%m}")
    by_day: dict[datetime.date, list[Event]] = {}
    for event in event_in_range(request.user, start=start, end=end):
        shown = timezone.localtime(
            event.starts_at, time_zone_shown(request, event.time_zone)
        )
        by_day.setdefault(shown.date(), []).append(event)
    weeks = [
        [
            {
                "date": day,
                "in_month": day.month == start.month,
                "today": day == today,
                "events": by_day.get(day, []),
            }
            for day in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(
            start.year, start.month
        )
    ]
    previous_month = (start - datetime.timedelta(days=1)).strftime("%Y-%m")
    return render(
        request,
        "events/event_calendar.html",
        {
            "weeks": weeks,
            "month_start": start,
            "previous_month": previous_month,
            "next_month": end.strftime("%Y-%m"),
            "weekdays": [
                datetime.date(2024, 1, day) for day in range(1, 8)
            ],  # 1 Jan 2024 was a Monday
            "has_events": bool(by_day),
        },
    )


def _registration_context(request, event, *, registration=None, form=None) -> dict:
    if registration is None:
        registration = registration_for(request.user, event)
    return {
        "event": event,
        "registration": registration,
        "registration_form": form
        or RegistrationForm(
            initial={"show_on_list": getattr(registration, "show_on_list", False)}
        ),
        "show_link": can_see_online_link(request.user, event, registration),
        "can_manage": can_manage_event(request.user, event),
        "now": timezone.now(),
    }


@sign_in_when_hidden
def event_detail_view(request, slug):
    event = _event_or_404(request, slug)
    context = _registration_context(request, event)
    showcase = list(event.showcase_entries.values_list("entry_slug", flat=True))
    found = reference_resolve("catalog_entry", showcase)
    context.update(
        {
            "attendees": event_attendees_public(event)
            if context["registration"] or context["can_manage"]
            else None,
            "showcase": [found[slug] for slug in showcase if slug in found],
            "viewer_tz": timezone.get_current_timezone(),
            "calendar_links": calendars.event_web_calendar_links(event),
            "series_dates": series_occurrences_upcoming(event, request.user),
            "my_series": series_registration_active(event.series_id, request.user),
            "meeting": _meeting_context(request, event, context),
        }
    )
    return render(request, "events/event_detail.html", context)


def _meeting_context(request, event, context) -> dict | None:
    """A working-group meeting's agenda: the chairs' text, the group's open
    action items (for those who may read the group's updates), its minutes,
    and what the chairs and organizers may do with it."""
    if event.kind != Event.Kind.MEETING or not event.working_group_id:
        return None
    user = request.user
    upcoming = (
        event.status != Event.Status.CANCELLED and event.starts_at > (context["now"])
    )
    return {
        "items": meeting_open_action_items(group_id=event.working_group_id, user=user),
        "minutes": meeting_minutes_list(event_id=event.pk, user=user),
        "can_edit_agenda": upcoming and can_edit_agenda(user, event),
        # Only when the group's page will take them (an organizer who is not,
        # or no longer, one of its members may not post there).
        "can_post_minutes": context["can_manage"]
        and event.status == Event.Status.PUBLISHED
        and user_may_post_updates(user, event.working_group),
    }


@login_required
@require_http_methods(["GET", "POST"])
def event_agenda_view(request, slug):
    event = _event_or_404(request, slug)
    if not can_edit_agenda(request.user, event):
        raise PermissionDenied(_("Only the group's chairs draft the agenda."))
    form = AgendaForm(request.POST or None, initial={"agenda": event.agenda})
    if request.method == "POST" and form.is_valid():
        try:
            event_agenda_set(event=event, agenda=form.cleaned_data["agenda"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The agenda is saved. Members see it on the meeting's page "
                    "and in the reminder."
                ),
            )
            return redirect(event)
    return render(
        request,
        "events/event_agenda.html",
        {
            "event": event,
            "form": form,
            "items": meeting_open_action_items(
                group_id=event.working_group_id, user=request.user
            ),
        },
    )


def _registration_response(request, event, message, *, level=messages.SUCCESS):
    if request.htmx:
        event = _event_or_404(request, event.slug)
        context = _registration_context(request, event)
        context["panel_message"] = message
        context["panel_message_level"] = (
            "error" if level == messages.ERROR else "success"
        )
        return render(request, "events/_registration_panel.html", context)
    messages.add_message(request, level, message)
    return redirect(event)


@login_required
@require_POST
def register(request, slug):
    event = _event_or_404(request, slug)
    form = RegistrationForm(request.POST)
    form.is_valid()
    try:
        registration = registration_create(
            event=event,
            user=request.user,
            show_on_list=form.cleaned_data.get("show_on_list", False),
        )
    except ValidationError as error:
        return _registration_response(
            request, event, " ".join(error.messages), level=messages.ERROR
        )
    if registration.status == Registration.Status.CONFIRMED:
        message = _("You are registered: your seat is confirmed.")
    else:
        position = registration_for(request.user, event).position
        message = _(
            "The event is full: you are on the waitlist at position %(position)s. "
            "You get a seat automatically when one frees up."
        ) % {"position": position}
    return _registration_response(request, event, message)


@login_required
@require_POST
def registration_cancel_view(request, slug):
    """Ask first, then cancel: a seat given up goes to the next person at once."""
    event = _event_or_404(request, slug)
    registration = registration_for(request.user, event)
    if registration is None:
        return _registration_response(
            request, event, _("You are not registered for this event.")
        )
    if request.POST.get("confirm") != "yes":
        context = _registration_context(request, event, registration=registration)
        context["confirm_cancel"] = True
        if request.htmx:
            return render(request, "events/_registration_panel.html", context)
        return render(request, "events/registration_cancel.html", context)
    waiting = registration.status == Registration.Status.WAITLISTED
    try:
        registration_cancel(registration=registration, actor=request.user)
    except ValidationError as error:
        return _registration_response(
            request, event, " ".join(error.messages), level=messages.ERROR
        )
    message = (
        _("You have left the waitlist.")
        if waiting
        else _("Your registration is cancelled.")
    )
    return _registration_response(request, event, message)


def _series_register_message(outcome) -> str:
    parts = []
    if outcome.confirmed:
        parts.append(
            ngettext(
                "Registered for %(count)s date",
                "Registered for %(count)s dates",
                outcome.confirmed,
            )
            % {"count": outcome.confirmed}
        )
    if outcome.waitlisted:
        parts.append(
            ngettext(
                "waitlisted for %(count)s (full)",
                "waitlisted for %(count)s (full)",
                outcome.waitlisted,
            )
            % {"count": outcome.waitlisted}
        )
    if outcome.already:
        parts.append(
            ngettext(
                "already registered for %(count)s",
                "already registered for %(count)s",
                outcome.already,
            )
            % {"count": outcome.already}
        )
    if outcome.closed:
        parts.append(
            ngettext(
                "%(count)s date does not take registrations",
                "%(count)s dates do not take registrations",
                outcome.closed,
            )
            % {"count": outcome.closed}
        )
    message = ", ".join(parts)
    message = message[:1].upper() + message[1:] + "."
    return message + " " + _("New dates of the series will register you too.")


@login_required
@require_POST
def series_register_view(request, slug):
    """Register for every coming date of the event's series in one step."""
    event = _event_or_404(request, slug)
    if not event.series_id:
        raise Http404(_("This event is not part of a series."))
    form = RegistrationForm(request.POST)
    form.is_valid()
    try:
        outcome = series_register(
            series=event.series,
            user=request.user,
            show_on_list=form.cleaned_data.get("show_on_list", False),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _series_register_message(outcome))
    return redirect(event)


@login_required
@require_POST
def series_leave_view(request, slug):
    """Ask first, then leave every coming date of the series in one step."""
    event = _event_or_404(request, slug)
    if not event.series_id:
        raise Http404(_("This event is not part of a series."))
    if request.POST.get("confirm") != "yes":
        context = _registration_context(request, event)
        context["series_dates"] = series_occurrences_upcoming(event, request.user)
        return render(request, "events/series_leave.html", context)
    outcome = series_leave(series=event.series, user=request.user)
    total = outcome.seats + outcome.waitlist_places
    messages.success(
        request,
        ngettext(
            "You have left the series: %(count)s registration cancelled.",
            "You have left the series: %(count)s registrations cancelled.",
            total,
        )
        % {"count": total},
    )
    return redirect(event)


@login_required
@require_POST
def registration_visibility(request, slug):
    event = _event_or_404(request, slug)
    registration = registration_for(request.user, event)
    if registration is None:
        raise Http404(_("You are not registered for this event."))
    form = RegistrationForm(request.POST)
    form.is_valid()
    shown = form.cleaned_data.get("show_on_list", False)
    registration_set_visibility(registration=registration, show_on_list=shown)
    message = (
        _("Others can now see you on the attendee list.")
        if shown
        else _("You are no longer shown on the attendee list.")
    )
    return _registration_response(request, event, message)


def event_ics_view(request, slug):
    event = _event_or_404(request, slug)
    registration = registration_for(request.user, event)
    body = calendars.event_ics(
        event,
        with_link=can_see_online_link(request.user, event, registration),
        my_status=registration.status if registration else None,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def _feed_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def _feed_owner(key: str):
    token = (
        CalendarToken.objects.select_related("user")
        .filter(key=key, user__is_active=True)
        .first()
    )
    if token is None:
        raise Http404(
            _(
                "This calendar address is not valid (any more). Copy the current "
                "address from “My events” in the portal."
            )
        )
    return token.user


def personal_feed(request, key):
    owner = _feed_owner(key)
    events = list(calendar_events_for_user(owner))
    # In the owner's language, whatever the calendar program fetching it sends.
    with translation.override(owner.language):
        body = calendars.calendar_build(
            events,
            name=_("AI Alliance: my events"),
            link_for=lambda event: (
                event.my_status == Registration.Status.CONFIRMED
                or can_manage_event(owner, event)
            ),
            status_for=lambda event: event.my_status,
        )
    return _feed_response(body, "alliance-my-events.ics")


def group_feed(request, slug, key=None):
    group = get_object_or_404(working_group_list(with_counts=False), slug=slug)
    viewer = _feed_owner(key) if key else request.user
    events = list(calendar_events_for_group(group, viewer))
    language = viewer.language if key else translation.get_language()
    with translation.override(language):
        body = calendars.calendar_build(
            events, name=_("AI Alliance: %(group)s") % {"group": group.name}
        )
    return _feed_response(body, f"{slugify(group.slug)}.ics")


@login_required
def my_events(request):
    token = calendar_token_get_or_create(user=request.user)
    feed_url = request.build_absolute_uri(
        reverse("events:personal_feed", kwargs={"key": token.key})
    )
    return render(
        request,
        "events/my_events.html",
        {
            "registrations": user_registrations(request.user),
            "past_registrations": user_registrations(request.user, upcoming=False)[:20],
            "organizing": user_organized_events(request.user),
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
            "can_create": can_create_events(request.user),
        },
    )


@login_required
@require_POST
def feed_regenerate(request):
    calendar_token_regenerate(user=request.user)
    messages.success(
        request,
        _(
            "Your calendar feed has a new address. The old one no longer works: "
            "subscribe again with the new one."
        ),
    )
    return redirect("events:my_events")


@login_required
@require_http_methods(["GET", "POST"])
def event_create_view(request):
    if not can_create_events(request.user):
        raise PermissionDenied(
            _(
                "Only staff, working group chairs and people whose organization's "
                "membership includes publishing events may create events."
            )
        )
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        group = form.cleaned_data.get("working_group")
        if not can_create_event_for_group(request.user, group):
            form.add_error(
                "working_group",
                _("Choose a group you chair; other events need publishing rights."),
            )
        else:
            try:
                event = event_create(
                    organizer=request.user,
                    showcase_entries=form.cleaned_data.get("showcase_entries", []),
                    repeat=form.cleaned_data.get("repeat", ""),
                    repeat_until=form.cleaned_data.get("repeat_until"),
                    **form.event_fields(),
                )
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Draft saved. Check it, then publish it so members can "
                        "register."
                    ),
                )
                return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": None})


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, slug):
    event = _managed_event_or_404(request, slug)
    if event.is_cancelled:
        messages.error(request, _("A cancelled event cannot be changed."))
        return redirect(event)
    form = EventForm(request.POST or None, instance=event, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = form.event_fields()
        group = fields.get("working_group")
        if (
            group is not None
            and group.pk != event.working_group_id
            and not (can_create_event_for_group(request.user, group))
        ):
            form.add_error("working_group", _("Choose a group you chair."))
        else:
            try:
                event = event_update(
                    event=event,
                    actor=request.user,
                    scope=form.cleaned_data.get("scope") or "one",
                    showcase_entries=form.cleaned_data.get("showcase_entries")
                    if "showcase_entries" in form.fields
                    else None,
                    **fields,
                )
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Saved. People registered are told about changes of "
                        "time and place."
                    )
                    if event.is_published
                    else _("Saved."),
                )
                return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@login_required
@require_POST
def event_publish_view(request, slug):
    event = _managed_event_or_404(request, slug)
    try:
        event_publish(event=event, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Published: members can now register."))
    return redirect(event)


@login_required
@require_http_methods(["GET", "POST"])
def event_cancel_view(request, slug):
    event = _managed_event_or_404(request, slug)
    form = CancelEventForm(request.POST or None)
    if not event.series_id:
        del form.fields["scope"]
    if request.method == "POST" and form.is_valid():
        event_cancel(
            event=event,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            scope=form.cleaned_data.get("scope") or "one",
        )
        messages.success(
            request,
            _("The event is cancelled. Everyone registered is being told."),
        )
        return redirect(event)
    return render(request, "events/event_cancel.html", {"form": form, "event": event})


@login_required
@require_http_methods(["GET", "POST"])
def attendees(request, slug):
    event = _managed_event_or_404(request, slug)
    if request.method == "POST":
        form = AttendanceForm(request.POST)
        if form.is_valid():
            registration = get_object_or_404(
                Registration.objects.filter(event=event),
                pk=form.cleaned_data["registration"],
            )
            try:
                registration_mark_attended(
                    registration=registration,
                    attended=form.cleaned_data["attended"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Attendance of %(name)s saved.")
                    % {"name": registration.user.public_name},
                )
        else:
            messages.error(request, _("Choose whether the person attended."))
        return redirect("events:attendees", slug=event.slug)
    return render(
        request,
        "events/event_attendees.html",
        {"event": event, "attendees": event_attendees(event)},
    )


def attendees_csv(request, slug):
    event = _managed_event_or_404(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{event.slug}-attendees.csv"'
    )
    attendees_write_csv(response, [event])
    return response


@login_required
@require_http_methods(["GET", "POST"])
def attendees_message(request, slug):
    """Organizers write to the people registered; a worker sends each copy."""
    event = _managed_event_or_404(request, slug)
    form = AttendeeMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = event_message_send(
                event=event,
                sender=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                to=form.cleaned_data["to"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Sent to %(count)s person.",
                    "Sent to %(count)s people.",
                    message.recipient_count,
                )
                % {"count": message.recipient_count},
            )
            return redirect("events:attendees", slug=event.slug)
    return render(
        request,
        "events/attendees_message.html",
        {"event": event, "form": form, "per_day": MESSAGES_PER_DAY},
    )
