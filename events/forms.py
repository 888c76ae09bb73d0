import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.core.dates import validate_in_window
from alliance.core.markdown import MarkdownFormField
from alliance.core.time_zones import TimeZoneChoiceField
from alliance.registries.references import reference_available, reference_choices
from alliance.working_groups.selectors import (
    user_chaired_group_ids,
    working_group_list,
)
from events.models import Event, EventMessage, EventSeries
from events.services.events import EVENT_FIELDS, REMINDER_CHOICES
from members.models import Organization
from members.selectors import user_member_organizations

LOCAL_FIELDS = (
    "starts_at",
    "ends_at",
    "registration_opens_at",
    "registration_closes_at",
)
REMINDER_LABELS = {
    168: _("One week before"),
    24: _("24 hours before"),
    1: _("1 hour before"),
}


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock date and time, read in the event's time zone (not the
    viewer's): the form makes it aware once the time zone is known."""

    widget = forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
    )
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
    # Checked on the wall-clock time, before the form converts it to UTC (a
    # time near year 9999 overflows there).
    default_validators = [validate_in_window]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.replace(tzinfo=None)
        return forms.fields.BaseTemporalField.to_python(self, value)


class EventForm(forms.ModelForm):
    starts_at = LocalDateTimeField(label=_("Starts"))
    ends_at = LocalDateTimeField(
        label=_("Ends"),
        required=False,
        help_text=_("Leave empty for one hour after the start."),
    )
    registration_opens_at = LocalDateTimeField(
        label=_("Registration opens"),
        required=False,
        help_text=_("Leave empty to open registration when you publish."),
    )
    registration_closes_at = LocalDateTimeField(
        label=_("Registration closes"),
        required=False,
        help_text=_("Leave empty to keep registration open until the start."),
    )
    time_zone = TimeZoneChoiceField(
        label=_("Time zone"),
        searchable=True,
        help_text=_(
            "Type a city or region to search, e.g. Europe/Berlin; common zones "
            "come first."
        ),
    )
    reminder_hours = forms.TypedMultipleChoiceField(
        label=_("Reminders to attendees"),
        choices=[(h, REMINDER_LABELS[h]) for h in REMINDER_CHOICES],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    showcase_entries = forms.MultipleChoiceField(
        label=_("Catalog entries presented"),
        required=False,
        help_text=_("For showcases: the tools, models or datasets presented."),
    )
    repeat = forms.ChoiceField(
        label=_("Repeats"),
        required=False,
        choices=[("", _("Does not repeat")), *EventSeries.Frequency.choices],
    )
    repeat_until = forms.DateField(
        label=_("Repeat until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to keep repeating until you cancel the series."),
        validators=[validate_in_window],
    )
    scope = forms.ChoiceField(
        label=_("Apply the changes to"),
        choices=[
            ("one", _("This meeting only")),
            ("following", _("This and all following meetings of the series")),
        ],
        initial="one",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Event
        fields = EVENT_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "address": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        editing = self.instance.pk is not None
        groups = working_group_list(with_counts=False)
        organizations = Organization.objects.filter(status=Organization.Status.ACTIVE)
        if not user.is_staff:
            allowed = user_chaired_group_ids(user)
            if editing and self.instance.working_group_id:
                allowed = allowed | {self.instance.working_group_id}
            groups = groups.filter(pk__in=allowed)
            organizations = user_member_organizations(user)
        self.fields["working_group"].queryset = groups.order_by("name")
        self.fields["working_group"].help_text = _(
            "Chairs organize their group's events."
        )
        self.fields["organization"].queryset = organizations.order_by("name")
        if reference_available("catalog_entry"):
            self.fields["showcase_entries"].choices = reference_choices("catalog_entry")
        else:
            del self.fields["showcase_entries"]
        if editing:
            del self.fields["repeat"]
            del self.fields["repeat_until"]
            tz = self.instance.time_zone
            for name in LOCAL_FIELDS:
                value = getattr(self.instance, name)
                if value is not None:
                    self.initial[name] = value.astimezone(tz).replace(tzinfo=None)
            if "showcase_entries" in self.fields:
                self.initial["showcase_entries"] = list(
                    self.instance.showcase_entries.values_list("entry_slug", flat=True)
                )
            if not self.instance.series_id:
                del self.fields["scope"]
        else:
            del self.fields["scope"]
            self.initial.setdefault("time_zone", user.timezone)
            self.initial.setdefault("reminder_hours", [24, 1])

    def clean(self):
        cleaned = super().clean()
        tz = cleaned.get("time_zone")
        if tz is None:
            return cleaned
        for name in LOCAL_FIELDS:
            naive = cleaned.get(name)
            if naive is None:
                continue
            aware = naive.replace(tzinfo=tz)
            if aware.astimezone(datetime.UTC).astimezone(tz).replace(
                tzinfo=None
            ) != naive.replace(fold=0):
                self.add_error(
                    name,
                    _(
                        "This time does not exist in %(zone)s: the clocks change "
                        "then. Choose a time an hour earlier or later."
                    )
                    % {"zone": tz},
                )
                continue
            cleaned[name] = aware.astimezone(datetime.UTC)
        return cleaned

    def _post_clean(self):
        # The services validate the event; the form only parses the input.
        pass

    def event_fields(self) -> dict:
        """Return the cleaned values the event services take."""
        data = {
            name: self.cleaned_data[name]
            for name in EVENT_FIELDS
            if name in self.cleaned_data
        }
        data["title"] = data["title"].strip()
        # The page shows only the fields of the chosen format (events.js);
        # without that script every field shows, so what the format does not
        # use is dropped here rather than kept out of sight.
        if data.get("format") == Event.Format.ONLINE:
            data["venue"] = data["address"] = ""
        elif data.get("format") == Event.Format.IN_PERSON:
            data["online_url"] = ""
        return data


class RegistrationForm(forms.Form):
    show_on_list = forms.BooleanField(
        label=_("Show my name and organization on the attendee list"),
        required=False,
    )


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=_("Message to the people registered"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    scope = forms.ChoiceField(
        label=_("What to cancel"),
        choices=[
            ("one", _("This meeting only")),
            ("following", _("This and all following meetings of the series")),
        ],
        initial="one",
        required=False,
        widget=forms.RadioSelect,
    )


class AttendanceForm(forms.Form):
    registration = forms.IntegerField(widget=forms.HiddenInput)
    attended = forms.TypedChoiceField(
        choices=[("yes", _("Attended")), ("no", _("Did not attend")), ("", _("—"))],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        required=False,
    )


class AttendeeMessageForm(forms.Form):
    to = forms.ChoiceField(
        label=_("To"),
        choices=EventMessage.To.choices,
        initial=EventMessage.To.REGISTERED,
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = MarkdownFormField(
        label=_("Message"),
        help_text=_(
            "Markdown is supported. Each person gets it by email and in their "
            "notifications; your address is not shown to them."
        ),
    )


class AgendaForm(forms.Form):
    """A working-group meeting's agenda, drafted by the group's chairs."""

    agenda = MarkdownFormField(
        label=_("Agenda"),
        required=False,
        help_text=_(
            "Markdown is supported. The group's open action items are listed "
            "under the agenda by themselves."
        ),
        widget=forms.Textarea(attrs={"rows": 12}),
    )
