"""Base classes of the apps' input serializers."""

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


# An input serializer whose ``Meta.fields``, when given, names the fields a caller
# may send: usually the field list of the service that writes them, plus the
# service's other arguments. Each name needs a declaration, which gives the field
# its API type; the declarations keep their order, which is the order the schema
# shows. A field declared on the class itself must be named; one inherited and not
# named is left out, as with DRF's ModelSerializer. (Comments, not a docstring: the
# schema would show a docstring as the description of every input it inherits to.)
class InputSerializer(serializers.Serializer):
    def get_fields(self):
        fields = super().get_fields()
        meta = getattr(self, "Meta", None)
        listed = getattr(meta, "fields", None)
        if listed is None:
            return fields
        name = type(self).__name__
        undeclared = [field for field in listed if field not in fields]
        if undeclared:
            raise ImproperlyConfigured(
                f"{name}.Meta.fields names {undeclared}, which {name} does not declare."
            )
        inherited = set().union(
            *(getattr(base, "_declared_fields", {}) for base in type(self).__bases__)
        )
        unlisted = [
            field for field in fields if field not in listed and field not in inherited
        ]
        if unlisted:
            raise ImproperlyConfigured(
                f"{name} declares {unlisted}, which its Meta.fields does not name."
            )
        return {field: value for field, value in fields.items() if field in listed}


class StrictInputSerializer(InputSerializer):
    """Refuse fields the caller may not set instead of silently ignoring them."""

    # The refusal comes with the other field errors, so a caller learns of every
    # problem with one request.
    def to_internal_value(self, data):
        refused = {}
        if isinstance(data, dict):
            writable = {
                name for name, field in self.fields.items() if not field.read_only
            }
            refused = {
                name: [_("This field cannot be set here.")]
                for name in sorted(set(data) - writable)
            }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if refused and isinstance(error.detail, dict):
                raise serializers.ValidationError(
                    {**error.detail, **refused}
                ) from error
            raise
        if refused:
            raise serializers.ValidationError(refused)
        return value
