"""Ballots, their options, the votes cast and the delegates organizations name.

A vote belongs to a *seat*: in a working group, one of the voting seats its
organization holds there; in an alliance ballot, the organization itself. The
seat keeps its vote when it changes hands; the new holder may change it, and a
seat never votes twice (``ballot_vote_one_per_seat``).

Secret ballots keep who voted, never what they chose: a vote's option is never
shown for them, the history of votes never records options (for any ballot),
and the options are erased when the ballot closes and its result is stored.
"""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from alliance.core.dates import validate_in_window
from alliance.core.markdown import MarkdownField
from alliance.core.text import validate_no_bidi_controls


class Ballot(models.Model):
    """A question put to a working group's voting seats or to the member
    organizations, open between two times."""

    class Scope(models.TextChoices):
        GROUP = "group", _("Working group")
        ALLIANCE = "alliance", _("Member organizations")

    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("Yes, no or abstain")
        CHOICE = "choice", _("A choice among several options")

    class PassRule(models.TextChoices):
        SIMPLE = "simple", _("Simple majority of the votes cast")
        TWO_THIRDS = "two_thirds", _("Two-thirds majority of the votes cast")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("ballot status", "Open")
        CLOSED = "closed", pgettext_lazy("ballot status", "Closed")
        CANCELLED = "cancelled", pgettext_lazy("ballot status", "Cancelled")

    # How long before the close seat holders who have not voted are reminded.
    REMINDER_BEFORE = dt.timedelta(hours=24)

    scope = models.CharField(
        _("who votes"), max_length=16, choices=Scope.choices, default=Scope.GROUP
    )
    group = models.ForeignKey(
        "alliance.WorkingGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ballots",
        verbose_name=_("working group"),
    )
    question = models.CharField(
        _("question"), max_length=300, validators=[validate_no_bidi_controls]
    )
    description = MarkdownField(
        _("explanation"), blank=True, help_text=_("Markdown is supported.")
    )
    kind = models.CharField(
        _("options"), max_length=16, choices=Kind.choices, default=Kind.YES_NO
    )
    secret = models.BooleanField(
        _("secret ballot"),
        default=False,
        help_text=_("Who voted is kept; what each voter chose is never shown."),
    )
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (% of the votes that may be cast)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    pass_rule = models.CharField(
        _("majority needed"),
        max_length=16,
        choices=PassRule.choices,
        default=PassRule.SIMPLE,
    )
    opens_at = models.DateTimeField(_("opens"), validators=[validate_in_window])
    closes_at = models.DateTimeField(_("closes"), validators=[validate_in_window])
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    closed_at = models.DateTimeField(_("result computed"), null=True, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["-closes_at", "-id"]
        indexes = [
            models.Index(fields=["status", "closes_at"]),
            models.Index(fields=["group", "-closes_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="ballot_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(scope="group", group__isnull=False)
                    | models.Q(scope="alliance", group__isnull=True)
                ),
                name="ballot_group_iff_group_scope",
            ),
            models.CheckConstraint(
                condition=models.Q(quorum_percent__gte=1, quorum_percent__lte=100),
                name="ballot_quorum_percent_range",
            ),
        ]

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return reverse("alliance:ballot_detail", kwargs={"pk": self.pk})

    def accepts_votes(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= now < self.closes_at

    @property
    def phase(self) -> str:
        """``scheduled``, ``voting``, ``counting`` (closed, result not yet
        stored), ``closed`` or ``cancelled``."""
        if self.status != self.Status.OPEN:
            return self.status
        now = timezone.now()
        if now < self.opens_at:
            return "scheduled"
        if now < self.closes_at:
            return "voting"
        return "counting"


class BallotOption(models.Model):
    """One answer a voter may choose."""

    class Key(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        ABSTAIN = "abstain", _("Abstain")

    ballot = models.ForeignKey(
        Ballot,
        on_delete=models.CASCADE,
        related_name="options",
        verbose_name=_("ballot"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    key = models.CharField(_("key"), max_length=16, choices=Key.choices, blank=True)
    text = models.CharField(
        _("option"), max_length=200, blank=True, validators=[validate_no_bidi_controls]
    )

    class Meta:
        verbose_name = _("ballot option")
        verbose_name_plural = _("ballot options")
        ordering = ["ballot", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "position"], name="ballot_option_position_unique"
            )
        ]

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        """The option as voters read it: the standard answers in their language."""
        return self.get_key_display() if self.key else self.text

    @property
    def is_abstention(self) -> bool:
        return self.key == self.Key.ABSTAIN


class Vote(models.Model):
    """A seat's vote in a ballot; changeable until the ballot closes."""

    ballot = models.ForeignKey(
        Ballot, on_delete=models.CASCADE, related_name="votes", verbose_name=_("ballot")
    )
    organization = models.ForeignKey(
        "members.Organization",
        on_delete=models.PROTECT,
        related_name="ballot_votes",
        verbose_name=_("organization"),
    )
    seat = models.PositiveSmallIntegerField(
        _("seat"),
        default=1,
        help_text=_("Which of the organization's voting seats cast it."),
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ballot_votes",
        verbose_name=_("cast by"),
    )
    # Never shown for a secret ballot and erased when it closes; never in the
    # history (see the history's excluded fields).
    option = models.ForeignKey(
        BallotOption,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("choice"),
    )
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    cast_at = models.DateTimeField(_("cast"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["option"])

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["ballot", "organization", "seat"]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "organization", "seat"],
                name="ballot_vote_one_per_seat",
            )
        ]
        indexes = [models.Index(fields=["voter", "ballot"])]

    def __str__(self):
        return f"{self.organization} #{self.seat} in {self.ballot}"


class BallotDelegate(models.Model):
    """The person an organization's primary contact names to cast its vote in
    an alliance ballot."""

    ballot = models.ForeignKey(
        Ballot,
        on_delete=models.CASCADE,
        related_name="delegates",
        verbose_name=_("ballot"),
    )
    organization = models.ForeignKey(
        "members.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organization"),
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("delegate"),
    )
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("named by"),
    )
    created_at = models.DateTimeField(_("named"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ballot delegate")
        verbose_name_plural = _("ballot delegates")
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "organization"],
                name="ballot_delegate_one_per_organization",
            )
        ]

    def __str__(self):
        return f"{self.delegate} for {self.organization}"
