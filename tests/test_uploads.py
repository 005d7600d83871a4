"""Image uploads through Wagtail's own upload views: images only, within limits, clear refusals."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model

Image = get_image_model()


@pytest.fixture(autouse=True)
def media_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png(width, height, mode="RGB", trailing=b""):
    buffer = io.BytesIO()
    PILImage.new(mode, (width, height)).save(buffer, "PNG")
    return buffer.getvalue() + trailing


def upload(client, name, content, content_type="image/png"):
    return client.post(
        reverse("wagtailimages:add"),
        {"title": name, "file": SimpleUploadedFile(name, content, content_type)},
    )


def upload_multiple(client, name, content, content_type="image/png"):
    """The drag-and-drop uploader staff normally use; it answers in JSON."""
    return client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile(name, content, content_type)},
    ).json()


def test_a_photo_uploads(admin_client):
    response = upload(admin_client, "clinic.png", png(640, 480))
    assert response.status_code == 302
    assert Image.objects.filter(title="clinic.png").exists()


def test_svg_is_refused(admin_client):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = upload(admin_client, "logo.svg", svg, "image/svg+xml")
    assert "Not a supported image format" in response.content.decode()
    assert not Image.objects.exists()


def test_a_document_renamed_as_an_image_is_refused(admin_client):
    response = upload(admin_client, "notes.png", b"%PDF-1.7 not an image at all")
    assert "Upload a valid image" in response.content.decode()
    assert not Image.objects.exists()


def test_files_over_the_size_limit_are_refused(admin_client, settings):
    oversized = png(10, 10, trailing=b"\0" * settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE)
    response = upload(admin_client, "huge.png", oversized)
    assert "This file is too big" in response.content.decode()
    assert "Maximum filesize 10.0" in response.content.decode()
    assert not Image.objects.exists()


def test_images_with_more_pixels_than_allowed_are_refused(admin_client):
    # 64 megapixels in a few kilobytes: over the site's 50-megapixel limit.
    response = upload(admin_client, "big.png", png(8000, 8000, mode="1"))
    assert "This file has too many pixels (64000000). Maximum pixels 50000000." in response.content.decode()
    assert not Image.objects.exists()


def test_decompression_bombs_are_refused_with_a_clear_message(admin_client):
    # Past Pillow's own decompression-bomb limit: it will not even open the file.
    bomb = png(14000, 14000, mode="1")
    assert len(bomb) < 100_000
    for answer in (
        upload(admin_client, "bomb.png", bomb).content.decode(),
        upload_multiple(admin_client, "bomb.png", bomb)["error_message"],
    ):
        assert "This file has too many pixels (unknown number). Maximum pixels 50000000." in answer
    assert not Image.objects.exists()


def test_the_multiple_uploader_applies_the_same_rules(admin_client):
    assert upload_multiple(admin_client, "photo.png", png(64, 64))["success"] is True
    answer = upload_multiple(admin_client, "logo.svg", b"<svg/>", "image/svg+xml")
    assert answer["success"] is False
    assert "Not a supported image format" in answer["error_message"]
    assert Image.objects.count() == 1
