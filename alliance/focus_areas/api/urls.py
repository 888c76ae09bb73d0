"""The focus areas in the API: /api/v1/focus-areas/."""

from rest_framework.routers import SimpleRouter

from alliance.focus_areas.api.views import FocusAreaViewSet

router = SimpleRouter()
router.register("focus-areas", FocusAreaViewSet, basename="focus-area")

urlpatterns = router.urls
