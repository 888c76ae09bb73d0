from rest_framework import serializers

from members.models import Affiliation, User


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


class MeInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    display_name = serializers.CharField(
        max_length=80, required=False, allow_blank=True
    )
    bio = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=["en", "de"], required=False)
    timezone = serializers.CharField(max_length=64, required=False)
    directory_visibility = serializers.ChoiceField(
        choices=User.DirectoryVisibility.choices, required=False
    )
    show_email = serializers.BooleanField(required=False)

    def validate_timezone(self, value):
        import zoneinfo

        if value not in zoneinfo.available_timezones():
            raise serializers.ValidationError(
                "Unknown time zone; use an IANA name such as Europe/Berlin."
            )
        return value
