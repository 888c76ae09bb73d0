from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

from alliance.core.markdown import MarkdownFormField
from alliance.core.time_zones import TimeZoneChoiceField
from alliance.focus_areas.models import FocusArea
from members.logos import logo_reencode
from members.models import Affiliation, MembershipApplication, Tier, User
from members.services import PROFILE_FIELDS
from members.services.applications import APPLICATION_FIELDS


class ProfileForm(forms.ModelForm):
    timezone = TimeZoneChoiceField(label=_("Time zone"))

    class Meta:
        model = User
        fields = PROFILE_FIELDS
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_("Say what it is for, e.g. “Nightly catalog sync”."),
    )


class ApplicationForm(forms.ModelForm):
    website = forms.URLField(
        label=_("Website"), required=False, assume_scheme="https", max_length=200
    )
    accept_code_of_conduct = forms.BooleanField(
        label=_("I have read the code of conduct and accept it for my organization."),
        required=False,
    )
    accept_antitrust_policy = forms.BooleanField(
        label=_("I have read the antitrust policy and accept it for my organization."),
        required=False,
    )

    class Meta:
        model = MembershipApplication
        # The focus areas are application_save's own argument: a many-to-many set
        # once the application is saved.
        fields = (*APPLICATION_FIELDS, "focus_areas")
        widgets = {
            "focus_areas": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
            "contribution": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "focus_areas": _("Pick the focus areas the organization wants to work on.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_areas"].queryset = FocusArea.objects.order_by("number")
        self.fields["website"].widget.attrs["placeholder"] = "https://"
        if self.instance.pk:
            self.initial["accept_code_of_conduct"] = bool(
                self.instance.accepted_code_of_conduct_at
            )
            self.initial["accept_antitrust_policy"] = bool(
                self.instance.accepted_antitrust_policy_at
            )


class OrganizationProfileForm(forms.Form):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = MarkdownFormField(
        label=_("Description"),
        required=False,
        help_text=_("Markdown is supported."),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_(
            "PNG, JPEG, WebP or GIF, at most 2 MB, between 32 and 4000 pixels wide "
            "and high. It is converted to PNG and shown at up to 512 pixels."
        ),
        widget=forms.FileInput(
            attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}
        ),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    def __init__(self, *args, slug: str, **kwargs):
        self.slug = slug
        super().__init__(*args, **kwargs)

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if upload:
            # Checked here to show the problem next to the field; the service
            # re-encodes again when it stores the file.
            logo_reencode(upload, slug=self.slug)
            upload.seek(0)
        return upload


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's email address"))
    role = forms.ChoiceField(
        label=_("Role"), choices=Affiliation.Role.choices, initial="member"
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=settings.LANGUAGES
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Affiliation.Role.choices)


class EmailDomainForm(forms.Form):
    domain = forms.CharField(
        label=_("Email domain"),
        max_length=253,
        help_text=_(
            "For example example.org. It is verified at once if one of your "
            "organization's contacts has a verified address in it; otherwise "
            "staff verify it."
        ),
    )


class AccountCloseForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput, required=False
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that my account is deleted for good and I cannot sign "
            "in again."
        )
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if user.has_usable_password():
            self.fields["password"].required = True
        else:
            del self.fields["password"]

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The applicant reads this; say what they could do."),
    )


class ApprovalForm(forms.Form):
    tier = forms.ModelChoiceField(
        label=_("Tier"),
        queryset=Tier.objects.order_by("rank"),
        required=False,
        empty_label=_("Default for its kind"),
        help_text=_("Companies join General, everyone else Academic & Non-profit."),
    )
    reason = forms.CharField(
        label=_("Note to the applicant (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class OrganizationImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, comma or semicolon separated, with a header row. Columns: "
            "name, kind, country (required); slug, website, tier, status, "
            "member_since, renewal_due (YYYY-MM-DD), description."
        ),
    )


class StatusChangeForm(forms.Form):
    """Why staff change an organization's membership state: kept in its history
    and, when it loses membership, told to its primary contacts."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=100,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 100}),
        help_text=_(
            "Kept in the organization's history; its primary contacts read it "
            "(at most 100 characters)."
        ),
    )

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form, taking as long for an address that already has an
    account as for a new one: a new address costs hashing its password (the
    account is created), so an existing one hashes it too, then gets allauth's
    usual "you already have an account" email (queued, like the verification)."""

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)
