import datetime

from django.conf import settings
from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone as django_timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords
from timezone_field import TimeZoneField

from alliance.core.markdown import MarkdownField
from alliance.core.text import validate_no_bidi_controls
from alliance.core.time_zones import validate_time_zone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address."""

    class DirectoryVisibility(models.TextChoices):
        HIDDEN = "hidden", _("Hidden from the people directory")
        MEMBERS = "members", _("Visible to signed-in members")
        PUBLIC = "public", _("Visible to everyone")

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(
        _("full name"),
        max_length=150,
        blank=True,
        validators=[validate_no_bidi_controls],
    )
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("How others see you in the portal. Defaults to your full name."),
        validators=[validate_no_bidi_controls],
    )
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    timezone = TimeZoneField(
        _("time zone"),
        default="UTC",
        use_pytz=False,
        validators=[validate_time_zone],
    )
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    directory_visibility = models.CharField(
        _("people directory"),
        max_length=16,
        choices=DirectoryVisibility.choices,
        default=DirectoryVisibility.MEMBERS,
    )
    show_email = models.BooleanField(
        _("show my email address in the directory"), default=False
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Designates whether the user can sign in to the admin."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=django_timezone.now)
    closed_at = models.DateTimeField(
        _("account closed"),
        null=True,
        blank=True,
        help_text=_(
            "Set when the person deleted their account; the row stays "
            "anonymized so what they wrote keeps an author."
        ),
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.public_name

    @property
    def public_name(self) -> str:
        """Return the name others see: display name, full name or the email's name."""
        if self.closed_at is not None:
            return gettext("Former member")
        return self.display_name or self.name or self.email.split("@")[0]

    def get_full_name(self):
        return self.name or self.public_name

    def get_short_name(self):
        return self.public_name


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 hash is stored."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("prefix"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Tier(models.Model):
    """A membership tier and the entitlements it grants its organizations."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    rank = models.PositiveSmallIntegerField(
        _("rank"), unique=True, help_text=_("Lower ranks are listed first.")
    )
    description = models.TextField(_("description"), blank=True)
    max_contacts = models.PositiveSmallIntegerField(
        _("contacts allowed"),
        default=3,
        help_text=_("How many contacts (primary, representative, …) it may name."),
    )
    voting_seats_per_group = models.PositiveSmallIntegerField(
        _("voting seats per working group"), default=1
    )
    alliance_vote_weight = models.PositiveSmallIntegerField(
        _("weight of its vote in alliance ballots"),
        default=1,
        help_text=_("How many votes the organization's one ballot counts for."),
    )
    may_review_catalog = models.BooleanField(
        _("people may review catalog entries"), default=False
    )
    may_publish_events = models.BooleanField(
        _("people may publish events"), default=False
    )
    # modeltranslation adds name_en, name_de, … after the history model is
    # built, so the history keeps the default-language columns only.
    history = HistoricalRecords(
        excluded_fields=[
            f"{field}_{code}"
            for field in ("name", "description")
            for code, _language in settings.LANGUAGES
        ]
    )

    class Meta:
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        ordering = ["rank"]

    def __str__(self):
        return self.name


class Organization(models.Model):
    """A member organization of the alliance (or one applying to become one)."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        UNIVERSITY = "university", _("University")
        RESEARCH_LAB = "research_lab", _("Research lab")
        NON_PROFIT = "non_profit", _("Non-profit")
        GOVERNMENT = "government", _("Government")

    class Status(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        ACTIVE = "active", _("Active")
        LAPSED = "lapsed", _("Lapsed")
        SUSPENDED = "suspended", _("Suspended")
        FORMER = "former", _("Former member")

    name = models.CharField(
        _("name"), max_length=200, unique=True, validators=[validate_no_bidi_controls]
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = CountryField(_("country"))
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    description = MarkdownField(
        _("description"), blank=True, help_text=_("Markdown is supported.")
    )
    tier = models.ForeignKey(
        Tier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("tier"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.APPLICANT
    )
    member_since = models.DateField(_("member since"), null=True, blank=True)
    renewal_due = models.DateField(_("renewal due"), null=True, blank=True)
    focus_areas = models.ManyToManyField(
        "alliance.FocusArea",
        blank=True,
        related_name="organizations",
        verbose_name=_("focus areas"),
        help_text=_("The focus areas it said it wants to work on."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[focus_areas])

    # How long before its renewal date an organization's primary contacts are
    # reminded; the staff report lists the renewals due within it too.
    RENEWAL_WINDOW = datetime.timedelta(days=30)
    # Paths under /members/ that are pages, not organizations.
    RESERVED_SLUGS = frozenset(
        {"join", "people", "me", "invitations", "applications", "logos", "api"}
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:organization_detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.slug in self.RESERVED_SLUGS:
            raise ValidationError(
                {
                    "slug": _("“%(slug)s” is reserved; choose another slug.")
                    % {"slug": self.slug}
                }
            )

    @property
    def is_active_member(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def logo_url(self) -> str:
        """Return the address the re-encoded logo is served from, or ''."""
        if not self.logo:
            return ""
        # The stored name changes with every upload, so the address can be cached.
        version = self.logo.name.rsplit("/", 1)[-1].split(".")[0][-8:]
        url = reverse("members:organization_logo", kwargs={"slug": self.slug})
        return f"{url}?v={version}"


class Affiliation(models.Model):
    """A person's link to an organization, with their role in it."""

    class Role(models.TextChoices):
        PRIMARY_CONTACT = "primary_contact", _("Primary contact")
        REPRESENTATIVE = "representative", _("Representative")
        TECHNICAL_CONTACT = "technical_contact", _("Technical contact")
        COMMUNICATIONS_CONTACT = "communications_contact", _("Communications contact")
        MEMBER = "member", _("Member")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    class Source(models.TextChoices):
        STAFF = "staff", _("Added by staff")
        APPLICATION = "application", _("Membership application")
        INVITATION = "invitation", _("Invitation")
        EMAIL_DOMAIN = "email_domain", _("Verified email domain")
        IMPORT = "import", _("Import")

    OPEN_STATUSES = (Status.PENDING, Status.ACTIVE)
    CONTACT_ROLES = (
        Role.PRIMARY_CONTACT,
        Role.REPRESENTATIVE,
        Role.TECHNICAL_CONTACT,
        Role.COMMUNICATIONS_CONTACT,
    )

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="affiliations",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="affiliations",
        verbose_name=_("organization"),
    )
    role = models.CharField(
        _("role"), max_length=32, choices=Role.choices, default=Role.MEMBER
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    source = models.CharField(
        _("how it began"), max_length=16, choices=Source.choices, default=Source.STAFF
    )
    started_at = models.DateTimeField(_("started"), default=django_timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["organization__name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"],
                condition=~models.Q(status="ended"),
                name="affiliation_one_open_per_person_and_org",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.organization} ({self.get_role_display()})"

    @property
    def is_contact(self) -> bool:
        return self.role in self.CONTACT_ROLES


class MembershipApplication(models.Model):
    """An organization's request to join the alliance, made by one person."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW)
    AWAITING_DECISION = (Status.SUBMITTED, Status.UNDER_REVIEW)

    applicant = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="membership_applications",
        verbose_name=_("applicant"),
    )
    organization_name = models.CharField(
        _("organization name"), max_length=200, validators=[validate_no_bidi_controls]
    )
    kind = models.CharField(
        _("kind of organization"), max_length=20, choices=Organization.Kind.choices
    )
    country = CountryField(_("country"))
    website = models.URLField(_("website"), blank=True)
    description = MarkdownField(
        _("about the organization"),
        blank=True,
        help_text=_("What it does, in a few sentences. Markdown is supported."),
    )
    focus_areas = models.ManyToManyField(
        "alliance.FocusArea",
        blank=True,
        related_name="membership_applications",
        verbose_name=_("focus areas"),
    )
    contribution = models.TextField(
        _("how it will contribute"),
        blank=True,
        help_text=_(
            "Projects, people, tools or events it would bring to the alliance."
        ),
    )
    accepted_code_of_conduct_at = models.DateTimeField(
        _("accepted the code of conduct"), null=True, blank=True
    )
    accepted_antitrust_policy_at = models.DateTimeField(
        _("accepted the antitrust policy"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("organization"),
        help_text=_("Set when the application is approved."),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reason = models.TextField(
        _("reason for the decision"),
        blank=True,
        help_text=_("Required for a rejection; the applicant reads it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[focus_areas])

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ["-submitted_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"],
                condition=models.Q(status__in=["draft", "submitted", "under_review"]),
                name="application_one_open_per_applicant",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self):
        return f"{self.organization_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("members:application_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def awaits_decision(self) -> bool:
        return self.status in self.AWAITING_DECISION


class EmailDomain(models.Model):
    """An email domain of an organization; once verified, people who sign up with
    an address in it are affiliated as pending."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="email_domains",
        verbose_name=_("organization"),
    )
    domain = models.CharField(
        _("domain"), max_length=253, help_text=_("For example example.org")
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    added_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("email domain")
        verbose_name_plural = _("email domains")
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "domain"], name="email_domain_once_per_org"
            ),
            models.UniqueConstraint(
                fields=["domain"],
                condition=models.Q(verified_at__isnull=False),
                name="email_domain_verified_for_one_org",
            ),
        ]

    def __str__(self):
        return self.domain

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class Invitation(models.Model):
    """An emailed, single-use invitation to join an organization."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organization"),
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(
        _("role"),
        max_length=32,
        choices=Affiliation.Role.choices,
        default=Affiliation.Role.MEMBER,
    )
    invited_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), default=django_timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "accepted_at", "revoked_at"])]

    def __str__(self):
        return f"{self.email} → {self.organization}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > django_timezone.now()
        )


class RenewalNotice(models.Model):
    """A renewal message sent to an organization, kept so it is sent only once."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Renewal due in 30 days")
        LAPSED = "lapsed", _("Membership lapsed")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="renewal_notices",
        verbose_name=_("organization"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    renewal_due = models.DateField(_("renewal due"))
    sent_at = models.DateTimeField(_("sent"), default=django_timezone.now)

    class Meta:
        verbose_name = _("renewal notice")
        verbose_name_plural = _("renewal notices")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "renewal_due"],
                name="renewal_notice_once_per_due_date",
            ),
        ]

    def __str__(self):
        return f"{self.organization}: {self.get_kind_display()} ({self.renewal_due})"
