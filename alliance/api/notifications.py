"""The person's own notifications, subscriptions and preferences:
``/api/v1/me/notifications/``, ``/api/v1/me/subscriptions/``,
``/api/v1/me/preferences/``."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.hooks import audience_models
from alliance.models import (
    Activity,
    Delivery,
    Notification,
    NotificationSettings,
    Subscription,
)
from alliance.selectors.notifications import notification_list
from alliance.services.notifications import notification_mark_read
from alliance.services.preferences import (
    notification_preferences_set,
    notification_settings_get,
    preference_table,
)
from alliance.services.subscriptions import subscription_set

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


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The notifications in your inbox, newest first; ``?unread=true`` for unread."""

    serializer_class = NotificationOutputSerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = Notification.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        unread = self.request.query_params.get("unread", "").lower() in ("1", "true")
        return notification_list(recipient=self.request.user, unread_only=unread)

    @extend_schema(
        parameters=[OpenApiParameter("unread", bool, description="Only unread ones")]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=MarkedReadOutputSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one notification read."""
        notification = self.get_object()
        count = notification_mark_read(
            recipient=request.user, notification_id=notification.pk
        )
        return Response({"marked_read": count})

    @extend_schema(request=None, responses=MarkedReadOutputSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark all your notifications read."""
        return Response({"marked_read": notification_mark_read(recipient=request.user)})


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
        return str(obj.target) if obj.target is not None else ""


class SubscriptionInputSerializer(serializers.Serializer):
    target_type = serializers.CharField(
        help_text=_("What to follow, e.g. alliance.workinggroup.")
    )
    target_id = serializers.IntegerField(min_value=1)
    state = serializers.ChoiceField(choices=Subscription.State.choices)

    def validate(self, data):
        label = data["target_type"].lower()
        if label not in audience_models():
            raise ValidationError(
                {
                    "target_type": [
                        _("You cannot follow this. Choose one of: %(types)s.")
                        % {"types": ", ".join(audience_models())}
                    ]
                }
            )
        app_label, _dot, model = label.partition(".")
        content_type = ContentType.objects.get(app_label=app_label, model=model)
        target = (
            content_type.model_class()
            ._default_manager.filter(pk=data["target_id"])
            .first()
        )
        if target is None:
            raise ValidationError({"target_id": [_("Nothing with this id exists.")]})
        data["target"] = target
        return data


class SubscriptionViewSet(
    mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """What you explicitly follow or muted. POST follows or mutes (again);
    DELETE returns to the default (you hear of what you belong to)."""

    serializer_class = SubscriptionOutputSerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = Subscription.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Subscription.objects.none()
        return (
            Subscription.objects.filter(user=self.request.user)
            .select_related("target_type")
            .prefetch_related("target")
            .order_by("-created_at", "-id")
        )

    @extend_schema(
        request=SubscriptionInputSerializer, responses=SubscriptionOutputSerializer
    )
    def create(self, request):
        serializer = SubscriptionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        target = serializer.validated_data["target"]
        subscription_set(
            user=request.user, target=target, state=serializer.validated_data["state"]
        )
        subscription = self.get_queryset().get(
            target_type=ContentType.objects.get_for_model(target), target_id=target.pk
        )
        return Response(
            SubscriptionOutputSerializer(subscription).data,
            status=status.HTTP_201_CREATED,
        )

    def perform_destroy(self, instance):
        subscription_set(user=self.request.user, target=instance.target, state=None)


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
        unknown = sorted(set(kinds) - set(Activity.Kind.values))
        if unknown:
            raise ValidationError(
                _("Unknown kinds: %(kinds)s.") % {"kinds": ", ".join(unknown)}
            )
        return kinds


class PreferencesView(APIView):
    """Your digest schedule and, per kind, how you hear of it by email and in
    the inbox (immediately, digest or off)."""

    permission_classes = [permissions.IsAuthenticated]

    def _data(self, user):
        settings_row = notification_settings_get(user=user)
        return {
            "digest_frequency": settings_row.digest_frequency,
            "digest_hour": settings_row.digest_hour,
            "digest_weekday": settings_row.digest_weekday,
            "staff_report": settings_row.staff_report,
            "next_digest_at": settings_row.next_digest_at,
            "kinds": {
                kind: {"email": choice.email, "inbox": choice.inbox}
                for kind, choice in preference_table(user=user).items()
            },
        }

    @extend_schema(responses=PreferencesSerializer)
    def get(self, request):
        return Response(PreferencesSerializer(self._data(request.user)).data)

    @extend_schema(request=PreferencesSerializer, responses=PreferencesSerializer)
    def patch(self, request):
        serializer = PreferencesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        notification_preferences_set(user=request.user, **data)
        return Response(PreferencesSerializer(self._data(request.user)).data)

    put = patch
