"""Image fields: a post's images, each with its required alt text, and an avatar.

Each upload is decoded and re-encoded while the form validates
(app/images/processing.py), so a form that validates holds only images that
are safe to store, and a refused one says which image and why.
"""

from itertools import zip_longest
from typing import Any

from flask_babel import _
from markupsafe import Markup, escape
from werkzeug.datastructures import FileStorage
from wtforms import Field
from wtforms.utils import unset_value
from wtforms.validators import StopValidation

from app.images.processing import (
    MAX_BYTES,
    ImageRefused,
    Processed,
    process,
    square_avatar,
)
from app.models import PostImage

ACCEPTED = "image/jpeg,image/png,image/webp,image/gif"
NAME_SHOWN = 60


def _chosen(upload: Any) -> bool:
    return isinstance(upload, FileStorage) and bool(upload.filename)


class ImageSlotsWidget:
    """``slots`` pairs of inputs: the file (name ``images``) and its alt text (name
    ``images_alt``), matched by position, so the form works without JavaScript."""

    def __call__(self, field: "ImageUploadsField", **attributes: Any) -> Markup:
        css = escape(attributes.get("class_", "form-control"))
        described = attributes.get("aria-describedby")
        help_text = f' aria-describedby="{escape(described)}"' if described else ""
        rows = []
        for number in range(1, field.slots + 1):
            file_id = field.id if number == 1 else f"{field.id}-{number}"
            alt = field.alt_texts[number - 1] if number <= len(field.alt_texts) else ""
            image_label = escape(_("Image %(num)s", num=number))
            alt_label = escape(_("Alt text for image %(num)s", num=number))
            rows.append(
                f'<div class="row g-2 mb-2 image-slot">'
                f'<div class="col-sm-5"><label class="form-label small" for="{file_id}">'
                f'{image_label}</label>'
                f'<input type="file" class="{css}" id="{file_id}" '
                f'name="{field.name}" accept="{ACCEPTED}"{help_text}></div>'
                f'<div class="col-sm-7"><label class="form-label small" '
                f'for="{field.id}-{number}-alt">'
                f'{alt_label}</label>'
                f'<input type="text" class="{css}" id="{field.id}-{number}-alt" '
                f'name="{field.name}_alt" maxlength="{PostImage.ALT_TEXT_MAX_LENGTH}" '
                f'value="{escape(alt)}"></div></div>')
        return Markup("".join(rows))  # nosec B704: every value above is escaped


class ImageUploadsField(Field):
    """Up to ``slots`` images with their alt texts; after validation ``data`` is
    ``[(Processed, alt_text)]`` in the order of the slots."""

    widget = ImageSlotsWidget()

    def __init__(self, label: str, slots: int = PostImage.MAX_PER_POST, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.slots = slots
        self.uploads: list[tuple[Any, str]] = []
        self.alt_texts: list[str] = []

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.process_errors, self.object_data, self.data = [], None, []
        if formdata is not None:
            files = formdata.getlist(self.name)
            alts = [alt for alt in formdata.getlist(f"{self.name}_alt") if isinstance(alt, str)]
            self.uploads = list(zip_longest(files, alts, fillvalue=""))
            self.alt_texts = [alt.strip() for _, alt in self.uploads]

    def pre_validate(self, form: Any) -> None:
        chosen = [(number, upload, alt.strip()) for number, (upload, alt)
                  in enumerate(self.uploads, start=1) if _chosen(upload)]
        if len(chosen) > self.slots:
            raise StopValidation(_("A post may have at most %(num)s images.", num=self.slots))
        errors = [error for error in (self._take(*each) for each in chosen) if error]
        if errors:
            self.data = []
            raise StopValidation(" ".join(errors))

    def _take(self, number: int, upload: FileStorage, alt: str) -> str | None:
        """Process one upload into ``data``; the reason it is refused, if it is."""
        shown = _("Image %(num)s (%(name)s)", num=number, name=upload.filename[:NAME_SHOWN])
        if not alt:
            return _("%(image)s needs its alt text: describe it for people who cannot see it.",
                     image=shown)
        if len(alt) > PostImage.ALT_TEXT_MAX_LENGTH:
            return _("%(image)s: keep the alt text under %(num)s characters.", image=shown,
                     num=PostImage.ALT_TEXT_MAX_LENGTH)
        try:
            processed: Processed = process(upload.stream.read(MAX_BYTES + 1))
        except ImageRefused as refused:
            return _("%(image)s: %(reason)s", image=shown, reason=refused)
        self.data.append((processed, alt))
        return None


class AvatarUpload:
    """Makes the chosen file a square avatar (``field.avatar``), or stops with the
    reason it is refused; nothing chosen leaves ``field.avatar`` None."""

    def __call__(self, form: Any, field: Field) -> None:
        field.avatar = None
        if _chosen(field.data):
            try:
                field.avatar = square_avatar(field.data.stream.read(MAX_BYTES + 1))
            except ImageRefused as refused:
                raise StopValidation(str(refused)) from None
