from django.urls import include, path
from rest_framework.routers import SimpleRouter

from projects.api import views

router = SimpleRouter()
router.register("catalog", views.CatalogEntryViewSet, basename="catalog-entry")

urlpatterns = [
    path("", include(router.urls)),
    path(
        "catalog/<slug:slug>/reviews/",
        views.EntryReviewsView.as_view(),
        name="catalog-entry-reviews",
    ),
]
