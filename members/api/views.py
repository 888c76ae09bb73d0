from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from members.api.serializers import MeInputSerializer, MeOutputSerializer
from members.models import User
from members.services import user_update_profile


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
