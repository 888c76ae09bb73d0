"""Ballots in the API: /api/v1/ballots/."""

from rest_framework.routers import SimpleRouter

from alliance.governance.api.views import BallotViewSet

router = SimpleRouter()
router.register("ballots", BallotViewSet, basename="ballot")

urlpatterns = router.urls
