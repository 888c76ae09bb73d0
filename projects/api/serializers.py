"""The catalog's API: separate input and output serializers."""

from rest_framework import serializers

from alliance.core.api.fields import (
    MarkdownSerializerField,
    SlugRelatedField,
    SlugsRelatedField,
)
from alliance.core.api.serializers import InputSerializer
from alliance.core.markdown import render_markdown
from alliance.focus_areas.models import FocusArea
from alliance.working_groups.selectors import working_group_list
from members.models import Organization
from projects.models import CatalogEntry, Review
from projects.services.entries import ENTRY_FIELDS
from projects.validators import (
    MAX_LIST_ITEMS,
    languages_normalize,
    license_normalize,
    tags_normalize,
)

E = CatalogEntry


class EntryInputSerializer(InputSerializer):
    """What a member may set on an entry; status and vetting fields are not here,
    so they are ignored when sent."""

    kind = serializers.ChoiceField(choices=E.Kind.choices)
    name = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=300)
    description = MarkdownSerializerField(required=False, allow_blank=True)
    focus_area = SlugRelatedField(slug_field="slug", queryset=FocusArea.objects.all())
    working_group = SlugRelatedField(
        slug_field="slug",
        queryset=working_group_list(with_counts=False),
        required=False,
        allow_null=True,
    )
    owners = SlugsRelatedField(
        queryset=Organization.objects.all(),
        required=False,
        help_text="Slugs of organizations you belong to.",
    )
    repository_url = serializers.URLField(
        required=False, allow_blank=True, max_length=500
    )
    homepage = serializers.URLField(required=False, allow_blank=True, max_length=500)
    card_url = serializers.URLField(required=False, allow_blank=True, max_length=500)
    paper_url = serializers.URLField(required=False, allow_blank=True, max_length=500)
    license = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="An SPDX license identifier or expression, e.g. Apache-2.0.",
    )
    modalities = serializers.ListField(
        child=serializers.ChoiceField(choices=E.Modality.choices),
        required=False,
        max_length=MAX_LIST_ITEMS,
    )
    hardware = serializers.ListField(
        child=serializers.ChoiceField(choices=E.Hardware.choices),
        required=False,
        max_length=MAX_LIST_ITEMS,
    )
    languages = serializers.ListField(
        child=serializers.CharField(max_length=10),
        required=False,
        max_length=MAX_LIST_ITEMS,
        help_text="ISO 639 codes, e.g. en, de, sw.",
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        max_length=MAX_LIST_ITEMS,
    )

    class Meta:
        fields = (*ENTRY_FIELDS, "owners")

    def validate_license(self, value):
        return license_normalize(value)

    def validate_languages(self, value):
        return languages_normalize(value)

    def validate_tags(self, value):
        return tags_normalize(value)


class OrganizationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["slug", "name"]


def _url_or_blank():
    # Declared so the schema says "a URL or empty": DRF drops allow_blank from
    # the read-only fields it builds from the model.
    return serializers.URLField(read_only=True, allow_blank=True)


class EntryOutputSerializer(serializers.ModelSerializer):
    focus_area = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    working_group = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    repository_url = _url_or_blank()
    homepage = _url_or_blank()
    card_url = _url_or_blank()
    paper_url = _url_or_blank()
    owners = OrganizationRefSerializer(many=True, read_only=True)
    team = serializers.SerializerMethodField()
    description_html = serializers.SerializerMethodField()
    changed_since_vetting = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = CatalogEntry
        fields = [
            "slug",
            "kind",
            "name",
            "summary",
            "description",
            "description_html",
            "focus_area",
            "working_group",
            "owners",
            "team",
            "repository_url",
            "homepage",
            "license",
            "modalities",
            "languages",
            "hardware",
            "tags",
            "card_url",
            "paper_url",
            "lifecycle",
            "vetting_status",
            "vetted_at",
            "vetting_expires_at",
            "changed_since_vetting",
            "created_at",
            "updated_at",
            "url",
        ]
        read_only_fields = fields

    def get_team(self, obj) -> list[dict[str, str | None]]:
        return [
            {
                "name": c.user.public_name,
                "role": c.role,
                "organization": c.organization.slug if c.organization else None,
            }
            for c in obj.contributions.all()
        ]

    def get_description_html(self, obj) -> str:
        return render_markdown(obj.description)

    def get_changed_since_vetting(self, obj) -> list[str]:
        return obj.changed_since_vetting_fields()

    def get_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class ReviewInputSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Review.Verdict.choices)
    findings = MarkdownSerializerField(required=False, allow_blank=True)
    organization = SlugRelatedField(
        slug_field="slug",
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
        help_text="Which of your organizations you review for (default: the first).",
    )
    license_clear = serializers.BooleanField(required=False, default=False)
    documentation_adequate = serializers.BooleanField(required=False, default=False)
    maintained_recently = serializers.BooleanField(required=False, default=False)
    security_contact_given = serializers.BooleanField(required=False, default=False)
    evaluation_evidence_given = serializers.BooleanField(required=False, default=False)


class ReviewOutputSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer(read_only=True)
    findings_html = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = [
            "id",
            "round",
            "reviewer_name",
            "organization",
            "verdict",
            "counts",
            "license_clear",
            "documentation_adequate",
            "maintained_recently",
            "security_contact_given",
            "evaluation_evidence_given",
            "findings",
            "findings_html",
            "created_at",
        ]
        read_only_fields = fields

    def get_findings_html(self, obj) -> str:
        return render_markdown(obj.findings)
