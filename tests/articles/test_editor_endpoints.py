"""The markdownx editor's preview and upload endpoints: staff only, sanitized, images re-encoded."""

import io
import os
import re
import struct
import zlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver, reverse
from django.views.static import serve
from PIL import Image

from tests.articles.test_sanitizing import OWN_MARKUP, Inspector, assert_harmless
from tests.factories import make_source, make_user

PREVIEW = reverse("articles:editor-preview")
UPLOAD = reverse("articles:editor-upload")
IMAGE_CODE = re.compile(
    r"!\[Describe this image for readers who cannot see it\]\((/media/uploads/\d{4}/\d{2}/[0-9a-f]{32}\.\w+)\)"
)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root):
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []


def image_bytes(fmt, size=(40, 30), mode="RGB", **options):
    out = io.BytesIO()
    Image.new(mode, size, "red").save(out, format=fmt, **options)
    return out.getvalue()


def noise_png(size):
    out = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(out, format="PNG")
    return out.getvalue()


def png_claiming(width, height):
    """A tiny PNG whose header claims ``width`` × ``height`` pixels: a decompression bomb."""
    data = bytearray(image_bytes("PNG", size=(1, 1)))
    # IHDR's data starts after the 8-byte signature and the chunk's length and type; its CRC
    # covers type and data and follows them.
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(data[12:29]))
    return bytes(data)


def upload(client, data, name="photo.png", content_type="image/png"):
    return client.post(UPLOAD, {"image": SimpleUploadedFile(name, data, content_type)})


def stored_url(response):
    return IMAGE_CODE.fullmatch(response.json()["image_code"]).group(1)


def stored_path(media_root, response):
    return media_root / stored_url(response).removeprefix("/media/")


def test_endpoints_are_where_markdownx_posts():
    assert PREVIEW == settings.MARKDOWNX_URLS_PATH
    assert UPLOAD == settings.MARKDOWNX_UPLOAD_URLS_PATH


# Who may use them.


def test_anonymous_preview_is_refused(client, db):
    assert client.post(PREVIEW, {"content": "*hi*"}).status_code == 403


def test_anonymous_upload_is_refused_and_stores_nothing(client, db, media_root):
    response = upload(client, image_bytes("PNG"))

    assert response.status_code == 403
    assert stored_files(media_root) == []


@pytest.mark.parametrize("url", [PREVIEW, UPLOAD])
def test_logged_in_non_staff_is_refused(client, db, media_root, url):
    client.force_login(make_user())
    image = SimpleUploadedFile("a.png", image_bytes("PNG"))

    response = client.post(url, {"content": "*hi*", "image": image})

    assert response.status_code == 403
    assert stored_files(media_root) == []


@pytest.mark.parametrize("url", [PREVIEW, UPLOAD])
def test_get_is_not_allowed(staff_client, url):
    assert staff_client.get(url).status_code == 405


@pytest.mark.parametrize("url", ["/markdownx/markdownify/", "/markdownx/upload/"])
def test_markdownx_own_endpoints_are_not_routed(staff_client, url):
    assert staff_client.post(url, {"content": "*hi*"}).status_code == 404


def test_preview_refuses_a_post_without_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(staff=True))

    assert client.post(PREVIEW, {"content": "*hi*"}).status_code == 403


def test_preview_accepts_a_post_with_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(staff=True))
    client.get(reverse("admin:index"))  # sets the cookie that markdownx's script sends back

    response = client.post(PREVIEW, {"content": "*hi*"}, headers={"X-CSRFToken": client.cookies["csrftoken"].value})

    assert response.status_code == 200


def test_upload_refuses_a_post_without_csrf_token(db, media_root):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(staff=True))

    assert upload(client, image_bytes("PNG")).status_code == 403
    assert stored_files(media_root) == []


# Preview.


def test_preview_sanitizes(staff_client):
    hostile = "*ok* <script>alert(1)</script>[x](javascript:alert(1))<img src=x onerror=alert(1)>"

    response = staff_client.post(PREVIEW, {"content": hostile})

    assert response.status_code == 200
    assert_harmless(response.text, extra=OWN_MARKUP)
    assert "em" in Inspector(response.text).tags()


def test_preview_numbers_known_keys_and_flags_unknown_ones_in_words(staff_client):
    make_source(key="elwes1985")

    response = staff_client.post(PREVIEW, {"content": "Clonus [@elwes1985; @nobody2020]."})

    page = Inspector(response.text)
    assert ("a", {"href": "#preview-s0-ref-1", "aria-describedby": "tip-s0-elwes1985-0"}) in page.elements
    assert ("mark", {"class": "citation-problem"}) in page.elements
    assert "[@nobody2020] — no source has the key “nobody2020”" in page.text_content()


# Upload: accepted images.


@pytest.mark.parametrize("fmt, extension", [("PNG", "png"), ("JPEG", "jpg"), ("GIF", "gif"), ("WEBP", "webp")])
def test_image_is_stored_reencoded_under_its_detected_type(staff_client, media_root, fmt, extension):
    response = upload(staff_client, image_bytes(fmt), name="upload.bin", content_type="image/png")

    assert response.status_code == 200
    assert stored_url(response).endswith(f".{extension}")
    with Image.open(stored_path(media_root, response)) as stored:
        assert stored.format == fmt
        assert stored.size == (40, 30)


def test_extension_comes_from_the_bytes_not_the_name_or_content_type(staff_client, media_root):
    response = upload(staff_client, image_bytes("PNG"), name="photo.jpg", content_type="image/jpeg")

    assert stored_url(response).endswith(".png")
    assert [path.suffix for path in stored_files(media_root)] == [".png"]


def test_phone_jpeg_with_a_second_picture_is_stored_as_jpeg(staff_client, media_root):
    out = io.BytesIO()
    second = Image.new("RGB", (40, 30))
    Image.new("RGB", (40, 30), "red").save(out, format="MPO", save_all=True, append_images=[second])

    response = upload(staff_client, out.getvalue(), name="IMG_0001.JPG", content_type="image/jpeg")

    assert stored_url(response).endswith(".jpg")
    with Image.open(stored_path(media_root, response)) as stored:
        assert stored.format == "JPEG"


def test_large_image_is_scaled_down(staff_client, media_root):
    response = upload(staff_client, image_bytes("PNG", size=(3200, 800)))

    with Image.open(stored_path(media_root, response)) as stored:
        assert stored.size == (1600, 400)


def exif_with_secrets(orientation=1):
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS position
    return exif.tobytes()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_exif_is_stripped(staff_client, media_root, fmt):
    response = upload(staff_client, image_bytes(fmt, exif=exif_with_secrets()))

    path = stored_path(media_root, response)
    assert b"SecretCam" not in path.read_bytes()
    with Image.open(path) as stored:
        assert dict(stored.getexif()) == {}


@pytest.mark.parametrize(
    "fmt, options",
    [
        ("JPEG", {"comment": b"SecretCam"}),
        ("GIF", {"comment": b"SecretCam <script>alert(1)</script>"}),
        ("JPEG", {"xmp": b"<x:xmpmeta>SecretCam</x:xmpmeta>"}),
    ],
    ids=["jpeg-comment", "gif-comment", "jpeg-xmp"],
)
def test_other_metadata_is_stripped(staff_client, media_root, fmt, options):
    response = upload(staff_client, image_bytes(fmt, **options))

    assert b"SecretCam" not in stored_path(media_root, response).read_bytes()


def test_exif_orientation_is_applied_before_it_is_dropped(staff_client, media_root):
    response = upload(staff_client, image_bytes("JPEG", exif=exif_with_secrets(orientation=6)))

    with Image.open(stored_path(media_root, response)) as stored:
        assert stored.size == (30, 40)


def test_transparent_gif_stays_transparent(staff_client, media_root):
    image = Image.new("P", (4, 4), 0)
    image.putpalette([255, 0, 0, 0, 0, 255])
    out = io.BytesIO()
    image.save(out, format="GIF", transparency=0)

    response = upload(staff_client, out.getvalue(), name="dot.gif", content_type="image/gif")

    with Image.open(stored_path(media_root, response)) as stored:
        assert stored.convert("RGBA").getpixel((0, 0))[3] == 0


def test_polyglot_keeps_only_the_image(staff_client, media_root):
    html = b"<html><script>alert(1)</script></html>"

    response = upload(staff_client, image_bytes("GIF") + html, "a.gif", "image/gif")

    assert response.status_code == 200
    assert b"<script" not in stored_path(media_root, response).read_bytes()


def test_uploaded_image_is_served_as_an_image_that_browsers_may_not_sniff(staff_client, media_root, monkeypatch):
    # clonus/urls.py hands MEDIA_ROOT to serve() once, at import: point it at this test's folder.
    media = next(p for p in get_resolver().url_patterns if getattr(p, "callback", None) is serve)
    monkeypatch.setitem(media.default_args, "document_root", media_root)
    response = upload(staff_client, image_bytes("PNG"), name="photo.jpg", content_type="image/jpeg")

    served = staff_client.get(stored_url(response))

    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == stored_path(media_root, response).read_bytes()


# Upload: refused files.

TRUNCATED_PNG = noise_png((64, 64))[:-200]
REFUSED = {
    "html sent as gif": (b"<html><script>alert(1)</script></html>", "x.gif", "image/gif"),
    "svg with script": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "x.svg",
        "image/svg+xml",
    ),
    "svg without script": (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><rect/></svg>',
        "x.svg",
        "image/svg+xml",
    ),
    "gif header then html": (b"GIF89a<html><script>alert(1)</script></html>", "x.gif", "image/gif"),
    "truncated png": (TRUNCATED_PNG, "x.png", "image/png"),
    "text file": (b"Just some notes.\n", "notes.txt", "text/plain"),
    "bomb beyond pillow's limit": (png_claiming(30_000, 30_000), "bomb.png", "image/png"),
    "bomb beyond ours": (png_claiming(8_000, 8_000), "bomb.png", "image/png"),
    "bmp": (image_bytes("BMP"), "x.bmp", "image/bmp"),
}


@pytest.mark.parametrize("data, name, content_type", REFUSED.values(), ids=REFUSED.keys())
def test_non_images_are_refused_and_nothing_is_stored(staff_client, media_root, data, name, content_type):
    response = upload(staff_client, data, name=name, content_type=content_type)

    assert response.status_code == 400
    assert "Upload a JPEG, PNG, GIF or WebP image." in response.json()["image"][0]
    assert stored_files(media_root) == []


def test_oversized_image_is_refused(staff_client, media_root, settings):
    settings.MARKDOWNX_UPLOAD_MAX_SIZE = 10_000

    response = upload(staff_client, noise_png((100, 100)))

    assert response.status_code == 400
    assert "images may be at most 9.8\xa0KB" in response.json()["image"][0]
    assert stored_files(media_root) == []


def test_empty_upload_is_refused(staff_client, media_root):
    response = upload(staff_client, b"")

    assert response.status_code == 400
    assert response.json() == {"image": ["The submitted file is empty."]}
    assert stored_files(media_root) == []


def test_request_without_a_file_is_refused(staff_client, media_root):
    response = staff_client.post(UPLOAD, {})

    assert response.status_code == 400
    assert response.json() == {"image": ["This field is required."]}
    assert stored_files(media_root) == []
