"""/api/v1/search/: the portal's one search, as on the search page."""

from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions

from alliance.core.api.caching import SharedListMixin
from alliance.core.api.pagination import PagePagination
from alliance.registries.search import search_source
from alliance.search.api.serializers import (
    SearchInputSerializer,
    SearchResultOutputSerializer,
)
from alliance.search.selectors import (
    search_all_hits,
    search_all_ranked,
    search_audience,
    search_hits,
    search_kind_results,
    search_kinds,
    search_namespaces,
)


class SearchRead(generics.ListAPIView):
    """The search read for the caller (``SearchView`` shares it by audience)."""

    serializer_class = SearchResultOutputSerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = PagePagination

    def _query(self) -> dict:
        if not hasattr(self, "_validated"):
            serializer = SearchInputSerializer(data=self.request.query_params.dict())
            serializer.is_valid(raise_exception=True)
            self._validated = serializer.validated_data
        return self._validated

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # The schema's generator asks without a query; the results are no
            # model's (the serializer says what they hold).
            return ContentType.objects.none()
        query = self._query()
        if query.get("kind"):
            return search_kind_results(
                user=self.request.user, text=query["q"], kind=query["kind"]
            )
        return search_all_ranked(user=self.request.user, text=query["q"])

    def list(self, request, *args, **kwargs):
        query = self._query()
        if not query.get("q"):
            # Nothing asked, nothing found (as on the page).
            self.paginate_queryset(ContentType.objects.none())
            return self.get_paginated_response([])
        rows = self.paginate_queryset(self.get_queryset())
        if query.get("kind"):
            hits = search_hits(search_source(query["kind"]), rows, query["q"])
        else:
            hits = search_all_hits(user=request.user, text=query["q"], rows=rows)
        return self.get_paginated_response(self.get_serializer(hits, many=True).data)


class SearchView(SharedListMixin, SearchRead):
    """Search organizations, people, working groups, their updates, minutes and
    decisions, catalog entries and events: only what the caller may see, best
    first (PostgreSQL: English and German stemming, titles above text; words
    also match as prefixes)."""

    # Answered from the shared cache for readers with nothing of their own
    # among the results; the answer holds the kinds' names (translated), no time.
    shared_local = "language"

    @property
    def shared_namespaces(self):
        return search_namespaces()

    def shared_audience(self):
        return search_audience(self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description="The words to look for (none: no results).",
            ),
            OpenApiParameter(
                "kind",
                str,
                enum=[kind for kind, _label in search_kinds()],
                description="Only results of this kind (default: every kind).",
            ),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
