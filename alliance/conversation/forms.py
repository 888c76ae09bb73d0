"""Forms of the conversation: a reply (to the update or to a reply), an edit."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.core.markdown import MarkdownFormField


class ReplyForm(forms.Form):
    body = MarkdownFormField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Markdown is supported. Mention a member of the group with @ and their "
            "name without spaces, e.g. @AdaLovelace."
        ),
        error_messages={"required": _("Write the text of your reply.")},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReplyEditForm(forms.Form):
    body = MarkdownFormField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the text of your reply.")},
    )
