"""The search in the API: the query and one result."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from alliance.core.api.serializers import StrictInputSerializer
from alliance.core.search import QUERY_MAX_LENGTH, search_text_clean, search_words
from alliance.search.selectors import search_kinds


class SearchInputSerializer(StrictInputSerializer):
    q = serializers.CharField(
        max_length=QUERY_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text=_("The words to look for; a word also matches as a prefix."),
    )
    kind = serializers.ChoiceField(
        choices=(), required=False, help_text=_("Only results of this kind.")
    )
    page = serializers.IntegerField(min_value=1, required=False)
    page_size = serializers.IntegerField(min_value=1, max_value=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [kind for kind, _label in search_kinds()]

    def validate_q(self, value: str) -> str:
        if value.strip() and not search_words(value):
            raise serializers.ValidationError(
                _("Enter at least one word of letters or digits.")
            )
        return search_text_clean(value)


class SearchResultOutputSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="label")
    title = serializers.CharField(help_text=_("Plain text."))
    title_html = serializers.CharField(
        help_text=_("The title as HTML: escaped, the matched words in <mark>.")
    )
    snippet = serializers.CharField(help_text=_("Plain text."))
    snippet_html = serializers.CharField(
        help_text=_("The snippet as HTML: escaped, the matched words in <mark>.")
    )
    url = serializers.CharField(help_text=_("The result's page on the portal."))
    rank = serializers.FloatField()
