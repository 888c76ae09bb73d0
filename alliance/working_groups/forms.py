"""Forms of the working-group pages: join, decide, invite, post updates."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from alliance.core.markdown import MarkdownFormField
from alliance.governance.selectors import ballot_list_closed_for_group
from alliance.working_groups.models import WorkingGroupMembership, WorkingGroupUpdate
from alliance.working_groups.services import ActionItemInput
from members.selectors import user_member_organizations

Membership = WorkingGroupMembership
ROLE_CHOICES = [
    (Membership.Role.MEMBER, _("Member")),
    (Membership.Role.OBSERVER, _("Observer")),
]


class JoinForm(forms.Form):
    organization = forms.ModelChoiceField(
        queryset=None,
        to_field_name="slug",
        required=False,
        label=_("Representing"),
        empty_label=_("Choose for me"),
    )
    message = forms.CharField(
        label=_("Message to the chairs (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    as_observer = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, organizations: bool = True, **kwargs):
        """``organizations``: whether an unbound form offers the person's member
        organizations to choose from (the group page asks only when they have
        more than one; building the list costs a query's worth of Python)."""
        super().__init__(*args, **kwargs)
        if self.is_bound or organizations:
            self.fields["organization"].queryset = user_member_organizations(user)


class RequestDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("decline", _("Decline"))],
        widget=forms.HiddenInput,
    )
    role = forms.ChoiceField(label=_("Admit as"), choices=ROLE_CHOICES, required=False)
    note = forms.CharField(
        label=_("Note to the person (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_(
            "The address the person signs in with. The portal does not say "
            "whether an address has an account."
        ),
    )
    role = forms.ChoiceField(label=_("Invite as"), choices=ROLE_CHOICES)
    message = forms.CharField(
        label=_("Message (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _person_label(user) -> str:
    return user.public_name


class UpdateForm(forms.ModelForm):
    # The meeting the minutes belong to, when posted from its page.
    meeting = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = WorkingGroupUpdate
        fields = ["kind", "title", "body", "meeting_date", "ballot", "attendees"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 10}),
            "meeting_date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "attendees": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "ballot": _(
                "For a decision: the closed ballot of the group that carried it."
            ),
        }

    def __init__(self, *args, group, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        ballots = ballot_list_closed_for_group(group=group)
        self.fields["ballot"].queryset = ballots
        self.fields["ballot"].label = _("Ballot that carried the decision")
        self.fields["ballot"].empty_label = _("None")
        if people is None:
            del self.fields["attendees"]
        else:
            attendees = self.fields["attendees"]
            attendees.queryset = people
            attendees.label = _("Attendance")
            attendees.help_text = _(
                "Taken from the meeting's registrations; tick who attended."
            )
            attendees.label_from_instance = _person_label


class UpdateCorrectForm(forms.Form):
    """Correct the title and text of an update (chairs: the attendance too)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    body = MarkdownFormField(
        label=_("Text"),
        help_text=_("Markdown is supported."),
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendance"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is None:
            del self.fields["attendees"]
        else:
            self.fields["attendees"].queryset = people
            self.fields["attendees"].label_from_instance = _person_label


class ActionItemForm(forms.Form):
    text = forms.CharField(label=_("Action"), max_length=300, required=False)
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=None, required=False, empty_label=_("Choose")
    )
    due_date = forms.DateField(
        label=_("Due"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda user: user.public_name

    def clean(self):
        data = super().clean()
        if (data.get("owner") or data.get("due_date")) and not data.get("text"):
            self.add_error("text", _("Say what needs doing."))
        if data.get("text") and not data.get("owner"):
            self.add_error("owner", _("Choose who will do it."))
        return data

    def as_input(self) -> ActionItemInput | None:
        data = self.cleaned_data
        if not data.get("text"):
            return None
        return ActionItemInput(
            text=data["text"], owner=data["owner"], due_date=data.get("due_date")
        )


ActionItemFormSet = forms.formset_factory(
    ActionItemForm, extra=3, max_num=20, validate_max=True
)


def action_item_owners(group):
    """Return the people who may own an action item of the group."""
    return (
        get_user_model()
        .objects.filter(
            group_memberships__group=group,
            group_memberships__status=Membership.Status.ACTIVE,
        )
        .order_by("name", "email")
    )
