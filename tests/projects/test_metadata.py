"""Licenses must be SPDX identifiers and languages ISO 639 codes: wrong ones are
refused with a message that says what to type instead, in the form and the API."""

import pytest
from django.core.exceptions import ValidationError

from projects.models import CatalogEntry
from projects.validators import (
    language_name,
    languages_normalize,
    license_normalize,
    tags_normalize,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("apache-2.0", "Apache-2.0"),
        ("MIT", "MIT"),
        ("cc-by-4.0", "CC-BY-4.0"),
        ("MIT OR Apache-2.0", "MIT OR Apache-2.0"),
        ("", ""),
    ],
)
def test_spdx_identifiers_are_normalized(typed, stored):
    assert license_normalize(typed) == stored


@pytest.mark.parametrize("typed", ["Apache 2", "Proprietary", "MIT AND", "GPL-9.0"])
def test_unknown_licenses_are_refused_with_advice(typed):
    with pytest.raises(ValidationError) as error:
        license_normalize(typed)
    message = error.value.messages[0]
    assert f"“{typed}” is not an SPDX license identifier" in message
    assert "Apache-2.0" in message


def test_iso_639_codes_are_normalized_and_wrong_ones_named():
    assert languages_normalize(["EN", "deu", "ger", "sw", "de"]) == ["en", "de", "sw"]
    with pytest.raises(ValidationError) as error:
        languages_normalize(["en", "xx", "english"])
    assert error.value.messages == [
        "“xx” is not an ISO 639 language code. Use codes such as “en”, “de” or “fra”.",
        "“english” is not an ISO 639 language code. Use codes such as “en”, “de” "
        "or “fra”.",
    ]


def test_language_names_follow_the_active_language():
    from django.utils import translation

    assert language_name("de") == "German"
    with translation.override("de"):
        assert language_name("fr") == "Französisch"


def test_tags_are_tidied_and_odd_ones_refused():
    assert tags_normalize([" Red  Teaming ", "red teaming", "LLM"]) == [
        "red teaming",
        "llm",
    ]
    with pytest.raises(ValidationError, match="not a valid tag"):
        tags_normalize(["<script>"])


def _form_data(focus_area, **changes):
    data = {
        "kind": "tool",
        "name": "Prompt Shield",
        "summary": "Blocks prompt injection.",
        "description": "",
        "focus_area": focus_area.pk,
        "license": "MIT",
        "languages": "en, de",
        "tags": "security",
    }
    data.update(changes)
    return data


def test_the_submit_form_refuses_bad_codes_and_keeps_nothing(
    client, maintainer, focus_area
):
    client.force_login(maintainer)
    response = client.post(
        "/projects/new/",
        _form_data(focus_area, license="Apache 2", languages="en, klingon"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "is not an SPDX license identifier" in page
    assert "“klingon” is not an ISO 639 language code" in page
    assert not CatalogEntry.objects.exists()


def test_the_submit_form_stores_normalized_codes(client, maintainer, focus_area):
    client.force_login(maintainer)
    response = client.post(
        "/projects/new/",
        _form_data(focus_area, license="apache-2.0", languages="EN, deu"),
    )
    entry = CatalogEntry.objects.get()
    assert response.status_code == 302 and response["Location"] == (
        entry.get_absolute_url()
    )
    assert (entry.license, entry.languages) == ("Apache-2.0", ["en", "de"])


def test_the_api_refuses_bad_codes_with_field_errors(api_client, maintainer):
    api_client.force_authenticate(maintainer)
    response = api_client.post(
        "/api/v1/catalog/",
        {
            "kind": "dataset",
            "name": "Speech Set",
            "summary": "Speech.",
            "focus_area": "open-foundation-models",
            "license": "GPL-9.0",
            "languages": ["en", "zz"],
            "modalities": ["smell"],
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["license"][0].startswith("“GPL-9.0” is not an SPDX license")
    assert errors["languages"] == [
        "“zz” is not an ISO 639 language code. Use codes such as “en”, “de” or “fra”."
    ]
    assert "modalities.0" in errors
    assert not CatalogEntry.objects.exists()
