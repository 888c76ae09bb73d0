from rest_framework import permissions, viewsets

from alliance.focus_areas.api.serializers import FocusAreaOutputSerializer
from alliance.focus_areas.selectors import focus_area_list


class FocusAreaViewSet(viewsets.ReadOnlyModelViewSet):
    """The alliance's six focus areas, in English and German."""

    serializer_class = FocusAreaOutputSerializer
    permission_classes = [permissions.AllowAny]
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"  # a slug; never a NUL the database refuses
    pagination_class = None

    def get_queryset(self):
        return focus_area_list()
