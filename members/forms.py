from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "name",
            "display_name",
            "bio",
            "timezone",
            "language",
            "directory_visibility",
            "show_email",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_("Say what it is for, e.g. “Nightly catalog sync”."),
    )
