"""The working-group API: list and detail, join and leave, the roster, updates,
and the chairs' endpoints to decide requests."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.response import Response

from alliance.core.api.caching import SharedListMixin
from alliance.registries.visibility import visible_pks
from alliance.working_groups.api.serializers import (
    DecisionInputSerializer,
    DeclineInputSerializer,
    EmptyInputSerializer,
    JoinInputSerializer,
    JoinRequestOutputSerializer,
    MembershipOutputSerializer,
    UpdateOutputSerializer,
    WorkingGroupDetailOutputSerializer,
    WorkingGroupOutputSerializer,
)
from alliance.working_groups.filters import WorkingGroupFilter
from alliance.working_groups.models import WorkingGroupMembership
from alliance.working_groups.permissions import IsWorkingGroupManager, can_view_roster
from alliance.working_groups.selectors import (
    working_group_list_for,
    working_group_open_memberships,
    working_group_requests,
    working_group_roster,
    working_group_update_list,
)
from alliance.working_groups.services import (
    working_group_join,
    working_group_leave,
    working_group_request_decide,
)

REQUEST_ID = OpenApiParameter(
    "request_id", int, OpenApiParameter.PATH, description="The request's id."
)


class WorkingGroupViewSet(SharedListMixin, viewsets.ReadOnlyModelViewSet):
    """Working groups: find them, join or leave, read rosters and updates."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"  # a slug; never a NUL the database refuses
    filterset_class = WorkingGroupFilter
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    # Every group is listed to everyone alike: the page is shared and the
    # reader's own status and role are laid over it (one query).
    shared_namespaces = ("groups", "focus_areas")

    def shared_audience(self) -> str | None:
        # "Only my groups" is the reader's own: not shared.
        return None if "mine" in self.request.query_params else "all"

    def shared_page(self, request, *args, **kwargs):
        self._shared_list = True
        try:
            data, _ = super().shared_page(request, *args, **kwargs)
        finally:
            self._shared_list = False
        return data, [row["slug"] for row in data["results"]]

    def shared_overlay(self, answer):
        mine = working_group_open_memberships(
            user=self.request.user, slugs=answer.context
        )
        if not mine:
            return None
        data = answer.data
        for row in data["results"]:
            row["my_status"], row["my_role"] = mine.get(row["slug"], (None, None))
        return Response(data)

    def get_queryset(self):
        if getattr(self, "_shared_list", False):
            return working_group_list_for(user=None)
        return working_group_list_for(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return WorkingGroupDetailOutputSerializer
        return WorkingGroupOutputSerializer

    def get_object(self):
        # Filters (e.g. "active only") narrow lists, never a lookup by slug.
        group = get_object_or_404(self.get_queryset(), slug=self.kwargs["slug"])
        self.check_object_permissions(self.request, group)
        return group

    def _visible_group(self, refusal: str):
        group = self.get_object()
        if not can_view_roster(self.request.user, group):
            if not self.request.user.is_authenticated:
                raise NotAuthenticated
            raise PermissionDenied(refusal)
        return group

    def _membership_response(
        self, membership, code=status.HTTP_200_OK, serializer=MembershipOutputSerializer
    ):
        membership = WorkingGroupMembership.objects.select_related(
            "group", "user", "organization"
        ).get(pk=membership.pk)
        return Response(serializer(membership).data, status=code)

    @extend_schema(
        request=JoinInputSerializer,
        responses={201: MembershipOutputSerializer},
        description="Join as the group's policy allows: open groups at once (with "
        "a vote if your organization has a free seat), others as a request the "
        "chairs decide; accepts an invitation you hold.",
    )
    @action(
        detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated]
    )
    def join(self, request, slug=None):
        group = self.get_object()
        serializer = JoinInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = working_group_join(
            group=group, user=request.user, **serializer.validated_data
        )
        return self._membership_response(membership, status.HTTP_201_CREATED)

    @extend_schema(request=EmptyInputSerializer, responses=MembershipOutputSerializer)
    @action(
        detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated]
    )
    def leave(self, request, slug=None):
        """Leave the group, withdraw your request or decline your invitation."""
        group = self.get_object()
        EmptyInputSerializer(data=request.data).is_valid(raise_exception=True)
        membership = working_group_leave(group=group, user=request.user)
        return self._membership_response(membership)

    @extend_schema(responses=MembershipOutputSerializer(many=True))
    @action(detail=True, methods=["get"], filterset_class=None)
    def members(self, request, slug=None):
        """The roster: who is in the group, their role, organization and since
        when (for members only when the group says so)."""
        group = self._visible_group(
            _("The roster of this group is visible to its members only.")
        )
        page = self.paginate_queryset(
            working_group_roster(group=group, viewer=request.user)
        )
        return self.get_paginated_response(
            MembershipOutputSerializer(page, many=True).data
        )

    @extend_schema(responses=UpdateOutputSerializer(many=True))
    @action(detail=True, methods=["get"], filterset_class=None)
    def updates(self, request, slug=None):
        """The group's news, minutes (with action items) and decisions."""
        group = self._visible_group(
            _("The updates of this group are visible to its members only.")
        )
        page = self.paginate_queryset(working_group_update_list(group=group))
        # A meeting is named only to those who may see it (one query).
        meetings = visible_pks(
            "events.event",
            user=request.user,
            pks=[update.meeting_id for update in page if update.meeting_id],
        )
        return self.get_paginated_response(
            UpdateOutputSerializer(page, many=True, context={"meetings": meetings}).data
        )

    @extend_schema(responses=JoinRequestOutputSerializer(many=True))
    @action(
        detail=True,
        methods=["get"],
        filterset_class=None,
        permission_classes=[permissions.IsAuthenticated, IsWorkingGroupManager],
    )
    def requests(self, request, slug=None):
        """Requests to join that wait for a decision (chairs and staff)."""
        group = self.get_object()
        page = self.paginate_queryset(working_group_requests(group=group))
        return self.get_paginated_response(
            JoinRequestOutputSerializer(page, many=True).data
        )

    def _decide(self, request, request_id, *, approve, serializer_class):
        group = self.get_object()
        membership = get_object_or_404(
            WorkingGroupMembership, pk=request_id, group=group
        )
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        membership = working_group_request_decide(
            membership=membership,
            decided_by=request.user,
            approve=approve,
            note=data["note"],
            role=data.get("admit_as"),
        )
        return self._membership_response(
            membership, serializer=JoinRequestOutputSerializer
        )

    @extend_schema(
        request=DecisionInputSerializer,
        responses=JoinRequestOutputSerializer,
        parameters=[REQUEST_ID],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"requests/(?P<request_id>\d+)/approve",
        permission_classes=[permissions.IsAuthenticated, IsWorkingGroupManager],
    )
    def approve(self, request, slug=None, request_id=None):
        """Approve a request to join (chairs and staff)."""
        return self._decide(
            request, request_id, approve=True, serializer_class=DecisionInputSerializer
        )

    @extend_schema(
        request=DeclineInputSerializer,
        responses=JoinRequestOutputSerializer,
        parameters=[REQUEST_ID],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"requests/(?P<request_id>\d+)/decline",
        permission_classes=[permissions.IsAuthenticated, IsWorkingGroupManager],
    )
    def decline(self, request, slug=None, request_id=None):
        """Decline a request to join, with a note to the person (chairs and staff)."""
        return self._decide(
            request, request_id, approve=False, serializer_class=DeclineInputSerializer
        )
