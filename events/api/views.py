from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from alliance.core.api.caching import SharedListMixin
from events.api.serializers import (
    AttendeeOutputSerializer,
    CancelInputSerializer,
    EventDetailOutputSerializer,
    EventInputSerializer,
    EventOutputSerializer,
    EventUpdateInputSerializer,
    RegistrationInputSerializer,
    RegistrationOutputSerializer,
)
from events.filters import EventFilter
from events.models import Event
from events.permissions import (
    IsEventManager,
    can_create_event_for_group,
    can_create_events,
    can_manage_event,
    online_link_shown,
)
from events.selectors import (
    EVENT_LIST_NAMESPACES,
    event_attendees,
    event_detail,
    event_list,
    event_list_audience,
    event_list_beyond_audience,
    event_list_for_audience,
    event_list_mine,
    event_list_one_per_series,
    event_visible,
    registration_for,
)
from events.services.events import (
    event_cancel,
    event_create,
    event_publish,
    event_update,
)
from events.services.registrations import registration_cancel, registration_create

_REQUEST_USER = object()


def _event_mine(item: dict, event: dict, mine) -> bool:
    """Lay the caller's own over an event of a list shared by their audience:
    their registration, and the online link if they have a seat or manage
    it. Return whether anything was theirs."""
    status = mine.statuses.get(event["pk"])
    if status:
        item["my_registration"] = {"status": status, "position": None}
    if event["online_url"] and online_link_shown(
        registration_status=status, manages=event["pk"] in mine.managed
    ):
        item["online_url"] = event["online_url"]
        return True
    return bool(status)


class EventViewSet(
    SharedListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Events the caller may see; organizers create, change, publish and cancel."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsEventManager]
    filterset_class = EventFilter
    serializer_class = EventOutputSerializer

    def _when(self) -> str:
        if self.action != "list":
            return "all"
        when = self.request.query_params.get("when", "upcoming")
        return when if when in ("upcoming", "past", "all") else "upcoming"

    def get_queryset(self):
        return event_list(self.request.user, when=self._when())

    def filter_queryset(self, queryset, *, user=_REQUEST_USER):
        queryset = super().filter_queryset(queryset)
        if self.action == "list" and self.request.query_params.get("series") == "one":
            queryset = event_list_one_per_series(
                queryset,
                self.request.user if user is _REQUEST_USER else user,
                latest=self.request.query_params.get("when") == "past",
            )
        return queryset

    # Shared per audience (visitors, members, staff), dropped by any write to
    # events; the caller's own registrations and links laid over it. A caller
    # who sees events beyond their audience's gets their own list.
    shared_namespaces = EVENT_LIST_NAMESPACES

    def shared_audience(self) -> str | None:
        return event_list_audience(self.request.user)

    def shared_page(self, request, *args, **kwargs):
        """One page of the list as every reader of the audience sees it, with
        what the overlay needs of each event (kept on the server)."""
        audience = self.shared_audience()
        events = self.filter_queryset(
            event_list_for_audience(audience, when=self._when()), user=None
        )
        page = self.paginate_queryset(events)
        context = {**self.get_serializer_context(), "audience": audience}
        data = self.get_paginated_response(
            EventOutputSerializer(page, many=True, context=context).data
        ).data
        return data, [
            {"pk": event.pk, "online_url": event.online_url} for event in page
        ]

    def shared_overlay(self, answer):
        user = self.request.user
        if not user.is_authenticated:
            return None
        mine = event_list_mine(
            user,
            event_ids=[event["pk"] for event in answer.context],
            beyond=lambda: event_list_beyond_audience(user, when=self._when()),
            managed=True,
        )
        if mine.beyond:
            return mixins.ListModelMixin.list(self, self.request)
        if not (mine.statuses or mine.managed):
            return None  # nothing of theirs: the shared answer as it was kept
        data = answer.data
        found = False
        for item, event in zip(data["results"], answer.context, strict=True):
            found = _event_mine(item, event, mine) or found
        return Response(data) if found else None

    def get_object(self):
        try:
            event = event_detail(self.request.user, slug=self.kwargs["slug"])
        except Event.DoesNotExist as exc:
            raise Http404 from exc
        self.check_object_permissions(self.request, event)
        return event

    def _detail(self, event, *, code=status.HTTP_200_OK):
        event = event_detail(self.request.user, slug=event.slug)
        context = {
            **self.get_serializer_context(),
            "registration": registration_for(self.request.user, event),
        }
        return Response(EventDetailOutputSerializer(event, context=context).data, code)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "when", enum=["upcoming", "past", "all"], default="upcoming"
            ),
            OpenApiParameter(
                "series",
                enum=["all", "one"],
                default="all",
                description=(
                    "all: every occurrence of a series is an item. one: a series "
                    "is one item, its next occurrence (with when=past: its "
                    "latest), and series_more_dates says how many other "
                    "occurrences the list holds."
                ),
            ),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=EventDetailOutputSerializer)
    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    @extend_schema(
        request=EventInputSerializer, responses={201: EventDetailOutputSerializer}
    )
    def create(self, request, *args, **kwargs):
        if not can_create_events(request.user):
            raise PermissionDenied(_("You may not create events."))
        serializer = EventInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if not can_create_event_for_group(request.user, data.get("working_group")):
            raise PermissionDenied(
                _("Only the group's chairs may organize its events.")
                if data.get("working_group")
                else _("Your organization's membership does not include events.")
            )
        event = event_create(
            organizer=request.user,
            showcase_entries=data.pop("showcase_entries", []),
            repeat=data.pop("repeat", ""),
            repeat_until=data.pop("repeat_until", None),
            **data,
        )
        return self._detail(event, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=EventUpdateInputSerializer, responses=EventDetailOutputSerializer
    )
    def partial_update(self, request, *args, **kwargs):
        event = self.get_object()
        serializer = EventUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        group = data.get("working_group")
        if (
            group is not None
            and group.pk != event.working_group_id
            and not (can_create_event_for_group(request.user, group))
        ):
            raise PermissionDenied(
                _("Only the group's chairs may organize its events.")
            )
        event = event_update(
            event=event,
            actor=request.user,
            scope=data.pop("scope", "one"),
            showcase_entries=data.pop("showcase_entries", None),
            **data,
        )
        return self._detail(event)

    @extend_schema(request=None, responses=EventDetailOutputSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, slug=None):
        """Publish a draft (and the drafts of its series)."""
        event = self.get_object()
        event_publish(event=event, actor=request.user)
        return self._detail(event)

    @extend_schema(request=CancelInputSerializer, responses=EventDetailOutputSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, slug=None):
        """Cancel the event (or the rest of its series); registrants are told."""
        event = self.get_object()
        serializer = CancelInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event_cancel(
            event=event,
            actor=request.user,
            reason=serializer.validated_data.get("reason", ""),
            scope=serializer.validated_data.get("scope", "one"),
        )
        return self._detail(event)

    @extend_schema(
        methods=["post"],
        request=RegistrationInputSerializer,
        responses={
            200: RegistrationOutputSerializer,
            201: RegistrationOutputSerializer,
        },
    )
    @extend_schema(methods=["delete"], request=None, responses={204: None})
    @action(
        detail=True,
        methods=["post", "delete"],
        permission_classes=[permissions.IsAuthenticated],
    )
    def registration(self, request, slug=None):
        """Register (a seat or a place on the waitlist) or cancel."""
        try:
            event = event_visible(request.user, slug=slug)
        except Event.DoesNotExist as exc:
            raise Http404 from exc
        if request.method == "DELETE":
            existing = registration_for(request.user, event)
            if existing is None:
                raise Http404(_("You are not registered for this event."))
            registration_cancel(registration=existing, actor=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = RegistrationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # 201 or 200 is what the service did under the event's lock, not what
        # an earlier read saw (simultaneous requests all saw no registration).
        created = registration_create(
            event=event,
            user=request.user,
            show_on_list=serializer.validated_data["show_on_list"],
        ).created
        registration = registration_for(request.user, event)
        return Response(
            {"status": registration.status, "position": registration.position},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(responses=AttendeeOutputSerializer(many=True))
    @action(
        detail=True, methods=["get"], permission_classes=[permissions.IsAuthenticated]
    )
    def attendees(self, request, slug=None):
        """Everyone registered, for the event's organizers."""
        event = self.get_object()
        if not can_manage_event(request.user, event):
            raise PermissionDenied(_("Only the event's organizers see its attendees."))
        page = self.paginate_queryset(event_attendees(event))
        return self.get_paginated_response(
            AttendeeOutputSerializer(page, many=True).data
        )
