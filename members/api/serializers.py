from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from alliance.core.api.fields import MarkdownSerializerField, SlugsRelatedField
from alliance.core.api.serializers import InputSerializer
from alliance.core.markdown import render_markdown
from alliance.core.time_zones import validate_time_zone
from alliance.focus_areas.models import FocusArea
from members.models import Affiliation, MembershipApplication, Organization, Tier, User
from members.services import PROFILE_FIELDS
from members.services.applications import APPLICATION_FIELDS


class AffiliationOutputSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organization_name = serializers.CharField(source="organization.name")

    class Meta:
        model = Affiliation
        fields = ["organization", "organization_name", "role", "status"]


class MeOutputSerializer(serializers.ModelSerializer):
    timezone = serializers.CharField()
    affiliations = AffiliationOutputSerializer(many=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "name",
            "display_name",
            "bio",
            "language",
            "timezone",
            "directory_visibility",
            "show_email",
            "is_staff",
            "affiliations",
        ]


class MeInputSerializer(InputSerializer):
    name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    display_name = serializers.CharField(
        max_length=80, required=False, allow_blank=True
    )
    bio = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=["en", "de"], required=False)
    timezone = serializers.CharField(
        max_length=64, required=False, validators=[validate_time_zone]
    )
    directory_visibility = serializers.ChoiceField(
        choices=User.DirectoryVisibility.choices, required=False
    )
    show_email = serializers.BooleanField(required=False)

    class Meta:
        fields = PROFILE_FIELDS


class TierOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tier
        fields = ["slug", "name", "rank"]


class OrganizationPublicOutputSerializer(serializers.ModelSerializer):
    """What everyone may read about an active member organization."""

    country = serializers.CharField(source="country.code")
    country_name = serializers.CharField(source="country.name")
    tier = TierOutputSerializer(allow_null=True)
    focus_areas = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    logo_url = serializers.SerializerMethodField()
    description_html = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url")

    class Meta:
        model = Organization
        fields = [
            "slug",
            "name",
            "kind",
            "country",
            "country_name",
            "website",
            "logo_url",
            "description",
            "description_html",
            "tier",
            "member_since",
            "focus_areas",
            "url",
        ]

    def get_logo_url(self, obj) -> str | None:
        if not obj.logo:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(obj.logo_url) if request else obj.logo_url

    def get_description_html(self, obj) -> str:
        return render_markdown(obj.description)


class ContactOutputSerializer(serializers.Serializer):
    name = serializers.CharField(source="user.public_name")
    role = serializers.CharField()
    email = serializers.SerializerMethodField()

    def get_email(self, obj) -> str | None:
        return obj.user.email if obj.user.show_email else None


class GroupRefOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class OrganizationMemberOutputSerializer(OrganizationPublicOutputSerializer):
    """What members of active organizations (and staff) may read."""

    people_count = serializers.IntegerField()
    contacts = ContactOutputSerializer(source="visible_contacts", many=True)
    working_groups = serializers.SerializerMethodField()

    class Meta(OrganizationPublicOutputSerializer.Meta):
        fields = [
            *OrganizationPublicOutputSerializer.Meta.fields,
            "people_count",
            "contacts",
            "working_groups",
        ]

    def get_working_groups(self, obj) -> list[dict[str, str]]:
        groups = {}
        for membership in getattr(obj, "active_group_memberships", []):
            groups.setdefault(membership.group.slug, membership.group.name)
        return [{"slug": slug, "name": name} for slug, name in groups.items()]


class OrganizationStaffOutputSerializer(OrganizationMemberOutputSerializer):
    class Meta(OrganizationMemberOutputSerializer.Meta):
        fields = [
            *OrganizationMemberOutputSerializer.Meta.fields,
            "status",
            "renewal_due",
        ]


class ApplicationInputSerializer(InputSerializer):
    """What an applicant may send; status, tier and organization are staff's."""

    organization_name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Organization.Kind.choices)
    country = CountryField()
    website = serializers.URLField(required=False, allow_blank=True, default="")
    description = MarkdownSerializerField(required=False, allow_blank=True, default="")
    focus_areas = SlugsRelatedField(queryset=FocusArea.objects.all())
    contribution = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=10_000
    )
    accept_code_of_conduct = serializers.BooleanField(default=False)
    accept_antitrust_policy = serializers.BooleanField(default=False)
    submit = serializers.BooleanField(
        default=True, help_text="False keeps the application as a draft."
    )

    class Meta:
        # The fields, then application_save's other arguments.
        fields = (
            *APPLICATION_FIELDS,
            "focus_areas",
            "accept_code_of_conduct",
            "accept_antitrust_policy",
            "submit",
        )


class ApplicationOutputSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code")
    focus_areas = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    organization = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )

    class Meta:
        model = MembershipApplication
        fields = [
            "id",
            "organization_name",
            "kind",
            "country",
            "website",
            "description",
            "focus_areas",
            "contribution",
            "accepted_code_of_conduct_at",
            "accepted_antitrust_policy_at",
            "status",
            "submitted_at",
            "decided_at",
            "decision_reason",
            "organization",
            "created_at",
        ]


class PersonRefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="public_name")
    email = serializers.EmailField()


class OrganizationAffiliationOutputSerializer(serializers.ModelSerializer):
    """An affiliation as the organization's contacts see it."""

    person = PersonRefOutputSerializer(source="user")

    class Meta:
        model = Affiliation
        fields = ["id", "person", "role", "status", "source", "started_at", "ended_at"]


class AffiliationRoleInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Affiliation.Role.choices)
