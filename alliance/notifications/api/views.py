"""The person's own notifications, subscriptions and preferences:
``/api/v1/me/notifications/``, ``/api/v1/me/subscriptions/``,
``/api/v1/me/preferences/``."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.notifications.api.serializers import (
    MarkedReadOutputSerializer,
    NotificationOutputSerializer,
    PreferencesSerializer,
    SubscriptionInputSerializer,
    SubscriptionOutputSerializer,
)
from alliance.notifications.models import Notification, Subscription
from alliance.notifications.selectors import (
    followable_get,
    notification_list,
    subscription_visible_keys,
)
from alliance.notifications.services.activities import notification_mark_read
from alliance.notifications.services.preferences import (
    notification_preferences_set,
    notification_settings_get,
    preference_table,
)
from alliance.notifications.services.subscriptions import (
    subscription_delete,
    subscription_set,
)


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
    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            page = getattr(self, "_page_for_names", None)
            context["visible"] = subscription_visible_keys(
                page if page is not None else [], user=self.request.user
            )
        return context

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._page_for_names = page if page is not None else list(queryset)
        return page

    def create(self, request):
        serializer = SubscriptionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # Missing and hidden get the same answer: nobody learns what exists.
        target = followable_get(
            user=request.user, label=data["target_type"], pk=data["target_id"]
        )
        if target is None:
            raise NotFound(_("Nothing you may follow has this id."))
        subscription_set(
            user=request.user, target=target, state=serializer.validated_data["state"]
        )
        subscription = self.get_queryset().get(
            target_type=ContentType.objects.get_for_model(target), target_id=target.pk
        )
        return Response(
            SubscriptionOutputSerializer(
                subscription,
                context={"visible": {(subscription.target_type_id, target.pk)}},
            ).data,
            status=status.HTTP_201_CREATED,
        )

    def perform_destroy(self, instance):
        # By id: also when its target was deleted or is hidden now.
        subscription_delete(user=self.request.user, subscription_id=instance.pk)


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
