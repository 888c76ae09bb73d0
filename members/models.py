from django.conf import settings
from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone as django_timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords
from timezone_field import TimeZoneField


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
    name = models.CharField(_("full name"), max_length=150, blank=True)
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("How others see you in the portal. Defaults to your full name."),
    )
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    timezone = TimeZoneField(_("time zone"), default="UTC", use_pytz=False)
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
    may_review_catalog = models.BooleanField(
        _("people may review catalog entries"), default=False
    )
    may_publish_events = models.BooleanField(
        _("people may publish events"), default=False
    )
    history = HistoricalRecords()

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

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = CountryField(_("country"))
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    description = models.TextField(
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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:organization_detail", kwargs={"slug": self.slug})

    @property
    def is_active_member(self) -> bool:
        return self.status == self.Status.ACTIVE


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
