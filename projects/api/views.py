from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from alliance.core.api.caching import SharedListMixin
from projects.api.serializers import (
    EntryInputSerializer,
    EntryOutputSerializer,
    ReviewInputSerializer,
    ReviewOutputSerializer,
)
from projects.filters import CatalogEntryFilter
from projects.models import Review
from projects.permissions import CatalogEntryPermission, ReviewPermission
from projects.selectors import (
    entry_list_visible_to,
    entry_list_with_team,
    user_sees_whole_catalog,
)
from projects.services.entries import (
    entry_create,
    entry_owner_scope,
    entry_update,
)
from projects.services.vetting import review_create, review_organization_for


class CatalogEntryViewSet(
    SharedListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The catalog: everyone reads the vetted entries, members read everything;
    members add entries and their maintainers change them.

    Filter with `kind`, `focus_area`, `working_group`, `modality`, `language`,
    `license`, `hardware`, `status` (vetting), `lifecycle` (archived entries only
    when asked for) and `tag`; search with `q`."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"  # a slug; never a NUL the database refuses
    permission_classes = [CatalogEntryPermission]
    serializer_class = EntryOutputSerializer
    filterset_class = CatalogEntryFilter

    shared_namespaces = ("catalog", "organizations", "groups", "focus_areas")

    def shared_audience(self) -> str:
        # Members and staff read every entry, everyone else the vetted ones.
        return "member" if user_sees_whole_catalog(self.request.user) else "public"

    def get_queryset(self):
        return entry_list_with_team(entry_list_visible_to(self.request.user))

    def _respond(self, entry, status_code=status.HTTP_200_OK):
        entry = self.get_queryset().get(pk=entry.pk)
        return Response(
            EntryOutputSerializer(entry, context=self.get_serializer_context()).data,
            status=status_code,
        )

    @extend_schema(request=EntryInputSerializer, responses={201: EntryOutputSerializer})
    def create(self, request, *args, **kwargs):
        serializer = EntryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        entry = entry_create(
            author=request.user,
            owners=data.pop("owners", []),
            owner_scope=entry_owner_scope(request.user),
            **data,
        )
        return self._respond(entry, status.HTTP_201_CREATED)

    @extend_schema(request=EntryInputSerializer, responses=EntryOutputSerializer)
    def update(self, request, *args, **kwargs):
        return self._update(request, partial=False)

    @extend_schema(request=EntryInputSerializer, responses=EntryOutputSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self._update(request, partial=True)

    def _update(self, request, *, partial: bool):
        entry = self.get_object()
        serializer = EntryInputSerializer(entry, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        entry = entry_update(
            entry=entry,
            actor=request.user,
            owners=data.pop("owners", None),
            owner_scope=entry_owner_scope(request.user),
            **data,
        )
        return self._respond(entry)


class EntryReviewsView(GenericAPIView):
    """An entry's reviews: whoever may read the entry reads them; reviewers who are
    not on its team post one review per round while it waits for review."""

    permission_classes = [ReviewPermission]
    serializer_class = ReviewOutputSerializer
    pagination_class = None
    queryset = Review.objects.none()  # for the schema; reviews come from the entry

    def get_entry(self):
        entry = get_object_or_404(
            entry_list_with_team(entry_list_visible_to(self.request.user)),
            slug=self.kwargs["slug"],
        )
        self.check_object_permissions(self.request, entry)
        return entry

    @extend_schema(responses=ReviewOutputSerializer(many=True))
    def get(self, request, slug):
        entry = self.get_entry()
        reviews = entry.reviews.select_related("organization").order_by(
            "-created_at", "-id"
        )
        return Response(ReviewOutputSerializer(reviews, many=True).data)

    @extend_schema(
        request=ReviewInputSerializer, responses={201: ReviewOutputSerializer}
    )
    def post(self, request, slug):
        entry = self.get_entry()
        serializer = ReviewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        review = review_create(
            entry=entry,
            reviewer=request.user,
            organization=review_organization_for(
                request.user, data.pop("organization", None)
            ),
            **data,
        )
        return Response(
            ReviewOutputSerializer(review).data, status=status.HTTP_201_CREATED
        )

    def get_permissions(self):
        if self.request.method not in permissions.SAFE_METHODS:
            return [permissions.IsAuthenticated(), *super().get_permissions()]
        return super().get_permissions()
