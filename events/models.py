import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from timezone_field import TimeZoneField

from alliance.core.dates import AFTER_LATEST, EARLIEST, validate_in_window
from alliance.core.markdown import MarkdownField
from alliance.core.text import validate_no_bidi_controls
from alliance.core.time_zones import validate_time_zone


def default_reminder_hours() -> list[int]:
    return [24, 1]


class EventSeries(models.Model):
    """A regular meeting (weekly, every two weeks, monthly) whose occurrences are
    generated ahead as events."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        BIWEEKLY = "biweekly", _("Every two weeks")
        MONTHLY = "monthly", _("Every month, on the same weekday")

    title = models.CharField(
        _("title"), max_length=200, validators=[validate_no_bidi_controls]
    )
    frequency = models.CharField(_("repeats"), max_length=16, choices=Frequency.choices)
    first_starts_at = models.DateTimeField(
        _("first occurrence starts"), validators=[validate_in_window]
    )
    time_zone = TimeZoneField(
        _("time zone"), use_pytz=False, validators=[validate_time_zone]
    )
    ends_on = models.DateField(
        _("last possible date"),
        null=True,
        blank=True,
        help_text=_("Leave empty to repeat until the series is cancelled."),
        validators=[validate_in_window],
    )
    generated_until = models.DateTimeField(
        _("occurrences generated until"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("event series")
        verbose_name_plural = _("event series")
        ordering = ["title"]
        # Dates every time zone can show (alliance.core.dates).
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    first_starts_at__gte=EARLIEST, first_starts_at__lt=AFTER_LATEST
                )
                & (
                    models.Q(ends_on__isnull=True)
                    | models.Q(ends_on__lt=AFTER_LATEST.date())
                ),
                name="event_series_dates_in_window",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_frequency_display()})"


class Event(models.Model):
    """Something members can attend: a meeting, workshop, webinar, conference,
    hackathon or showcase."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Working group meeting")
        WORKSHOP = "workshop", _("Workshop")
        WEBINAR = "webinar", _("Webinar")
        CONFERENCE = "conference", _("Conference")
        HACKATHON = "hackathon", _("Hackathon")
        SHOWCASE = "showcase", _("Showcase")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        MEMBERS = "members", _("Members of the alliance")
        GROUP = "group", _("Members of the working group")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(
        _("title"), max_length=200, validators=[validate_no_bidi_controls]
    )
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = MarkdownField(
        _("description"), blank=True, help_text=_("Markdown is supported.")
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.WORKSHOP
    )
    focus_area = models.ForeignKey(
        "alliance.FocusArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("focus area"),
    )
    working_group = models.ForeignKey(
        "alliance.WorkingGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("working group"),
    )
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organized_events",
        verbose_name=_("organizer"),
    )
    organization = models.ForeignKey(
        "members.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("organizing organization"),
    )
    agenda = MarkdownField(
        _("agenda"),
        blank=True,
        help_text=_(
            "For a working-group meeting: drafted by the group's chairs before "
            "the meeting. Markdown is supported."
        ),
    )
    agenda_updated_at = models.DateTimeField(
        _("agenda updated"), null=True, blank=True, editable=False
    )
    format = models.CharField(
        _("format"), max_length=16, choices=Format.choices, default=Format.ONLINE
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    online_url = models.URLField(
        _("online link"),
        max_length=500,
        blank=True,
        help_text=_("Shown only to people with a confirmed seat."),
    )
    starts_at = models.DateTimeField(_("starts"), validators=[validate_in_window])
    ends_at = models.DateTimeField(_("ends"), validators=[validate_in_window])
    time_zone = TimeZoneField(
        _("time zone"), use_pytz=False, default="UTC", validators=[validate_time_zone]
    )
    capacity = models.PositiveIntegerField(
        _("seats"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit."),
    )
    seats_per_organization = models.PositiveSmallIntegerField(
        _("seats per organization"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit per organization."),
    )
    registration_opens_at = models.DateTimeField(
        _("registration opens"), null=True, blank=True, validators=[validate_in_window]
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Leave empty to keep registration open until the start."),
        validators=[validate_in_window],
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    visibility = models.CharField(
        _("visible to"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    reminder_hours = models.JSONField(
        _("reminders (hours before the start)"),
        default=default_reminder_hours,
        blank=True,
    )
    series = models.ForeignKey(
        EventSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="occurrences",
        verbose_name=_("series"),
    )
    occurrence_key = models.DateTimeField(
        _("scheduled start in the series"), null=True, blank=True, editable=False
    )
    detached = models.BooleanField(
        _("edited apart from its series"), default=False, editable=False
    )
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancellation_notified_at = models.DateTimeField(
        _("registrants told of cancellation"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_start",
            ),
            # Dates every time zone can show (alliance.core.dates): a stored
            # moment near year 9999 took every page listing it down.
            models.CheckConstraint(
                condition=models.Q(starts_at__gte=EARLIEST, ends_at__lt=AFTER_LATEST)
                & (
                    models.Q(registration_opens_at__isnull=True)
                    | models.Q(
                        registration_opens_at__gte=EARLIEST,
                        registration_opens_at__lt=AFTER_LATEST,
                    )
                )
                & (
                    models.Q(registration_closes_at__isnull=True)
                    | models.Q(
                        registration_closes_at__gte=EARLIEST,
                        registration_closes_at__lt=AFTER_LATEST,
                    )
                ),
                name="event_dates_in_window",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gt=0),
                name="event_capacity_positive",
            ),
            models.CheckConstraint(
                condition=~models.Q(visibility="group")
                | models.Q(working_group__isnull=False),
                name="event_group_visibility_needs_group",
            ),
            models.UniqueConstraint(
                fields=["series", "occurrence_key"],
                name="event_one_occurrence_per_series_slot",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["working_group", "starts_at"]),
            models.Index(fields=["ends_at"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:event_detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def is_online(self) -> bool:
        return self.format in (self.Format.ONLINE, self.Format.HYBRID)

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        confirmed = getattr(self, "confirmed_count", None)
        if confirmed is None:
            confirmed = self.registrations.filter(
                status=Registration.Status.CONFIRMED
            ).count()
        return max(self.capacity - confirmed, 0)

    @property
    def registration_closes(self):
        return self.registration_closes_at or self.starts_at

    @property
    def local_starts_at(self):
        return self.starts_at.astimezone(self.time_zone)

    @property
    def local_ends_at(self):
        return self.ends_at.astimezone(self.time_zone)


class ShowcaseEntry(models.Model):
    """A catalog entry that an event presents, referenced by its slug (the catalog
    belongs to ``projects``; ``alliance.registries.references.reference_resolve``
    looks it up)."""

    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="showcase_entries",
        verbose_name=_("event"),
    )
    entry_slug = models.SlugField(_("catalog entry"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("presented catalog entry")
        verbose_name_plural = _("presented catalog entries")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "entry_slug"], name="showcase_entry_once_per_event"
            ),
        ]

    def __str__(self):
        return self.entry_slug


class Registration(models.Model):
    """A person's seat (or place on the waitlist) at an event."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE_STATUSES = (Status.CONFIRMED, Status.WAITLISTED)

    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("event"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_registrations",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        "members.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("organization"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    show_on_list = models.BooleanField(
        _("show me on the attendee list"),
        default=False,
        help_text=_("Other attendees see your name and organization."),
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("seat confirmed"), null=True, blank=True)
    promoted_at = models.DateTimeField(
        _("promoted from the waitlist"), null=True, blank=True
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        # The id follows arrival: registrations are inserted one at a time while
        # the event row is locked, so it orders the waitlist.
        ordering = ["event", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=models.Q(status__in=["confirmed", "waitlisted"]),
                name="registration_one_active_per_person",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "id"])]

    def __str__(self):
        return f"{self.user} – {self.event} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class SeriesRegistration(models.Model):
    """A person registered for every future occurrence of a series at once.

    Kept so that the occurrences generated later (the series runs ahead a few
    months at a time) register the person too (``events.services.series``);
    leaving the series ends it."""

    series = models.ForeignKey(
        EventSeries,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("series"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_series_registrations",
        verbose_name=_("person"),
    )
    show_on_list = models.BooleanField(_("show me on the attendee list"), default=False)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("series registration")
        verbose_name_plural = _("series registrations")
        ordering = ["series", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "user"],
                condition=models.Q(cancelled_at__isnull=True),
                name="series_registration_one_active_per_person",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.series}"


class EventMessage(models.Model):
    """A message an organizer sent to the people registered for an event (each
    copy goes out as a notification through the outbox); the rows also keep the
    number an event may send per day."""

    class To(models.TextChoices):
        REGISTERED = "confirmed", _("People with a seat")
        WAITLISTED = "waitlisted", _("People on the waitlist")
        ALL = "all", _("Everyone registered (seats and waitlist)")

    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("event"),
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sender"),
    )
    to = models.CharField(_("to"), max_length=16, choices=To.choices)
    subject = models.CharField(
        _("subject"), max_length=200, validators=[validate_no_bidi_controls]
    )
    body = MarkdownField(_("message"))
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("message to attendees")
        verbose_name_plural = _("messages to attendees")
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["event", "sent_at"])]

    def __str__(self):
        return f"{self.event} – {self.subject}"


class EventReminder(models.Model):
    """A reminder that went out; the constraint keeps each one to exactly once."""

    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("event"),
    )
    hours_before = models.PositiveSmallIntegerField(_("hours before the start"))
    starts_at = models.DateTimeField(_("for the start at"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "hours_before", "starts_at"],
                name="event_reminder_once",
            ),
        ]

    def __str__(self):
        return f"{self.event} – {self.hours_before} h"


class CalendarToken(models.Model):
    """The secret in the address of a person's calendar feed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_token",
        verbose_name=_("person"),
    )
    key = models.CharField(_("key"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed address")
        verbose_name_plural = _("calendar feed addresses")

    def __str__(self):
        return f"{self.user} ({self.key[:6]}…)"
