from django.utils import translation
from rest_framework import serializers

from alliance.focus_areas.models import FocusArea


class FocusAreaOutputSerializer(serializers.ModelSerializer):
    translations = serializers.SerializerMethodField()

    class Meta:
        model = FocusArea
        fields = ["number", "slug", "name", "summary", "description", "translations"]

    def get_translations(self, obj) -> dict[str, dict[str, str]]:
        result = {}
        for code in ("en", "de"):
            with translation.override(code):
                result[code] = {
                    "name": getattr(obj, f"name_{code}") or "",
                    "summary": getattr(obj, f"summary_{code}") or "",
                }
        return result
