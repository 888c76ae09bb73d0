"""The working groups in the API: /api/v1/working-groups/."""

from rest_framework.routers import SimpleRouter

from alliance.working_groups.api.views import WorkingGroupViewSet

router = SimpleRouter()
router.register("working-groups", WorkingGroupViewSet, basename="working-group")

urlpatterns = router.urls
