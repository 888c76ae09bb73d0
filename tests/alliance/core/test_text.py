"""Titles and names refuse bidirectional embeddings, overrides and isolates."""

import pytest
from django.core.exceptions import ValidationError

from alliance.core.text import validate_no_bidi_controls


@pytest.mark.parametrize("code", [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
def test_every_embedding_override_and_isolate_is_refused(code):
    with pytest.raises(ValidationError):
        validate_no_bidi_controls(f"Title {chr(code)}txet")


@pytest.mark.parametrize("text", ["Plain title", "שלום\u200f", "مرحبا\u061c", ""])
def test_ordinary_text_and_direction_marks_pass(text):
    validate_no_bidi_controls(text)
