from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.core.api.caching import SharedListMixin
from members.api.serializers import (
    AffiliationRoleInputSerializer,
    ApplicationInputSerializer,
    ApplicationOutputSerializer,
    MeInputSerializer,
    MeOutputSerializer,
    OrganizationAffiliationOutputSerializer,
    OrganizationMemberOutputSerializer,
    OrganizationPublicOutputSerializer,
    OrganizationStaffOutputSerializer,
)
from members.filters import OrganizationFilter
from members.models import Affiliation, User
from members.permissions import (
    IsApplicantOrStaff,
    IsOrganizationContact,
    can_see_member_details,
)
from members.selectors import organization_visible_to
from members.selectors.applications import application_list_for
from members.selectors.directory import (
    organization_directory,
    organization_with_details,
)
from members.services import user_update_profile
from members.services.affiliations import (
    affiliation_approve,
    affiliation_change_role,
    affiliation_decline,
    affiliation_end,
)
from members.services.applications import application_save, application_withdraw


class MeView(APIView):
    """The person making the request."""

    permission_classes = [permissions.IsAuthenticated]

    def _me(self, request):
        return User.objects.prefetch_related("affiliations__organization").get(
            pk=request.user.pk
        )

    @extend_schema(responses=MeOutputSerializer)
    def get(self, request):
        return Response(MeOutputSerializer(self._me(request)).data)

    @extend_schema(request=MeInputSerializer, responses=MeOutputSerializer)
    def patch(self, request):
        serializer = MeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user_update_profile(user=request.user, **serializer.validated_data)
        return Response(MeOutputSerializer(self._me(request)).data)


class OrganizationViewSet(SharedListMixin, viewsets.ReadOnlyModelViewSet):
    """Member organizations: public fields for everyone, more for members."""

    shared_namespaces = ("organizations", "groups", "focus_areas")

    def shared_audience(self) -> str:
        # The serializer differs by these three classes and nothing else.
        user = self.request.user
        if getattr(user, "is_staff", False):
            return "staff"
        return "member" if can_see_member_details(user) else "public"

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"  # a slug; never a NUL the database refuses
    filterset_class = OrganizationFilter
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        detailed = can_see_member_details(self.request.user)
        if self.action == "list":
            return organization_directory(detailed=detailed)
        organizations = organization_visible_to(self.request.user).prefetch_related(
            "focus_areas"
        )
        return organization_with_details(organizations) if detailed else organizations

    def get_serializer_class(self):
        user = self.request.user
        if getattr(user, "is_staff", False):
            return OrganizationStaffOutputSerializer
        if can_see_member_details(user):
            return OrganizationMemberOutputSerializer
        return OrganizationPublicOutputSerializer


class ApplicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Your membership applications: create, list and read your own."""

    permission_classes = [permissions.IsAuthenticated, IsApplicantOrStaff]
    serializer_class = ApplicationOutputSerializer

    def get_queryset(self):
        applications = application_list_for(self.request.user)
        if self.action == "list":
            # Even staff list only their own here; the queue is in the admin.
            return applications.filter(applicant_id=self.request.user.pk)
        return applications

    @extend_schema(
        request=ApplicationInputSerializer,
        responses={201: ApplicationOutputSerializer},
    )
    def create(self, request):
        serializer = ApplicationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        application = application_save(
            applicant=request.user,
            focus_areas=data.pop("focus_areas"),
            accept_code_of_conduct=data.pop("accept_code_of_conduct"),
            accept_antitrust_policy=data.pop("accept_antitrust_policy"),
            submit=data.pop("submit"),
            **data,
        )
        return Response(
            ApplicationOutputSerializer(
                application_list_for(request.user).get(pk=application.pk)
            ).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses=ApplicationOutputSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = self.get_object()
        if application.applicant_id != request.user.pk:
            raise PermissionDenied(_("Only the applicant may withdraw it."))
        application_withdraw(application=application)
        return Response(ApplicationOutputSerializer(application).data)


class OrganizationAffiliationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """An organization's people, for its contacts: list, change roles, approve,
    decline and end."""

    serializer_class = OrganizationAffiliationOutputSerializer
    permission_classes = [permissions.IsAuthenticated, IsOrganizationContact]
    filterset_fields = ["status", "role"]

    @cached_property
    def organization(self):
        # Looked up by the permission check, after authentication: an
        # organization the caller may not see is a 404, never a hint.
        return get_object_or_404(
            organization_visible_to(self.request.user),
            slug=self.kwargs["organization_slug"],
        )

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Affiliation.objects.none()
        return (
            Affiliation.objects.filter(organization=self.organization)
            .select_related("user")
            .order_by("status", "role", "user__email")
        )

    @extend_schema(
        request=AffiliationRoleInputSerializer,
        responses=OrganizationAffiliationOutputSerializer,
    )
    def partial_update(self, request, *args, **kwargs):
        affiliation = self.get_object()
        serializer = AffiliationRoleInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        affiliation_change_role(
            affiliation=affiliation, role=serializer.validated_data["role"]
        )
        return Response(self.get_serializer(affiliation).data)

    def _decide(self, service):
        affiliation = self.get_object()
        service(affiliation=affiliation)
        return Response(self.get_serializer(affiliation).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        return self._decide(affiliation_approve)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def decline(self, request, *args, **kwargs):
        return self._decide(affiliation_decline)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def end(self, request, *args, **kwargs):
        return self._decide(affiliation_end)
