"""Serializer fields shared by the apps' APIs."""

from django.core.validators import ProhibitNullCharactersValidator
from rest_framework import serializers

from alliance.core.dates import OUT_OF_WINDOW, validate_in_window


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
                    serializers.SlugRelatedField.default_error_messages[
                        "does_not_exist"
                    ].format(slug_name="slug", value=slug)
                )
        return [found[slug] for slug in slugs]

    def to_representation(self, data):
        return [obj.slug for obj in data]


class DateTimeInWindowField(serializers.DateTimeField):
    """A moment between 1970 and 2100 (``alliance.core.dates``); one DRF cannot
    convert to the caller's time zone gets the same message."""

    default_error_messages = {"overflow": OUT_OF_WINDOW}

    def __init__(self, **kwargs):
        kwargs.setdefault("validators", [validate_in_window])
        super().__init__(**kwargs)


class MarkdownSerializerField(serializers.CharField):
    """API input of Markdown text, with the one limit of every Markdown field."""

    def __init__(self, **kwargs):
        from alliance.core.markdown import MARKDOWN_MAX_LENGTH

        kwargs.setdefault("max_length", MARKDOWN_MAX_LENGTH)
        super().__init__(**kwargs)
