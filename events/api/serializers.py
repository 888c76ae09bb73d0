"""Input and output serializers of the events API (kept apart: callers can only
set what the input serializers name; anything else is refused)."""

import zoneinfo

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliance.core.api.fields import (
    DateTimeInWindowField,
    MarkdownSerializerField,
    SlugRelatedField,
)
from alliance.core.api.serializers import StrictInputSerializer
from alliance.core.dates import validate_in_window
from alliance.core.time_zones import validate_time_zone
from alliance.focus_areas.models import FocusArea
from alliance.registries.references import reference_resolve
from alliance.working_groups.selectors import meeting_minutes_list, working_group_list
from events.models import Event, EventSeries, Registration
from events.permissions import can_manage_event
from events.services.events import EVENT_FIELDS, REMINDER_CHOICES


class EventInputSerializer(StrictInputSerializer):
    title = serializers.CharField(max_length=200)
    description = MarkdownSerializerField(required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=Event.Kind.choices, required=False)
    focus_area = SlugRelatedField(
        slug_field="slug",
        queryset=FocusArea.objects.all(),
        required=False,
        allow_null=True,
    )
    working_group = SlugRelatedField(
        slug_field="slug",
        queryset=working_group_list(with_counts=False),
        required=False,
        allow_null=True,
    )
    format = serializers.ChoiceField(choices=Event.Format.choices, required=False)
    venue = serializers.CharField(max_length=200, required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)
    online_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    starts_at = DateTimeInWindowField()
    ends_at = DateTimeInWindowField(
        required=False, help_text="Defaults to one hour after the start."
    )
    time_zone = serializers.CharField(max_length=64, validators=[validate_time_zone])
    capacity = serializers.IntegerField(
        min_value=1, max_value=100_000, required=False, allow_null=True
    )
    seats_per_organization = serializers.IntegerField(
        min_value=1, max_value=10_000, required=False, allow_null=True
    )
    registration_opens_at = DateTimeInWindowField(required=False, allow_null=True)
    registration_closes_at = DateTimeInWindowField(required=False, allow_null=True)
    visibility = serializers.ChoiceField(
        choices=Event.Visibility.choices, required=False
    )
    reminder_hours = serializers.ListField(
        child=serializers.ChoiceField(choices=REMINDER_CHOICES),
        required=False,
        max_length=3,
    )
    showcase_entries = serializers.ListField(
        child=serializers.SlugField(max_length=200), required=False, max_length=50
    )
    repeat = serializers.ChoiceField(
        choices=EventSeries.Frequency.choices, required=False
    )
    repeat_until = serializers.DateField(
        required=False, allow_null=True, validators=[validate_in_window]
    )

    class Meta:
        # The organization is the service's choice here: the page offers the
        # organizer's own organizations, the API has no such list to check against.
        fields = (
            *(name for name in EVENT_FIELDS if name != "organization"),
            "showcase_entries",
            "repeat",
            "repeat_until",
        )

    def validate_time_zone(self, value):
        return zoneinfo.ZoneInfo(value)

    def validate_reminder_hours(self, value):
        return sorted({int(hours) for hours in value}, reverse=True)


class EventUpdateInputSerializer(EventInputSerializer):
    scope = serializers.ChoiceField(
        choices=[("one", "one"), ("following", "following")],
        required=False,
        help_text="For a meeting of a series: change only it, or it and the rest.",
    )

    class Meta:
        # An event's series is set when it is created, not changed afterwards.
        fields = (
            *(
                name
                for name in EventInputSerializer.Meta.fields
                if name not in ("repeat", "repeat_until")
            ),
            "scope",
        )


class CancelInputSerializer(StrictInputSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    scope = serializers.ChoiceField(
        choices=[("one", "one"), ("following", "following")], required=False
    )


class RegistrationInputSerializer(StrictInputSerializer):
    show_on_list = serializers.BooleanField(required=False, default=False)


class RegistrationOutputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Registration.Status.choices)
    position = serializers.IntegerField(allow_null=True)


class EventOutputSerializer(serializers.ModelSerializer):
    focus_area = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    working_group = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    organization = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    time_zone = serializers.CharField()
    confirmed_count = serializers.IntegerField(read_only=True)
    waitlist_count = serializers.IntegerField(read_only=True)
    seats_left = serializers.IntegerField(read_only=True, allow_null=True)
    series = serializers.SerializerMethodField()
    series_more_dates = serializers.SerializerMethodField()
    my_registration = serializers.SerializerMethodField()
    online_url = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    ics_url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "slug",
            "title",
            "kind",
            "format",
            "status",
            "visibility",
            "focus_area",
            "working_group",
            "organization",
            "venue",
            "address",
            "online_url",
            "starts_at",
            "ends_at",
            "time_zone",
            "capacity",
            "seats_per_organization",
            "confirmed_count",
            "waitlist_count",
            "seats_left",
            "registration_opens_at",
            "registration_closes_at",
            "reminder_hours",
            "series",
            "series_more_dates",
            "sequence",
            "my_registration",
            "url",
            "ics_url",
        ]

    def get_series_more_dates(self, obj) -> int | None:
        """With ``series=one``: how many other occurrences of the series the
        list holds; otherwise null."""
        return getattr(obj, "series_more", None)

    def _user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def get_series(self, obj) -> str | None:
        return obj.series.frequency if obj.series_id else None

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "status": {"type": "string"},
                "position": {"type": "integer", "nullable": True},
            },
        }
    )
    def get_my_registration(self, obj):
        if self.context.get("audience"):
            return None  # a list shared by an audience: laid over per person
        registration = self.context.get("registration")
        if registration is not None and registration.event_id == obj.pk:
            return {"status": registration.status, "position": registration.position}
        status = getattr(obj, "my_status", None)
        return {"status": status, "position": None} if status else None

    def get_online_url(self, obj) -> str | None:
        if not obj.online_url:
            return None
        audience = self.context.get("audience")
        if audience:
            # A list shared by an audience: staff manage every event; anyone
            # else's link is laid over per person (events.api.views).
            return obj.online_url if audience == "staff" else None
        if getattr(obj, "my_status", None) == Registration.Status.CONFIRMED:
            return obj.online_url
        return obj.online_url if can_manage_event(self._user(), obj) else None

    def get_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    def get_ics_url(self, obj) -> str:
        request = self.context.get("request")
        path = f"{obj.get_absolute_url()}calendar.ics"
        return request.build_absolute_uri(path) if request else path


class EventDetailOutputSerializer(EventOutputSerializer):
    description = serializers.CharField()
    showcase_entries = serializers.SerializerMethodField()
    agenda = serializers.CharField(
        help_text="A working-group meeting's agenda (Markdown), else empty."
    )
    minutes = serializers.SerializerMethodField()

    class Meta(EventOutputSerializer.Meta):
        fields = [
            *EventOutputSerializer.Meta.fields,
            "description",
            "showcase_entries",
            "agenda",
            "minutes",
        ]

    @extend_schema_field(
        {
            "type": "array",
            "description": "The minutes of a meeting the reader may see.",
            "items": {
                "type": "object",
                "properties": {
                    "title": {"type": "string"},
                    "url": {"type": "string"},
                    "posted_at": {"type": "string", "format": "date-time"},
                },
            },
        }
    )
    def get_minutes(self, obj):
        if obj.kind != Event.Kind.MEETING or not obj.working_group_id:
            return []
        request = self.context.get("request")
        return [
            {
                "title": update.title,
                "url": request.build_absolute_uri(update.get_absolute_url())
                if request
                else update.get_absolute_url(),
                "posted_at": update.created_at.isoformat(),
            }
            for update in meeting_minutes_list(event_id=obj.pk, user=self._user())
        ]

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "slug": {"type": "string"},
                    "title": {"type": "string"},
                    "url": {"type": "string"},
                },
            },
        }
    )
    def get_showcase_entries(self, obj):
        slugs = list(obj.showcase_entries.values_list("entry_slug", flat=True))
        found = reference_resolve("catalog_entry", slugs)
        return [
            {"slug": slug, "title": found[slug]["title"], "url": found[slug]["url"]}
            for slug in slugs
            if slug in found
        ]


class AttendeeOutputSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.get_full_name")
    email = serializers.CharField(
        source="shared_email",
        help_text="Empty unless the person shows their address in the directory.",
    )
    organization = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    position = serializers.IntegerField(allow_null=True)
    registered_at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = Registration
        fields = [
            "name",
            "email",
            "organization",
            "status",
            "position",
            "show_on_list",
            "attended",
            "registered_at",
        ]
