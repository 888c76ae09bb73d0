from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.core.markdown import MarkdownFormField
from alliance.working_groups.selectors import working_group_list
from members.models import Organization
from projects.models import CatalogEntry, Review
from projects.services.entries import ENTRY_FIELDS
from projects.validators import (
    MAX_LIST_ITEMS,
    languages_normalize,
    license_normalize,
    split_list,
    tags_normalize,
)

E = CatalogEntry


class CommaListField(forms.CharField):
    """A list typed as comma-separated values."""

    def __init__(self, *, normalize, **kwargs):
        self.normalize = normalize
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 1000)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def clean(self, value):
        return self.normalize(split_list(super().clean(value)))


def _formfield(field, **kwargs):
    # Addresses typed without a scheme are taken as https://.
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class EntryForm(forms.ModelForm):
    """The "submit to the catalog" and "edit" form; the view hands the cleaned data
    to the services."""

    modalities = forms.MultipleChoiceField(
        label=_("Modalities"),
        choices=E.Modality.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    hardware = forms.MultipleChoiceField(
        label=_("Hardware targets"),
        choices=E.Hardware.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = CommaListField(
        label=_("Languages"),
        normalize=languages_normalize,
        help_text=_(
            "ISO 639 codes, separated by commas, e.g. “en, de, sw” (at most %(max)d)."
        )
        % {"max": MAX_LIST_ITEMS},
    )
    tags = CommaListField(
        label=_("Tags"),
        normalize=tags_normalize,
        help_text=_("Separated by commas, e.g. “red teaming, guardrails”."),
    )
    owners = forms.ModelMultipleChoiceField(
        label=_("Owning organizations"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("You can name the organizations you belong to."),
    )

    class Meta:
        model = CatalogEntry
        fields = [*ENTRY_FIELDS, "owners"]
        widgets = {"description": forms.Textarea(attrs={"rows": 10})}
        formfield_callback = _formfield

    def __init__(self, *args, owner_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owners"].queryset = owner_choices
        self.fields["working_group"].queryset = working_group_list(with_counts=False)
        self.fields["working_group"].help_text = _(
            "Optional; it must belong to the focus area chosen above."
        )
        self.fields["license"].help_text = _(
            "An SPDX identifier such as Apache-2.0, MIT or CC-BY-4.0; see "
            "spdx.org/licenses."
        )
        if self.instance.pk:
            owned = self.instance.owners.filter(pk__in=owner_choices)
            self.initial["owners"] = list(owned)
            if self.instance.vetting_status != E.Vetting.NOT_SUBMITTED:
                self.fields["kind"].disabled = True
                self.fields["kind"].help_text = _(
                    "The kind cannot change once the entry was submitted."
                )

    def clean_license(self):
        return license_normalize(self.cleaned_data.get("license", ""))

    def _post_clean(self):
        # The services validate the model; a ModelForm must not write to it.
        pass

    def service_fields(self) -> dict:
        """Return the cleaned fields the services take, without owners."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "owners" and not self.fields[name].disabled
        }


class ReviewForm(forms.Form):
    license_clear = forms.BooleanField(
        label=Review._meta.get_field("license_clear").verbose_name, required=False
    )
    documentation_adequate = forms.BooleanField(
        label=Review._meta.get_field("documentation_adequate").verbose_name,
        required=False,
    )
    maintained_recently = forms.BooleanField(
        label=Review._meta.get_field("maintained_recently").verbose_name,
        required=False,
    )
    security_contact_given = forms.BooleanField(
        label=Review._meta.get_field("security_contact_given").verbose_name,
        required=False,
    )
    evaluation_evidence_given = forms.BooleanField(
        label=Review._meta.get_field("evaluation_evidence_given").verbose_name,
        required=False,
    )
    findings = MarkdownFormField(
        label=_("Findings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What you checked and what you found. Markdown is supported. Required "
            "when you request changes or reject."
        ),
    )
    verdict = forms.ChoiceField(
        label=_("Verdict"), choices=Review.Verdict.choices, widget=forms.RadioSelect
    )
    organization = forms.ModelChoiceField(
        label=_("Reviewing for"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=None,
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(
            pk__in=[o.pk for o in organizations]
        )
        if len(organizations) <= 1:
            self.fields["organization"].widget = forms.HiddenInput()
            if organizations:
                self.fields["organization"].initial = organizations[0].pk
