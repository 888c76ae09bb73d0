import hashlib

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.registries.notification_kinds import notification_kind_choices


class Activity(models.Model):
    """Something that happened which people may need to hear about."""

    # The kinds are declared by the apps they happen in
    # (alliance.registries.notification_kinds); the choices are read from there.
    kind = models.CharField(_("kind"), max_length=40, choices=notification_kind_choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    audience_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    audience_id = models.PositiveBigIntegerField(null=True, blank=True)
    audience = GenericForeignKey("audience_type", "audience_id")
    recipient_ids = models.JSONField(_("direct recipients"), default=list, blank=True)
    context = models.JSONField(_("context"), default=dict, blank=True)
    created_at = models.DateTimeField(_("happened"), default=timezone.now)
    fanned_out_at = models.DateTimeField(_("notified"), null=True, blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["audience_type", "audience_id", "created_at"]),
            models.Index(fields=["fanned_out_at"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class Delivery(models.TextChoices):
    """When a person hears of a kind of notification, per channel."""

    IMMEDIATELY = "immediately", _("Immediately")
    DIGEST = "digest", _("In my digest")
    OFF = "off", _("Off")


class Notification(models.Model):
    """One person's inbox entry for an activity."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("activity"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=notification_kind_choices)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # How the person chose to hear of this kind when it happened (see
    # NotificationPreference); the inbox shows it from ``shown_at`` on.
    delivery_email = models.CharField(
        _("by email"), max_length=12, choices=Delivery.choices, default=Delivery.OFF
    )
    delivery_inbox = models.CharField(
        _("in the inbox"),
        max_length=12,
        choices=Delivery.choices,
        default=Delivery.IMMEDIATELY,
    )
    shown_at = models.DateTimeField(_("in the inbox since"), null=True, blank=True)
    digest = models.ForeignKey(
        "Digest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("digest"),
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "activity"], name="notification_once_per_activity"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(
                fields=["recipient", "created_at"],
                condition=models.Q(digest__isnull=True)
                & (
                    models.Q(delivery_email="digest")
                    | models.Q(delivery_inbox="digest")
                ),
                name="notification_digest_pending",
            ),
        ]

    def __str__(self):
        return self.title


class Subscription(models.Model):
    """A person's explicit level for something (a working group, a catalog entry,
    an event or series, an organization), as Discourse's levels:

    - watching: every activity about it reaches them by email at once (and in
      the inbox), whatever they chose for its kind;
    - following ("Normal"): they hear of it as they chose for each kind;
    - muted: they hear nothing more about it.

    People also follow implicitly what they belong to (see
    ``alliance.registries.audiences``): that is "Normal" without a row; a mute
    overrides it.
    """

    class State(models.TextChoices):
        WATCH = "watch", _("Watching")
        FOLLOW = "follow", _("Following")
        MUTE = "mute", _("Muted")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("person"),
    )
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    state = models.CharField(_("state"), max_length=8, choices=State.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "target_type", "target_id"],
                name="subscription_one_per_person_and_target",
            ),
        ]
        indexes = [models.Index(fields=["target_type", "target_id", "state"])]

    def __str__(self):
        return f"{self.user}: {self.get_state_display()} {self.target}"


class NotificationSettings(models.Model):
    """A person's digest schedule: how often, at which local hour and weekday."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        NEVER = "never", _("Never")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
        verbose_name=_("person"),
    )
    digest_frequency = models.CharField(
        _("digest"),
        max_length=8,
        choices=Frequency.choices,
        default=Frequency.WEEKLY,
    )
    digest_hour = models.PositiveSmallIntegerField(
        _("at (local hour)"),
        default=8,
        validators=[MinValueValidator(0), MaxValueValidator(23)],
        help_text=_("In your time zone, 0–23."),
    )
    digest_weekday = models.PositiveSmallIntegerField(
        _("on (for a weekly digest)"), choices=Weekday.choices, default=Weekday.MONDAY
    )
    staff_report = models.BooleanField(
        _("email me the weekly staff report"),
        default=True,
        help_text=_("Only staff receive it."),
    )
    last_digest_at = models.DateTimeField(_("last digest"), null=True, blank=True)
    next_digest_at = models.DateTimeField(
        _("next digest due"), null=True, blank=True, db_index=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return f"{self.user}: {self.get_digest_frequency_display()}"


class NotificationPreference(models.Model):
    """How a person hears of one kind of notification, by email and in the inbox."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=notification_kind_choices)
    email = models.CharField(_("by email"), max_length=12, choices=Delivery.choices)
    inbox = models.CharField(_("in the inbox"), max_length=12, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notification_preference_one_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.kind}"


class OutboxEmail(models.Model):
    """One email, written here before anything is sent (the outbox).

    A worker claims it (``sending`` with a fencing token and a lease), marks the
    moment it hands the message over (``handed_over_at``), then records ``sent``.
    A claim that expires before the hand-over is safely queued again; one that
    expires after it is ``uncertain`` and never resent automatically.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        UNCERTAIN = "uncertain", _("Uncertain: the worker stopped mid-send")

    key = models.CharField(_("unique key"), max_length=200, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_emails",
        verbose_name=_("recipient account"),
    )
    to_email = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    attachments = models.JSONField(
        _("attachments"),
        default=list,
        blank=True,
        help_text=_("Inline images: filename, mimetype, cid, base64 content."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    swept_at = models.DateTimeField(
        _("queued again by the sweep"), null=True, blank=True
    )
    claim_token = models.UUIDField(_("claim"), null=True, blank=True, editable=False)
    claimed_by = models.CharField(_("claimed by worker"), max_length=200, blank=True)
    claimed_until = models.DateTimeField(_("claim expires"), null=True, blank=True)
    handed_over_at = models.DateTimeField(
        _("handed to the mail server"), null=True, blank=True
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("outbox email")
        verbose_name_plural = _("outbox emails")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["status", "claimed_until"]),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to_email}"

    @property
    def message_id(self) -> str:
        return f"<outbox-{self.pk}-{self.key_digest}@alliance-portal>"

    @property
    def key_digest(self) -> str:
        return hashlib.sha256(self.key.encode()).hexdigest()[:16]


class Digest(models.Model):
    """The one digest a person gets for one period (a day or an ISO week)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digests",
        verbose_name=_("person"),
    )
    period = models.CharField(
        _("period"), max_length=16, help_text=_("A local date or an ISO week.")
    )
    frequency = models.CharField(
        _("frequency"), max_length=8, choices=NotificationSettings.Frequency.choices
    )
    since = models.DateTimeField(_("news since"))
    item_count = models.PositiveIntegerField(_("items"), default=0)
    email = models.OneToOneField(
        OutboxEmail,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="digest",
        verbose_name=_("email"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period"], name="digest_one_per_person_and_period"
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.period}"
