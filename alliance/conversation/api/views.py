"""The replies of an update in the API: /api/v1/updates/<id>/replies/ (read by
whoever may read the update; a member of its group replies)."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from alliance.conversation.api.serializers import (
    ReplyInputSerializer,
    ReplyOutputSerializer,
)
from alliance.conversation.models import Reply
from alliance.conversation.permissions import can_reply
from alliance.conversation.selectors import reply_list, reply_update_visible_get
from alliance.conversation.services import reply_post


class UpdateReplyListView(generics.ListCreateAPIView):
    """The replies to an update, minutes or decision, in the order of the
    page (each thread's replies after its first); post one as a member of the
    update's group."""

    serializer_class = ReplyOutputSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def _update(self):
        try:
            return reply_update_visible_get(
                user=self.request.user, pk=int(self.kwargs["pk"])
            )
        except (ValueError, ObjectDoesNotExist):
            raise NotFound from None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generator
            return Reply.objects.none()
        update = self._update()
        return reply_list(update=update).select_related("update", "update__group")

    @extend_schema(request=ReplyInputSerializer, responses=ReplyOutputSerializer)
    def post(self, request, *args, **kwargs):
        update = self._update()
        if not can_reply(request.user, update):
            raise PermissionDenied(_("Only the members of an active group reply."))
        serializer = ReplyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # A parent that may not be answered: a 400 on "parent" (the service's).
        reply = reply_post(
            update=update,
            author=request.user,
            body=serializer.validated_data["body"],
            parent_id=serializer.validated_data.get("parent"),
        )
        reply = reply_list(update=update).select_related("update").get(pk=reply.pk)
        return Response(
            ReplyOutputSerializer(reply).data, status=status.HTTP_201_CREATED
        )
