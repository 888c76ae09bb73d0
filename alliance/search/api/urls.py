"""The search in the API: /api/v1/search/."""

from django.urls import path

from alliance.search.api.views import SearchView

urlpatterns = [path("search/", SearchView.as_view(), name="api-search")]
