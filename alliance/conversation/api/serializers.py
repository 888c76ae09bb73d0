"""Replies in the API: what a reader sees (a deleted reply is a tombstone with
no text) and what a member sends to reply."""

from rest_framework import serializers

from alliance.conversation.models import Reply
from alliance.core.api.fields import MarkdownSerializerField
from alliance.core.api.serializers import StrictInputSerializer


class ReplyOutputSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    deleted = serializers.SerializerMethodField()
    edited = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Reply
        fields = [
            "id",
            "parent",
            "thread",
            "author",
            "body",
            "created_at",
            "edited_at",
            "edited",
            "deleted",
            "url",
        ]

    def get_author(self, obj) -> str | None:
        if obj.is_deleted or obj.author is None:
            return None
        return obj.author.public_name

    def get_body(self, obj) -> str:
        return "" if obj.is_deleted else obj.body

    def get_deleted(self, obj) -> bool:
        return obj.is_deleted

    def get_edited(self, obj) -> bool:
        return obj.edited_at is not None

    def get_url(self, obj) -> str:
        return obj.update.get_absolute_url() + f"#{obj.anchor}"


class ReplyInputSerializer(StrictInputSerializer):
    body = MarkdownSerializerField()
    parent = serializers.IntegerField(required=False, allow_null=True, min_value=1)
