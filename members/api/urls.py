from django.urls import include, path
from rest_framework.routers import SimpleRouter

from members.api import views

router = SimpleRouter()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("applications", views.ApplicationViewSet, basename="application")

affiliations = SimpleRouter()
affiliations.register(
    "affiliations",
    views.OrganizationAffiliationViewSet,
    basename="organization-affiliation",
)

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api-me"),
    path("", include(router.urls)),
    path("organizations/<slug:organization_slug>/", include(affiliations.urls)),
]
