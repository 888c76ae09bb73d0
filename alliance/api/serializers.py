from django.utils import translation
from rest_framework import serializers
from rest_framework.relations import SlugRelatedField

from alliance.models import FocusArea


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


class SlugsRelatedField(serializers.ListField):
    """A list of slugs resolved to objects in one query (a
    ``SlugRelatedField(many=True)`` loads them one by one)."""

    child = serializers.SlugField()

    def __init__(self, *, queryset, **kwargs):
        self.queryset = queryset
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        slugs = list(dict.fromkeys(super().to_internal_value(data)))
        found = self.queryset.in_bulk(slugs, field_name="slug")
        for slug in slugs:
            if slug not in found:
                raise serializers.ValidationError(
                    SlugRelatedField.default_error_messages["does_not_exist"].format(
                        slug_name="slug", value=slug
                    )
                )
        return [found[slug] for slug in slugs]

    def to_representation(self, data):
        return [obj.slug for obj in data]
