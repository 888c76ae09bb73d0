"""The ballot API: list and read the ballots one may see, open one (chairs for
their group, staff for the member organizations), vote, and see who voted."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import (
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from rest_framework.response import Response

from alliance.governance.api.serializers import (
    BallotOpenInputSerializer,
    BallotOutputSerializer,
    DelegateInputSerializer,
    DelegateOutputSerializer,
    VoteInputSerializer,
    VoteOutputSerializer,
    VoterOutputSerializer,
)
from alliance.governance.models import Ballot
from alliance.governance.permissions import (
    ballot_vote_refusal,
    can_name_delegate,
    can_open_alliance_ballot,
    can_open_group_ballot,
)
from alliance.governance.selectors import (
    ballot_get,
    ballot_list,
    ballot_voters,
    ballot_voting_rights,
    organization_people,
)
from alliance.governance.services import (
    ballot_close,
    ballot_delegate_name,
    ballot_open,
    ballot_vote_cast,
)
from alliance.working_groups.selectors import (
    working_group_list_visible_to,
    working_group_membership_of,
)


class BallotViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Ballots of working groups and of the member organizations."""

    serializer_class = BallotOutputSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def get_queryset(self):
        return ballot_list(user=self.request.user).prefetch_related("options")

    def get_object(self):
        try:
            pk = int(self.kwargs["pk"])
            ballot = ballot_get(pk=pk, user=self.request.user)
        except (ValueError, Ballot.DoesNotExist):
            raise NotFound from None
        if ballot.phase == "counting":
            ballot_close(ballot_id=ballot.pk)
            ballot.refresh_from_db(fields=["status", "result", "closed_at"])
        return ballot

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        for ballot in page:
            ballot.option_list = list(ballot.options.all())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=BallotOpenInputSerializer, responses=BallotOutputSerializer)
    def create(self, request, *args, **kwargs):
        user = request.user
        serializer = BallotOpenInputSerializer(
            data=request.data, groups=working_group_list_visible_to(user)
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        group = data.pop("group", None)
        if group is None and not can_open_alliance_ballot(user):
            raise PermissionDenied(
                _("Only staff open ballots of the member organizations.")
            )
        if group is not None and not can_open_group_ballot(user, group):
            raise PermissionDenied(_("Only the group’s chairs and staff open ballots."))
        ballot = ballot_open(created_by=user, group=group, **data)
        ballot = ballot_get(pk=ballot.pk, user=user)
        return Response(
            BallotOutputSerializer(ballot).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=VoteInputSerializer, responses=VoteOutputSerializer)
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        """Cast or change your vote until the ballot closes."""
        ballot = self.get_object()
        serializer = VoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        refusal = ballot_vote_refusal(
            request.user, ballot, ballot_voting_rights(ballot, request.user)
        )
        if refusal:
            raise PermissionDenied(refusal)
        vote = ballot_vote_cast(
            ballot=ballot,
            user=request.user,
            option_id=serializer.validated_data["option"],
            organization=serializer.validated_data["organization"],
        )
        return Response(VoteOutputSerializer(vote).data)

    @extend_schema(request=DelegateInputSerializer, responses=DelegateOutputSerializer)
    @action(detail=True, methods=["post"])
    def delegate(self, request, pk=None):
        """Name (or replace) who casts your organization's vote in an open
        alliance ballot; only a primary contact of the organization may."""
        ballot = self.get_object()
        user = request.user
        serializer = DelegateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rights = {r.organization.pk: r for r in ballot_voting_rights(ballot, user)}
        right = rights.get(serializer.validated_data["organization"])
        if right is None or not can_name_delegate(user, ballot, right.organization):
            raise PermissionDenied(
                _("Only a primary contact of the organization names its delegate.")
            )
        delegate = (
            organization_people(right.organization)
            .filter(pk=serializer.validated_data["delegate"])
            .first()
        )
        if delegate is None:
            raise ValidationError(
                {"delegate": [_("Choose a person of your organization.")]}
            )
        row = ballot_delegate_name(
            ballot=ballot,
            organization=right.organization,
            delegate=delegate,
            named_by=user,
        )
        return Response(DelegateOutputSerializer(row).data)

    @extend_schema(responses=VoterOutputSerializer(many=True))
    @action(detail=True, methods=["get"])
    def voters(self, request, pk=None):
        """Who voted (never what they chose in a secret ballot; choices of an
        open ballot once it is counted); the group's members and staff only."""
        ballot = self.get_object()
        user = request.user
        if not user.is_authenticated:
            raise NotAuthenticated
        if ballot.scope == Ballot.Scope.GROUP and not user.is_staff:
            try:
                membership = working_group_membership_of(user=user, group=ballot.group)
            except ObjectDoesNotExist:
                membership = None
            if membership is None or membership.status != "active":
                raise PermissionDenied(_("Only the group’s members see who voted."))
        show = not ballot.secret and ballot.status == Ballot.Status.CLOSED
        rows = [
            {
                "organization": vote.organization.name,
                "voter": vote.voter.public_name if vote.voter else None,
                "cast_at": vote.cast_at,
                "option": vote.option_id if show else None,
            }
            for vote in ballot_voters(ballot)
        ]
        return Response(VoterOutputSerializer(rows, many=True).data)
