"""The search page's query: the words and the kind of result to show."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.core.search import QUERY_MAX_LENGTH, search_text_clean, search_words
from alliance.search.selectors import search_kinds


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        # Longer text is cut, not refused: a pasted paragraph still searches.
        strip=True,
        widget=forms.SearchInput,
    )
    kind = forms.ChoiceField(label=_("Show"), required=False, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Everything")), *search_kinds()]
        self.fields["q"].widget.attrs.update(
            {"maxlength": QUERY_MAX_LENGTH, "autocomplete": "off"}
        )

    def clean_q(self) -> str:
        text = search_text_clean(self.cleaned_data.get("q"))
        if text and not search_words(text):
            raise forms.ValidationError(
                _("Enter at least one word of letters or digits.")
            )
        return text
