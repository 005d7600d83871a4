"""The image upload form of the Wagtail admin (WAGTAILIMAGES_IMAGE_FORM_BASE), for the single
"Add an image" form, the drag-and-drop uploader and the image edit form alike."""

from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

# Wagtail's collection privacy covers documents only: an image is shown to anyone with its address.
IMAGES_ARE_PUBLIC = (
    "Every image is public: anyone with its address can see it, whatever its collection. "
    "Upload nothing private as an image (a patient's photo, a letter, a scan)."
)


class ReadableImageField(WagtailImageField):
    """Wagtail's image field, which also decodes the whole file with Pillow: Wagtail reads only
    a file's header, and a file whose header is an image's and whose body is broken made Pillow
    fail later, at the size check or when making renditions (a server error instead of a form
    error)."""

    def to_python(self, data):
        try:
            upload = super().to_python(data)
            if upload is not None:
                decode_whole(upload)
        except ValidationError:
            raise
        except Exception as error:  # Pillow has no one exception for a broken file.
            raise ValidationError(self.error_messages["invalid_image"], code="invalid_image") from error
        return upload


def decode_whole(upload):
    """Pillow's integrity check, then every pixel decoded (the check does not cover every format)."""
    upload.seek(0)
    with PILImage.open(upload) as image:
        image.verify()
    upload.seek(0)
    with PILImage.open(upload) as image:
        image.load()
    upload.seek(0)


class ImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Replaced here rather than declared: a declared field would also appear in the
        # uploader's edit form, which leaves the file out.
        if "file" in self.fields:
            wagtails = self.fields["file"]
            self.fields["file"] = ReadableImageField(
                label=wagtails.label, required=wagtails.required, widget=wagtails.widget
            )
            self.fields["file"].help_text = f"{IMAGES_ARE_PUBLIC} {self.fields['file'].help_text}"
