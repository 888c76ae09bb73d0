from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from alliance.core.markdown import MarkdownField
from alliance.core.text import validate_no_bidi_controls

# What a vetting vouches for: when one of these changes after vetting, the entry
# says so until it is vetted again.
SUBSTANCE_FIELDS = (
    "description",
    "license",
    "repository_url",
    "homepage",
    "card_url",
    "paper_url",
)


class CatalogEntry(models.Model):
    """A project, tool, model, dataset, benchmark or publication members share."""

    class Kind(models.TextChoices):
        PROJECT = "project", _("Project")
        TOOL = "tool", _("Tool")
        MODEL = "model", _("Model")
        DATASET = "dataset", _("Dataset")
        BENCHMARK = "benchmark", _("Benchmark")
        PUBLICATION = "publication", _("Publication")

    VETTABLE_KINDS = (Kind.TOOL, Kind.MODEL, Kind.DATASET, Kind.BENCHMARK)

    class Lifecycle(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    class Vetting(models.TextChoices):
        NOT_SUBMITTED = "not_submitted", _("Not submitted for vetting")
        IN_REVIEW = "in_review", _("In review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        REJECTED = "rejected", _("Rejected")
        VETTED = "vetted", _("Vetted")
        REVIEW_DUE = "review_due", _("Review due")

    REVIEWABLE = (Vetting.IN_REVIEW, Vetting.REVIEW_DUE)
    SUBMITTABLE = (Vetting.NOT_SUBMITTED, Vetting.CHANGES_REQUESTED, Vetting.REJECTED)

    class Modality(models.TextChoices):
        TEXT = "text", _("Text")
        IMAGE = "image", _("Image")
        AUDIO = "audio", _("Audio")
        VIDEO = "video", _("Video")
        CODE = "code", _("Code")
        MULTIMODAL = "multimodal", _("Multimodal")

    class Hardware(models.TextChoices):
        CPU = "cpu", _("CPU")
        GPU = "gpu", _("GPU")
        AI_ACCELERATOR = "accelerator", _("AI accelerator (NPU, TPU, …)")
        FPGA = "fpga", _("FPGA")
        EDGE = "edge", _("Edge and mobile devices")
        ARM = "arm", _("Arm")
        RISC_V = "risc_v", _("RISC-V")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(
        _("name"), max_length=200, validators=[validate_no_bidi_controls]
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(
        _("summary"), max_length=300, help_text=_("One sentence: what it is for.")
    )
    description = MarkdownField(
        _("description"), blank=True, help_text=_("Markdown is supported.")
    )
    focus_area = models.ForeignKey(
        "alliance.FocusArea",
        on_delete=models.PROTECT,
        related_name="catalog_entries",
        verbose_name=_("focus area"),
    )
    working_group = models.ForeignKey(
        "alliance.WorkingGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="catalog_entries",
        verbose_name=_("working group"),
    )
    owners = models.ManyToManyField(
        "members.Organization",
        blank=True,
        related_name="catalog_entries",
        verbose_name=_("owning organizations"),
    )
    repository_url = models.URLField(_("repository"), max_length=500, blank=True)
    homepage = models.URLField(_("homepage"), max_length=500, blank=True)
    license = models.CharField(
        _("license"),
        max_length=100,
        blank=True,
        help_text=_("An SPDX identifier such as Apache-2.0 or CC-BY-4.0."),
    )
    modalities = models.JSONField(_("modalities"), default=list, blank=True)
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("ISO 639 codes.")
    )
    hardware = models.JSONField(_("hardware targets"), default=list, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    card_url = models.URLField(_("model or data card"), max_length=500, blank=True)
    paper_url = models.URLField(_("paper"), max_length=500, blank=True)
    lifecycle = models.CharField(
        _("lifecycle"),
        max_length=16,
        choices=Lifecycle.choices,
        default=Lifecycle.ACTIVE,
    )
    vetting_status = models.CharField(
        _("vetting status"),
        max_length=20,
        choices=Vetting.choices,
        default=Vetting.NOT_SUBMITTED,
    )
    vetting_round = models.PositiveIntegerField(
        _("vetting round"),
        default=0,
        help_text=_("Raised at each submission; only this round's reviews count."),
    )
    vetting_requested_at = models.DateTimeField(
        _("review requested"), null=True, blank=True
    )
    vetted_at = models.DateTimeField(_("vetted"), null=True, blank=True)
    vetting_expires_at = models.DateTimeField(
        _("vetting valid until"), null=True, blank=True
    )
    vetted_substance = models.JSONField(
        _("substance when vetted"), default=dict, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Filled on PostgreSQL only (see projects.services.entry_search_refresh).
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(
        excluded_fields=["search_vector", "updated_at", "vetted_substance"],
        m2m_fields=[owners],
    )

    class Meta:
        verbose_name = _("catalog entry")
        verbose_name_plural = _("catalog entries")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["vetting_status", "lifecycle", "name"]),
            models.Index(fields=["kind", "name"]),
            models.Index(fields=["vetting_status", "vetting_expires_at"]),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:entry_detail", kwargs={"slug": self.slug})

    @property
    def is_vettable(self) -> bool:
        return self.kind in self.VETTABLE_KINDS

    @property
    def is_vetted(self) -> bool:
        return self.vetting_status == self.Vetting.VETTED

    @property
    def is_public(self) -> bool:
        """Vetted entries that are not archived are shown to everyone."""
        return self.is_vetted and self.lifecycle != self.Lifecycle.ARCHIVED

    def substance(self) -> dict:
        return {field: getattr(self, field) for field in SUBSTANCE_FIELDS}

    def changed_since_vetting_fields(self) -> list[str]:
        """Return the substance fields edited since the last vetting."""
        if not self.vetted_substance or self.vetting_status not in (
            self.Vetting.VETTED,
            self.Vetting.REVIEW_DUE,
        ):
            return []
        return [
            field
            for field in SUBSTANCE_FIELDS
            if self.vetted_substance.get(field, "") != getattr(self, field)
        ]

    @property
    def changed_since_vetting(self) -> list[str]:
        """Return the names (as people read them) of what changed since vetting."""
        return [
            str(self._meta.get_field(field).verbose_name)
            for field in self.changed_since_vetting_fields()
        ]

    def modality_labels(self) -> list[str]:
        labels = dict(self.Modality.choices)
        return [str(labels.get(value, value)) for value in self.modalities]

    def hardware_labels(self) -> list[str]:
        labels = dict(self.Hardware.choices)
        return [str(labels.get(value, value)) for value in self.hardware]

    def language_labels(self) -> list[str]:
        from projects.validators import language_name

        return [language_name(code) for code in self.languages]


class Contribution(models.Model):
    """A person on an entry's team, as maintainer or contributor."""

    class Role(models.TextChoices):
        MAINTAINER = "maintainer", _("Maintainer")
        CONTRIBUTOR = "contributor", _("Contributor")

    entry = models.ForeignKey(
        CatalogEntry,
        on_delete=models.CASCADE,
        related_name="contributions",
        verbose_name=_("catalog entry"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="catalog_contributions",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        "members.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="catalog_contributions",
        verbose_name=_("representing"),
    )
    role = models.CharField(
        _("role"), max_length=16, choices=Role.choices, default=Role.CONTRIBUTOR
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["role", "joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "user"], name="contribution_one_per_person_and_entry"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.entry} ({self.get_role_display()})"

    @property
    def is_maintainer(self) -> bool:
        return self.role == self.Role.MAINTAINER


class Review(models.Model):
    """A reviewer's checklist, findings and verdict on an entry in one round."""

    class Verdict(models.TextChoices):
        APPROVE = "approve", pgettext_lazy("review verdict", "Approve")
        REQUEST_CHANGES = "request_changes", _("Request changes")
        REJECT = "reject", _("Reject")

    CHECKLIST = (
        "license_clear",
        "documentation_adequate",
        "maintained_recently",
        "security_contact_given",
        "evaluation_evidence_given",
    )

    entry = models.ForeignKey(
        CatalogEntry,
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("catalog entry"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="catalog_reviews",
        verbose_name=_("reviewer"),
    )
    reviewer_name = models.CharField(_("reviewer's name"), max_length=150)
    organization = models.ForeignKey(
        "members.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="catalog_reviews",
        verbose_name=_("for organization"),
    )
    round = models.PositiveIntegerField(_("round"))
    license_clear = models.BooleanField(_("The license is clear"), default=False)
    documentation_adequate = models.BooleanField(
        _("The documentation is adequate"), default=False
    )
    maintained_recently = models.BooleanField(
        _("It was maintained in the last year"), default=False
    )
    security_contact_given = models.BooleanField(
        _("A security contact is given"), default=False
    )
    evaluation_evidence_given = models.BooleanField(
        _("Evaluation evidence is given"), default=False
    )
    findings = MarkdownField(
        _("findings"), blank=True, help_text=_("Markdown is supported.")
    )
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    counts = models.BooleanField(
        _("counts toward vetting"),
        default=False,
        help_text=_(
            "Approvals count unless they come from an owner of the entry, one of "
            "its maintainers or someone without a member organization."
        ),
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "reviewer", "round"],
                name="review_one_per_reviewer_and_round",
            ),
        ]

    def __str__(self):
        return f"{self.get_verdict_display()}: {self.entry} ({self.reviewer_name})"

    def checklist(self) -> list[tuple[str, bool]]:
        return [
            (str(self._meta.get_field(name).verbose_name), getattr(self, name))
            for name in self.CHECKLIST
        ]


class EntryStatusChange(models.Model):
    """A change of an entry's vetting status or lifecycle, kept for everyone to see."""

    class Field(models.TextChoices):
        VETTING = "vetting", _("Vetting")
        LIFECYCLE = "lifecycle", _("Lifecycle")

    entry = models.ForeignKey(
        CatalogEntry,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("catalog entry"),
    )
    field = models.CharField(_("what"), max_length=16, choices=Field.choices)
    old_value = models.CharField(_("from"), max_length=20, blank=True)
    new_value = models.CharField(pgettext_lazy("status change", "to"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(
        pgettext_lazy("status change", "when"), default=timezone.now
    )

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.entry}: {self.old_value} → {self.new_value}"

    def _label(self, value: str) -> str:
        choices = (
            CatalogEntry.Vetting
            if self.field == self.Field.VETTING
            else CatalogEntry.Lifecycle
        )
        return str(dict(choices.choices).get(value, value or "—"))

    @property
    def old_label(self) -> str:
        return self._label(self.old_value)

    @property
    def new_label(self) -> str:
        return self._label(self.new_value)
