"""Image uploads through Wagtail's own upload views: images only, within limits, clear refusals."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model

from tests.html import page_text, select_one

Image = get_image_model()


@pytest.fixture(autouse=True)
def media_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png(width, height, mode="RGB", trailing=b""):
    buffer = io.BytesIO()
    PILImage.new(mode, (width, height)).save(buffer, "PNG")
    return buffer.getvalue() + trailing


# A GIF's header with a body that is not a GIF's: Wagtail's header check alone takes it for an image.
BROKEN_GIF = b"GIF89a\x10\x00\x10\x00\x80\x00\x00" + b"\xff" * 40


@pytest.fixture
def editor_client(client, make_staff):
    client.force_login(make_staff("editor", "Clinical editors"))
    return client


def truncated_png():
    """A real photo cut off half-way: its header and size are right, its pixels are missing."""
    buffer = io.BytesIO()
    PILImage.effect_noise((200, 200), 64).convert("RGB").save(buffer, "PNG")
    whole = buffer.getvalue()
    return whole[: len(whole) // 2]


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


@pytest.mark.parametrize("address", ["wagtailimages:add", "wagtailimages:add_multiple"])
def test_editors_are_told_that_images_are_public_where_they_upload_them(editor_client, address):
    page = page_text(editor_client.get(reverse(address)))
    assert "Every image is public: anyone with its address can see it, whatever its collection." in page


@pytest.mark.parametrize(
    ("name", "content"),
    [("broken.gif", BROKEN_GIF), ("cut-off.png", truncated_png())],
    ids=["broken-gif", "cut-off-png"],
)
def test_a_file_that_cannot_be_read_as_an_image_gets_a_form_error_keeping_its_title(
    editor_client, name, content
):
    response = editor_client.post(
        reverse("wagtailimages:add"),
        {"title": "Waiting room", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert "Upload a valid image." in page_text(response)
    assert select_one(response, 'input[name="title"]')["value"] == "Waiting room"
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("broken.gif", BROKEN_GIF), ("cut-off.png", truncated_png())],
    ids=["broken-gif", "cut-off-png"],
)
def test_the_multiple_uploader_refuses_a_file_that_cannot_be_read_as_an_image(editor_client, name, content):
    answer = upload_multiple(editor_client, name, content)
    assert answer["success"] is False
    assert "Upload a valid image." in answer["error_message"]
    assert not Image.objects.exists()
