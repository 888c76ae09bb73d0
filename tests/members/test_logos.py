"""Logos: checked with Pillow, re-encoded to PNG, served by a view that works
wherever the files are stored."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from members.logos import logo_reencode
from members.services.organizations import organization_logo_set
from tests.members.factories import png_upload


def test_a_jpeg_is_reencoded_as_png_without_metadata():
    encoded = logo_reencode(png_upload(fmt="JPEG", exif=True), slug="acme")
    data = encoded.read()
    assert data.startswith(b"\x89PNG")
    assert b"Secret Camera Maker" not in data
    assert encoded.name.startswith("acme-") and encoded.name.endswith(".png")
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (200, 100)


def test_a_large_logo_is_scaled_down_to_512_pixels():
    encoded = logo_reencode(png_upload(size=(2000, 1000)), slug="acme")
    with Image.open(encoded) as image:
        assert image.size == (512, 256)


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("x.svg", b"<svg onload=alert(1)></svg>"), "invalid"),
        (SimpleUploadedFile("x.png", b"<html><script>alert(1)</script>"), "invalid"),
        (png_upload(fmt="BMP", name="x.bmp"), "format"),
        (png_upload(size=(20, 20)), "dimensions"),
        (png_upload(size=(5000, 40)), "dimensions"),
        (SimpleUploadedFile("big.png", b"0" * (2 * 1024 * 1024 + 1)), "too_large"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason(upload, code):
    with pytest.raises(ValidationError) as caught:
        logo_reencode(upload, slug="acme")
    assert caught.value.code == code
    assert caught.value.messages[0]


def test_contact_uploads_a_logo_and_it_is_served(client, cast):
    client.force_login(cast.contact)
    response = client.post(
        "/members/acme-research/manage/",
        {"website": "https://acme.example", "description": "", "logo": png_upload()},
    )
    assert response.status_code == 302
    cast.organization.refresh_from_db()
    assert cast.organization.logo.name.endswith(".png")
    html = client.get("/members/").content.decode()
    assert cast.organization.logo_url in html
    client.logout()
    logo = client.get(cast.organization.logo_url)
    assert logo.status_code == 200
    assert logo["Content-Type"] == "image/png"
    assert logo["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in logo["Content-Security-Policy"]
    assert "immutable" in logo["Cache-Control"]
    assert b"".join(logo.streaming_content).startswith(b"\x89PNG")


def test_a_bad_logo_shows_the_error_and_changes_nothing(client, cast):
    client.force_login(cast.contact)
    response = client.post(
        "/members/acme-research/manage/",
        {
            "website": "https://changed.example",
            "description": "Changed",
            "logo": SimpleUploadedFile("x.png", b"not an image"),
        },
    )
    assert response.status_code == 400
    assert "not an image we can read" in response.content.decode()
    cast.organization.refresh_from_db()
    assert cast.organization.website != "https://changed.example"
    assert not cast.organization.logo


def test_replacing_a_logo_deletes_the_old_file(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organization_logo_set(organization=cast.organization, logo=png_upload())
    storage = cast.organization.logo.storage
    first = cast.organization.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        organization_logo_set(organization=cast.organization, logo=png_upload())
    assert cast.organization.logo.name != first
    assert not storage.exists(first)
    assert storage.exists(cast.organization.logo.name)
