"""Rules for the one-line text people write that others read: titles and names.

Bidirectional embedding, override and isolate characters (U+202A–U+202E,
U+2066–U+2069) are invisible and reorder what follows them, so a title or a name
can read differently from what it holds ("Trojan Source"). They are refused in
titles and names; the marks (U+200E, U+200F, U+061C), which right-to-left
writing needs, are allowed.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def validate_no_bidi_controls(value) -> None:
    """Refuse text holding a bidirectional embedding, override or isolate."""
    if isinstance(value, str) and BIDI_CONTROLS.search(value):
        raise ValidationError(
            _(
                "Remove the invisible characters that change the direction of "
                "the text (U+202A–U+202E, U+2066–U+2069)."
            ),
            code="bidi_control",
        )
