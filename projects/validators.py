"""Checks of a catalog entry's structured metadata against published code lists:
licenses against the SPDX list shipped by ``license-expression``, languages
against ISO 639 as shipped by ``pycountry``."""

import functools
import gettext
import re
from collections.abc import Iterable

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

MAX_LIST_ITEMS = 30
MAX_TAG_LENGTH = 40
_TAG_RE = re.compile(r"^[\w][\w .+#/-]*$", re.UNICODE)


@functools.cache
def _spdx_licensing():
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


def license_normalize(value: str) -> str:
    """Return the SPDX license expression in its canonical spelling, or raise."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > 100:
        raise ValidationError(
            _("A license expression has at most 100 characters."), code="too_long"
        )
    try:
        info = _spdx_licensing().validate(value)
    except Exception:  # the parser raises odd errors on malformed expressions
        info = None
    if info is None or info.errors or not info.normalized_expression:
        raise ValidationError(
            _(
                "“%(value)s” is not an SPDX license identifier. Use an identifier "
                "from spdx.org/licenses such as “Apache-2.0”, “MIT” or "
                "“CC-BY-4.0” (expressions like “MIT OR Apache-2.0” work too)."
            ),
            code="invalid_license",
            params={"value": value},
        )
    return info.normalized_expression


def language_normalize(code: str) -> str:
    """Return the ISO 639 code (two letters where one exists), or raise."""
    raw = (code or "").strip().lower()
    language = None
    if len(raw) == 2:
        language = pycountry.languages.get(alpha_2=raw)
    elif len(raw) == 3:
        language = pycountry.languages.get(alpha_3=raw) or pycountry.languages.get(
            bibliographic=raw
        )
    if language is None:
        raise ValidationError(
            _(
                "“%(value)s” is not an ISO 639 language code. Use codes such as "
                "“en”, “de” or “fra”."
            ),
            code="invalid_language",
            params={"value": code},
        )
    return getattr(language, "alpha_2", None) or language.alpha_3


def languages_normalize(codes: Iterable[str]) -> list[str]:
    """Return the ISO 639 codes normalized and without repeats, or raise with every
    wrong code named."""
    result: list[str] = []
    errors: list[ValidationError] = []
    for code in codes:
        try:
            normalized = language_normalize(code)
        except ValidationError as error:
            errors.append(error)
            continue
        if normalized not in result:
            result.append(normalized)
    if errors:
        raise ValidationError(errors)
    _check_length(result)
    return result


def tags_normalize(tags: Iterable[str]) -> list[str]:
    """Return the tags trimmed, lower-cased and without repeats, or raise."""
    result: list[str] = []
    for tag in tags:
        tag = " ".join(str(tag).split()).lower()
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH or not _TAG_RE.match(tag):
            raise ValidationError(
                _(
                    "“%(value)s” is not a valid tag: use letters, digits, spaces "
                    "and - . + # / (at most %(max)d characters)."
                ),
                code="invalid_tag",
                params={"value": tag[:60], "max": MAX_TAG_LENGTH},
            )
        if tag not in result:
            result.append(tag)
    _check_length(result)
    return result


def choices_normalize(values: Iterable[str], choices) -> list[str]:
    """Return the values that are among ``choices`` (a TextChoices), or raise."""
    allowed = set(choices.values)
    result: list[str] = []
    for value in values:
        if value not in allowed:
            raise ValidationError(
                _("“%(value)s” is not one of: %(allowed)s."),
                code="invalid_choice",
                params={"value": str(value)[:60], "allowed": ", ".join(choices.values)},
            )
        if value not in result:
            result.append(value)
    return result


def _check_length(values: list) -> None:
    if len(values) > MAX_LIST_ITEMS:
        raise ValidationError(
            _("At most %(max)d values are allowed."),
            code="too_many",
            params={"max": MAX_LIST_ITEMS},
        )


def split_list(text: str) -> list[str]:
    """Split a comma-separated form value into its items."""
    return [item.strip() for item in (text or "").split(",") if item.strip()]


@functools.cache
def _iso639_translation(language: str):
    return gettext.translation(
        "iso639-3", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def language_name(code: str) -> str:
    """Return the language's name in the active language (the code if unknown)."""
    language = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    language = language or pycountry.languages.get(alpha_3=code)
    if language is None:
        return code
    return _iso639_translation(get_language() or "en").gettext(language.name)
