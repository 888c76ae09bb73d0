from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from alliance.notifications.models import (
    Delivery,
    Notification,
    NotificationSettings,
    Subscription,
)
from alliance.registries.audiences import audience_models
from alliance.registries.notification_kinds import notification_kind_keys

# --- Notifications -----------------------------------------------------------------


class NotificationOutputSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "read"]

    def get_read(self, obj) -> bool:
        return obj.read_at is not None


class MarkedReadOutputSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField()


# --- Subscriptions -------------------------------------------------------------------


class SubscriptionOutputSerializer(serializers.ModelSerializer):
    target_type = serializers.SerializerMethodField()
    target_name = serializers.SerializerMethodField()

    class Meta:
        model = Subscription
        fields = [
            "id",
            "target_type",
            "target_id",
            "target_name",
            "state",
            "created_at",
        ]

    def get_target_type(self, obj) -> str:
        return f"{obj.target_type.app_label}.{obj.target_type.model}"

    def get_target_name(self, obj) -> str:
        """The target's name, only while it exists and the person may see it."""
        visible = self.context.get("visible", set())
        if (obj.target_type_id, obj.target_id) not in visible:
            return ""
        return str(obj.target) if obj.target is not None else ""


class SubscriptionInputSerializer(serializers.Serializer):
    target_type = serializers.CharField(
        help_text=_("What to follow, e.g. alliance.workinggroup.")
    )
    target_id = serializers.IntegerField(min_value=1)
    state = serializers.ChoiceField(choices=Subscription.State.choices)

    def validate_target_type(self, value):
        label = value.lower()
        if label not in audience_models():
            raise ValidationError(
                _("You cannot follow this. Choose one of: %(types)s.")
                % {"types": ", ".join(audience_models())}
            )
        return label


# --- Preferences ---------------------------------------------------------------------


class ChannelsSerializer(serializers.Serializer):
    email = serializers.ChoiceField(choices=Delivery.choices, required=False)
    inbox = serializers.ChoiceField(choices=Delivery.choices, required=False)


class PreferencesSerializer(serializers.Serializer):
    """Input and output differ only in which fields are required."""

    digest_frequency = serializers.ChoiceField(
        choices=NotificationSettings.Frequency.choices, required=False
    )
    digest_hour = serializers.IntegerField(min_value=0, max_value=23, required=False)
    digest_weekday = serializers.IntegerField(
        min_value=0, max_value=6, required=False, help_text=_("0 is Monday.")
    )
    staff_report = serializers.BooleanField(required=False)
    next_digest_at = serializers.DateTimeField(read_only=True, allow_null=True)
    kinds = serializers.DictField(
        child=ChannelsSerializer(),
        required=False,
        help_text=_("Per kind of notification: {kind: {email, inbox}}."),
    )

    def validate_kinds(self, kinds):
        unknown = sorted(set(kinds) - set(notification_kind_keys()))
        if unknown:
            raise ValidationError(
                _("Unknown kinds: %(kinds)s.") % {"kinds": ", ".join(unknown)}
            )
        return kinds
