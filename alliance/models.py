import hashlib

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class FocusArea(models.Model):
    """One of the alliance's six focus areas (names and texts in every language)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["number"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("alliance:focus_area_detail", kwargs={"slug": self.slug})


class WorkingGroup(models.Model):
    """A group of members working on one focus area under a charter."""

    class JoinPolicy(models.TextChoices):
        OPEN = "open", _("Open: join at once")
        APPROVAL = "approval", _("By approval of a chair")
        INVITATION = "invitation", _("By invitation only")
        CLOSED = "closed", _("Closed")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        MEMBERS = "members", _("Members only")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    focus_area = models.ForeignKey(
        FocusArea,
        on_delete=models.PROTECT,
        related_name="working_groups",
        verbose_name=_("focus area"),
    )
    name = models.CharField(_("name"), max_length=160, unique=True)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    charter = models.TextField(
        _("charter"), blank=True, help_text=_("Markdown is supported.")
    )
    join_policy = models.CharField(
        _("join policy"),
        max_length=16,
        choices=JoinPolicy.choices,
        default=JoinPolicy.OPEN,
    )
    visibility = models.CharField(
        _("roster and updates visible to"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    mailing_list_url = models.URLField(_("mailing list"), blank=True)
    chat_url = models.URLField(_("chat"), blank=True)
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["focus_area__number", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("alliance:working_group_detail", kwargs={"slug": self.slug})


class WorkingGroupMembership(models.Model):
    """A person's seat in a working group: role, term, voting right, state."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        CO_CHAIR = "co_chair", _("Co-chair")
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")

    class Status(models.TextChoices):
        PENDING = "pending", _("Requested")
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        LEFT = "left", _("Left")

    class NonVotingReason(models.TextChoices):
        SEAT_CAP = "seat_cap", _("Its organization's voting seats are taken")
        OBSERVER = "observer", _("Observers do not vote")
        NO_ORGANIZATION = "no_org", _("Represents no active member organization")

    OPEN_STATUSES = (Status.PENDING, Status.INVITED, Status.ACTIVE)
    CHAIR_ROLES = (Role.CHAIR, Role.CO_CHAIR)

    group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("working group"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="group_memberships",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        "members.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_memberships",
        verbose_name=_("representing"),
    )
    role = models.CharField(
        _("role"), max_length=16, choices=Role.choices, default=Role.MEMBER
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    voting = models.BooleanField(_("voting"), default=False)
    non_voting_reason = models.CharField(
        _("why not voting"),
        max_length=16,
        choices=NonVotingReason.choices,
        blank=True,
    )
    term_start = models.DateField(_("term start"), default=timezone.localdate)
    term_end = models.DateField(_("term end"), null=True, blank=True)
    message = models.TextField(
        _("message from the person"),
        blank=True,
        help_text=_("What they wrote when asking to join."),
    )
    note = models.TextField(
        _("note"), blank=True, help_text=_("The chair's note on the decision.")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("working group membership")
        verbose_name_plural = _("working group memberships")
        ordering = ["group", "role", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=models.Q(status__in=["pending", "invited", "active"]),
                name="wg_membership_one_open_per_person",
            ),
        ]
        indexes = [
            # The directory lists, per organization, the groups its people are in.
            models.Index(
                fields=["organization", "group"],
                condition=models.Q(status="active"),
                name="wg_membership_org_group",
            ),
        ]

    def __str__(self):
        return f"{self.user} in {self.group} ({self.get_role_display()})"

    @property
    def is_chair(self) -> bool:
        return self.status == self.Status.ACTIVE and self.role in self.CHAIR_ROLES

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class WorkingGroupUpdate(models.Model):
    """News, meeting minutes or a decision posted to a working group."""

    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        MINUTES = "minutes", _("Meeting minutes")
        DECISION = "decision", pgettext_lazy("update kind", "Decision")

    group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.CASCADE,
        related_name="updates",
        verbose_name=_("working group"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_updates",
        verbose_name=_("author"),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.NEWS
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown is supported."))
    meeting_date = models.DateField(
        _("meeting date"),
        null=True,
        blank=True,
        help_text=_("For minutes: the day the meeting took place."),
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("working group update")
        verbose_name_plural = _("working group updates")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["group", "-created_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "alliance:working_group_update_detail",
            kwargs={"slug": self.group.slug, "pk": self.pk},
        )


class ActionItem(models.Model):
    """A task recorded in meeting minutes, owned by one person until done."""

    update = models.ForeignKey(
        WorkingGroupUpdate,
        on_delete=models.CASCADE,
        related_name="action_items",
        verbose_name=_("minutes"),
    )
    text = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["done", models.F("due_date").asc(nulls_last=True), "id"]
        indexes = [models.Index(fields=["owner", "done"])]

    def __str__(self):
        return self.text

    @property
    def is_overdue(self) -> bool:
        return (
            not self.done
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )


class Activity(models.Model):
    """Something that happened which people may need to hear about."""

    class Kind(models.TextChoices):
        APPLICATION_SUBMITTED = "application_submitted", _("Application submitted")
        APPLICATION_APPROVED = "application_approved", _("Application approved")
        APPLICATION_REJECTED = "application_rejected", _("Application rejected")
        AFFILIATION_REQUESTED = "affiliation_requested", _("Affiliation to approve")
        INVITATION = "invitation", _("Invitation")
        RENEWAL_DUE = "renewal_due", _("Membership renewal due")
        MEMBERSHIP_LAPSED = "membership_lapsed", _("Membership lapsed")
        ORGANIZATION_JOINED = "organization_joined", _("New member organization")
        GROUP_JOIN_REQUESTED = "group_join_requested", _("Request to join a group")
        GROUP_JOIN_DECIDED = "group_join_decided", _("Decision on a join request")
        GROUP_INVITATION = "group_invitation", _("Invitation to a group")
        GROUP_UPDATE_POSTED = "group_update_posted", _("Working group update")
        GROUP_MINUTES_POSTED = "group_minutes_posted", _("Meeting minutes")
        ACTION_ITEM_ASSIGNED = "action_item_assigned", _("Action item assigned")
        CATALOG_ENTRY_ADDED = "catalog_entry_added", _("New catalog entry")
        REVIEW_REQUESTED = "review_requested", _("Review requested")
        REVIEW_POSTED = "review_posted", _("Review posted")
        ENTRY_VETTED = "entry_vetted", _("Catalog entry vetted")
        VETTING_DUE = "vetting_due", _("Vetting due")
        EVENT_PUBLISHED = "event_published", _("Event published")
        EVENT_CHANGED = "event_changed", _("Event changed")
        EVENT_CANCELLED = "event_cancelled", _("Event cancelled")
        REGISTRATION_CONFIRMED = "registration_confirmed", _("Registration confirmed")
        REGISTRATION_PROMOTED = "registration_promoted", _("Promoted from the waitlist")
        EVENT_REMINDER = "event_reminder", _("Event reminder")

    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
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
    kind = models.CharField(_("kind"), max_length=40, choices=Activity.Kind.choices)
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
    """A person's explicit choice to follow or mute something (a working group, a
    catalog entry, an event or series, an organization).

    People also follow implicitly what they belong to (see ``alliance.hooks``); a
    mute overrides that.
    """

    class State(models.TextChoices):
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
    kind = models.CharField(_("kind"), max_length=40, choices=Activity.Kind.choices)
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


class StaffReport(models.Model):
    """The weekly report for staff, kept as it was sent."""

    week = models.CharField(_("week"), max_length=8, unique=True)
    period_start = models.DateTimeField(_("from"))
    period_end = models.DateTimeField(_("until"))
    data = models.JSONField(_("tables"), default=dict)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff report")
        verbose_name_plural = _("staff reports")
        ordering = ["-period_start"]

    def __str__(self):
        return str(self.week)
