"""The input serializers' base classes: unknown fields refused along with every
other problem, and the accepted fields named by a service's field list."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework import serializers

from alliance.core.api.serializers import InputSerializer, StrictInputSerializer

REFUSED = ["This field cannot be set here."]


class TalkInput(StrictInputSerializer):
    title = serializers.CharField(max_length=20)
    minutes = serializers.IntegerField(required=False)
    slug = serializers.CharField(read_only=True)


def test_a_valid_body_passes():
    serializer = TalkInput(data={"title": "Evals", "minutes": 20})
    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data == {"title": "Evals", "minutes": 20}


def test_unknown_and_read_only_fields_are_refused_by_name():
    serializer = TalkInput(data={"title": "Evals", "status": "done", "slug": "x"})
    assert not serializer.is_valid()
    assert serializer.errors == {"slug": REFUSED, "status": REFUSED}


def test_refusals_come_with_the_other_field_errors():
    serializer = TalkInput(data={"minutes": "many", "status": "done"})
    assert not serializer.is_valid()
    assert set(serializer.errors) == {"title", "minutes", "status"}
    assert serializer.errors["status"] == REFUSED


def test_a_body_that_is_not_an_object_gets_the_usual_error():
    serializer = TalkInput(data=["title"])
    assert not serializer.is_valid()
    assert "non_field_errors" in serializer.errors


LISTED = ("title", "minutes")


class ListedInput(InputSerializer):
    minutes = serializers.IntegerField(required=False)
    title = serializers.CharField()

    class Meta:
        fields = LISTED


class NarrowerInput(ListedInput):
    note = serializers.CharField(required=False)

    class Meta:
        fields = ("title", "note")


def test_meta_fields_name_the_fields_in_the_order_declared():
    assert list(ListedInput().fields) == ["minutes", "title"]
    serializer = ListedInput(data={"title": "Evals", "room": "A"})
    assert serializer.is_valid()
    assert serializer.validated_data == {"title": "Evals"}


def test_a_subclass_may_leave_out_inherited_fields():
    assert list(NarrowerInput().fields) == ["title", "note"]


def test_a_listed_field_without_a_declaration_is_a_mistake():
    class Missing(InputSerializer):
        title = serializers.CharField()

        class Meta:
            fields = ("title", "minutes")

    with pytest.raises(ImproperlyConfigured, match="minutes"):
        Missing().fields  # noqa: B018


def test_a_declared_field_the_list_does_not_name_is_a_mistake():
    class Extra(InputSerializer):
        title = serializers.CharField()
        room = serializers.CharField()

        class Meta:
            fields = ("title",)

    with pytest.raises(ImproperlyConfigured, match="room"):
        Extra().fields  # noqa: B018
