"""Forms of the ballot pages: open a ballot, vote, name a delegate."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.governance.models import Ballot
from alliance.governance.services import BALLOT_FIELDS

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class BallotForm(forms.ModelForm):
    """What a chair (or staff, for the member organizations) asks and how it is
    decided; the fields are the service's list, plus the options to choose from."""

    options = forms.CharField(
        label=_("Options to choose from"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For a choice among several options: one option per line. "
            "“Abstain” is always offered."
        ),
    )

    class Meta:
        model = Ballot
        fields = BALLOT_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "kind": forms.RadioSelect,
            "pass_rule": forms.RadioSelect,
            "opens_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=LOCAL_INPUT
            ),
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=LOCAL_INPUT
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opens_at"].required = False
        self.fields["opens_at"].help_text = _("Leave it empty to open the ballot now.")

    def clean_options(self) -> list[str]:
        return [
            line for line in self.cleaned_data["options"].splitlines() if line.strip()
        ]


class VoteForm(forms.Form):
    """One vote: an option and, for a person who votes for several organizations,
    which one."""

    option = forms.TypedChoiceField(
        label=_("Your vote"), coerce=int, widget=forms.RadioSelect
    )
    organization = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, ballot: Ballot, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].choices = [(o.pk, o.label) for o in ballot.option_list]


class DelegateForm(forms.Form):
    """The organization's primary contact names who casts its vote."""

    organization = forms.IntegerField(widget=forms.HiddenInput)
    delegate = forms.ModelChoiceField(
        queryset=None,
        label=_("Delegate"),
        help_text=_("A person of your organization who casts its vote instead of you."),
    )

    def __init__(self, *args, organization, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["delegate"].queryset = people
        self.fields["delegate"].label_from_instance = lambda user: user.public_name
