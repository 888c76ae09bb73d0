from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.core.markdown import MarkdownField
from alliance.core.text import validate_no_bidi_controls
from alliance.focus_areas.models import FocusArea


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
    name = models.CharField(
        _("name"), max_length=160, unique=True, validators=[validate_no_bidi_controls]
    )
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    charter = MarkdownField(
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
    def person_name(self) -> str:
        """The member's name as a roster shows it. ``working_group_roster`` says
        per row whether the reader may see it (``name_shown``): people hidden
        from the directory are not named to those outside the group."""
        if getattr(self, "name_shown", True):
            return self.user.public_name
        return gettext("A member who keeps their name private")

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
    title = models.CharField(
        _("title"), max_length=200, validators=[validate_no_bidi_controls]
    )
    body = MarkdownField(_("text"), help_text=_("Markdown is supported."))
    meeting_date = models.DateField(
        _("meeting date"),
        null=True,
        blank=True,
        help_text=_("For minutes: the day the meeting took place."),
    )
    # Minutes belong to their meeting: a working-group event (events.Event,
    # named by string so this context never imports the events app).
    meeting = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="minutes",
        verbose_name=_("meeting"),
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="minutes_attended",
        verbose_name=_("attendance"),
    )
    # A decision may cite the closed ballot of the group that carried it.
    ballot = models.ForeignKey(
        "alliance.Ballot",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("ballot"),
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    edited_at = models.DateTimeField(_("corrected"), null=True, blank=True)
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


class WorkingGroupUpdateVersion(models.Model):
    """One version of an update's text (minutes, a decision): the first as
    posted, then each correction, with who wrote it and when."""

    update = models.ForeignKey(
        WorkingGroupUpdate,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("update"),
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = MarkdownField(_("text"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    written_at = models.DateTimeField(_("written"))

    class Meta:
        verbose_name = _("update version")
        verbose_name_plural = _("update versions")
        ordering = ["update", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["update", "number"], name="wg_update_version_unique"
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.number})"


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
