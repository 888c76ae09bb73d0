"""Serializer fields shared by the apps' APIs."""

from django.core.validators import ProhibitNullCharactersValidator
from rest_framework import serializers


class SlugRelatedField(serializers.SlugRelatedField):
    """DRF's SlugRelatedField that refuses NUL characters before the lookup:
    PostgreSQL cannot compare them and would fail the request with a 500."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            raise serializers.ValidationError(
                ProhibitNullCharactersValidator.message,
                code=ProhibitNullCharactersValidator.code,
            )
        return super().to_internal_value(data)
