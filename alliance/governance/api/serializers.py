"""Ballots in the API: what a reader sees (never a secret ballot's choices),
what a chair or staff member sends to open one, and a vote."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from alliance.core.api.fields import (
    DateTimeInWindowField,
    MarkdownSerializerField,
    SlugRelatedField,
)
from alliance.core.api.serializers import StrictInputSerializer
from alliance.governance.models import Ballot, BallotOption
from alliance.governance.services import BALLOT_FIELDS, MAX_OPTIONS
from alliance.working_groups.selectors import working_group_list


class BallotOptionOutputSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = BallotOption
        fields = ["id", "key", "label"]


class BallotOutputSerializer(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    phase = serializers.CharField(read_only=True)
    options = BallotOptionOutputSerializer(
        source="option_list", many=True, read_only=True
    )
    result = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Ballot
        fields = [
            "id",
            "scope",
            "group",
            "question",
            "description",
            "kind",
            "secret",
            "quorum_percent",
            "pass_rule",
            "opens_at",
            "closes_at",
            "status",
            "phase",
            "options",
            "result",
            "url",
        ]

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()

    def get_result(self, obj) -> dict | None:
        """The stored result once the ballot is counted: the weight of each
        option, the weight cast and that could be cast, the quorum, whether it
        passed and with which option. Never who chose what."""
        return obj.result or None


class VoterOutputSerializer(serializers.Serializer):
    """Who voted; ``option`` only for a counted ballot that is not secret."""

    organization = serializers.CharField()
    voter = serializers.CharField(allow_null=True)
    cast_at = serializers.DateTimeField()
    option = serializers.IntegerField(allow_null=True)


class BallotOpenInputSerializer(StrictInputSerializer):
    group = SlugRelatedField(
        slug_field="slug",
        queryset=working_group_list(with_counts=False, include_archived=True),
        required=False,
        allow_null=True,
        help_text="The slug of the working group whose voting seats vote; "
        "without it (staff only), the member organizations vote.",
    )
    question = serializers.CharField(max_length=300)
    description = MarkdownSerializerField(required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=Ballot.Kind.choices, default="yes_no")
    options = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        default=list,
        max_length=MAX_OPTIONS,
        help_text="For kind 'choice': the options to choose from (abstain is added).",
    )
    secret = serializers.BooleanField(default=False)
    quorum_percent = serializers.IntegerField(min_value=1, max_value=100, default=50)
    pass_rule = serializers.ChoiceField(
        choices=Ballot.PassRule.choices, default="simple"
    )
    opens_at = DateTimeInWindowField(required=False, allow_null=True, default=None)
    closes_at = DateTimeInWindowField()

    class Meta:
        fields = ["group", *BALLOT_FIELDS, "options"]

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is not None:
            self.fields["group"].queryset = groups


class VoteInputSerializer(StrictInputSerializer):
    option = serializers.IntegerField(
        help_text="The id of one of the ballot's options."
    )
    organization = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The organization you vote for, if you may vote for several."),
    )


class DelegateInputSerializer(StrictInputSerializer):
    organization = serializers.IntegerField(
        help_text=_("The organization whose vote the delegate casts (its id).")
    )
    delegate = serializers.IntegerField(
        help_text=_("The person who casts it: an active member of the organization.")
    )


class DelegateOutputSerializer(serializers.Serializer):
    organization = serializers.CharField(source="organization.name")
    delegate = serializers.CharField(source="delegate.public_name")
    named_by = serializers.CharField(source="named_by.public_name")


class VoteOutputSerializer(serializers.Serializer):
    organization = serializers.CharField(source="organization.name")
    seat = serializers.IntegerField()
    option = serializers.IntegerField(source="option_id")
    weight = serializers.IntegerField()
    cast_at = serializers.DateTimeField()
