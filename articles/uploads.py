"""Images uploaded from the Markdown editor: decoded, checked, re-encoded, then stored.

Nothing an uploader sends is stored as sent. The bytes must decode as a raster image in one of
the accepted formats; the image is re-encoded (which also drops metadata such as GPS
positions), and its extension comes from the format we detected, never from the name or the
Content-Type the browser claimed. SVG is refused: it is a document that can carry script.
"""

import uuid
from io import BytesIO

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

#: Detected format → extension of the stored file.
FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
MAX_PIXELS = 40_000_000
#: What Pillow read from the file that changes how the image looks; everything else it read
#: (comments, EXIF, XMP, text chunks) would otherwise be written back out for some formats.
KEPT_INFO = {"transparency", "icc_profile"}


class ImageUploadForm(forms.Form):
    image = forms.FileField()

    def clean_image(self):
        upload = self.cleaned_data["image"]
        limit = settings.MARKDOWNX_UPLOAD_MAX_SIZE
        if upload.size > limit:
            raise forms.ValidationError(
                "The file is %(size)s; images may be at most %(limit)s.",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                code="too_large",
            )
        try:
            image = decode(upload)
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
            raise forms.ValidationError(
                "This file is not an image we can read. Upload a JPEG, PNG, GIF or WebP image.",
                code="not_an_image",
            ) from error
        if image.format not in FORMATS:
            raise forms.ValidationError(
                "%(format)s images are not accepted. Upload a JPEG, PNG, GIF or WebP image.",
                params={"format": image.format},
                code="unsupported_format",
            )
        return image

    def save(self):
        """Store the re-encoded image; return its URL."""
        image = self.cleaned_data["image"]
        name = f"{settings.MARKDOWNX_MEDIA_PATH}{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{FORMATS[image.format]}"
        stored = default_storage.save(name, ContentFile(reencode(image)))
        return default_storage.url(stored)


def decode(upload):
    """Open and fully decode ``upload``; truncated or forged files raise here."""
    upload.seek(0)
    with Image.open(upload) as probe:
        probe.verify()
        detected = probe.format
        if probe.width * probe.height > MAX_PIXELS:
            raise ValueError("too many pixels")
    upload.seek(0)
    image = Image.open(upload)
    image.load()
    # Pillow reads a JPEG that carries a second picture (as many phone cameras write) as MPO.
    image.format = "JPEG" if detected == "MPO" else detected
    return image


def reencode(image):
    fmt = image.format
    max_size = settings.MARKDOWNX_IMAGE_MAX_SIZE["size"]
    image = ImageOps.exif_transpose(image)
    image.info = {key: value for key, value in image.info.items() if key in KEPT_INFO}
    image.thumbnail(max_size)
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = BytesIO()
    options = {"quality": settings.MARKDOWNX_IMAGE_MAX_SIZE["quality"]} if fmt in ("JPEG", "WEBP") else {}
    image.save(out, format=fmt, **options)
    return out.getvalue()
