"""Organization logos: check an upload with Pillow and re-encode it before it is
stored, so what is served is always a plain PNG that we wrote ourselves."""

import secrets
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "WEBP": "WebP", "GIF": "GIF"}
MAX_BYTES = 2 * 1024 * 1024
MIN_SIDE = 32
MAX_SIDE = 4000
OUTPUT_SIDE = 512


def logo_reencode(upload, *, slug: str) -> ContentFile:
    """Return the uploaded logo checked and re-encoded as a PNG of at most 512 px;
    raise ValidationError saying what to fix."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(
            _("The logo is %(size)s MB; upload an image of at most 2 MB.")
            % {"size": f"{size / 1024 / 1024:.1f}"},
            code="too_large",
        )
    formats = ", ".join(ALLOWED_FORMATS.values())
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
        if image_format not in ALLOWED_FORMATS:
            raise ValidationError(
                _("Upload the logo as %(formats)s.") % {"formats": formats},
                code="format",
            )
        if min(width, height) < MIN_SIDE or max(width, height) > MAX_SIDE:
            raise ValidationError(
                _(
                    "The logo is %(width)s×%(height)s pixels; it must be between "
                    "%(min)s and %(max)s pixels wide and high."
                )
                % {"width": width, "height": height, "min": MIN_SIDE, "max": MAX_SIDE},
                code="dimensions",
            )
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            converted = ImageOps.exif_transpose(image).convert("RGBA")
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError):
        raise ValidationError(
            _("This file is not an image we can read; upload a %(formats)s file.")
            % {"formats": formats},
            code="invalid",
        ) from None
    converted.thumbnail((OUTPUT_SIDE, OUTPUT_SIDE))
    out = BytesIO()
    converted.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name=f"{slug}-{secrets.token_hex(4)}.png")
