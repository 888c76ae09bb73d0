"""Serializers of the working-group API: output shapes, and input that refuses
every field a caller must not set (role, voting, status, …)."""

from rest_framework import serializers

from alliance.core.api.fields import SlugRelatedField
from alliance.core.api.serializers import StrictInputSerializer
from alliance.core.markdown import render_markdown
from alliance.working_groups.models import (
    WorkingGroup,
    WorkingGroupMembership,
    WorkingGroupUpdate,
)
from members.models import Organization

Membership = WorkingGroupMembership


class WorkingGroupOutputSerializer(serializers.ModelSerializer):
    focus_area = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    focus_area_name = serializers.CharField(source="focus_area.name", read_only=True)
    member_count = serializers.IntegerField(read_only=True)
    organization_count = serializers.IntegerField(read_only=True)
    my_status = serializers.CharField(read_only=True, allow_null=True)
    my_role = serializers.CharField(read_only=True, allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = WorkingGroup
        fields = [
            "slug",
            "name",
            "focus_area",
            "focus_area_name",
            "summary",
            "join_policy",
            "visibility",
            "status",
            "member_count",
            "organization_count",
            "my_status",
            "my_role",
            "mailing_list_url",
            "chat_url",
            "last_reviewed",
            "url",
        ]

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class WorkingGroupDetailOutputSerializer(WorkingGroupOutputSerializer):
    charter_html = serializers.SerializerMethodField()

    class Meta(WorkingGroupOutputSerializer.Meta):
        fields = [*WorkingGroupOutputSerializer.Meta.fields, "charter", "charter_html"]

    def get_charter_html(self, obj) -> str:
        return render_markdown(obj.charter)


class MembershipOutputSerializer(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    person = serializers.CharField(source="person_name", read_only=True)
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organization_name = serializers.CharField(
        source="organization.name", read_only=True, allow_null=True, default=None
    )
    non_voting_reason_display = serializers.CharField(
        source="get_non_voting_reason_display", read_only=True
    )

    class Meta:
        model = Membership
        fields = [
            "id",
            "group",
            "person",
            "organization",
            "organization_name",
            "role",
            "status",
            "voting",
            "non_voting_reason",
            "non_voting_reason_display",
            "term_start",
            "term_end",
        ]


class JoinRequestOutputSerializer(MembershipOutputSerializer):
    class Meta(MembershipOutputSerializer.Meta):
        fields = [
            *MembershipOutputSerializer.Meta.fields,
            "message",
            "note",
            "created_at",
            "decided_at",
        ]


class JoinInputSerializer(StrictInputSerializer):
    organization = SlugRelatedField(
        slug_field="slug",
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
        help_text="The slug of the active member organization you represent; "
        "by default one with a free voting seat.",
    )
    as_observer = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Ask to observe (a chair decides) instead of joining as member.",
    )
    message = serializers.CharField(
        required=False, allow_blank=True, max_length=1000, default=""
    )


class EmptyInputSerializer(StrictInputSerializer):
    pass


class DecisionInputSerializer(StrictInputSerializer):
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=1000, default=""
    )
    admit_as = serializers.ChoiceField(
        choices=[Membership.Role.MEMBER, Membership.Role.OBSERVER],
        required=False,
        allow_null=True,
        default=None,
        help_text="Approve as member or observer; by default what they asked for.",
    )


class DeclineInputSerializer(StrictInputSerializer):
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=1000, default=""
    )


class UpdateOutputSerializer(serializers.ModelSerializer):
    author = serializers.CharField(
        source="author.public_name", read_only=True, allow_null=True, default=None
    )
    body_html = serializers.SerializerMethodField()
    action_items = serializers.SerializerMethodField()
    meeting = serializers.SerializerMethodField(
        help_text=(
            "Minutes: the slug of the meeting (event) they belong to, if the "
            "reader may see it."
        )
    )
    ballot = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="A decision: the id of the closed ballot that carried it.",
    )

    class Meta:
        model = WorkingGroupUpdate
        fields = [
            "id",
            "kind",
            "title",
            "author",
            "body",
            "body_html",
            "meeting_date",
            "meeting",
            "ballot",
            "created_at",
            "edited_at",
            "action_items",
        ]

    def get_meeting(self, obj) -> str | None:
        if obj.meeting_id and obj.meeting_id in self.context.get("meetings", ()):
            return obj.meeting.slug
        return None

    def get_body_html(self, obj) -> str:
        return render_markdown(obj.body)

    def get_action_items(self, obj) -> list[dict]:
        return [
            {
                "id": item.pk,
                "text": item.text,
                "owner": item.owner.public_name if item.owner else None,
                "due_date": item.due_date.isoformat() if item.due_date else None,
                "done": item.done,
            }
            for item in obj.item_list
        ]
