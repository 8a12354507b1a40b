"""Decoding and re-encoding uploads with Pillow, within bounds.

What is refused, each with a reason for the person: an empty or oversized
file, anything Pillow cannot read as JPEG, PNG, WebP or GIF (a script or an
HTML page renamed, an SVG), an image whose dimensions would take too much
memory to decode (a small file can claim 50,000 x 50,000 pixels), an animation
with too many frames, and a damaged or truncated file.
"""

import io
import warnings
from dataclasses import dataclass

from flask_babel import _
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # one frame: about 160 MB once decoded
MAX_FRAMES = 100
MAX_ANIMATION_PIXELS = 100_000_000  # all frames together
LONGEST_SIDE = 2048
THUMBNAIL_SIDE = 400
AVATAR_SIDE = 400
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"),
           "WEBP": ("image/webp", "webp"), "GIF": ("image/gif", "gif")}


class ImageRefused(ValueError):
    """An upload that is not stored; ``str()`` says why, as a sentence."""


@dataclass(frozen=True)
class Encoded:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int


@dataclass(frozen=True)
class Processed:
    """An upload made safe: the image (longest side at most LONGEST_SIDE) and its
    thumbnail (at most THUMBNAIL_SIDE)."""

    image: Encoded
    thumbnail: Encoded


def _open(data: bytes) -> Image.Image:
    if not data:
        raise ImageRefused(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ImageRefused(_("Images may be at most %(num)s MB.", num=MAX_BYTES // 2**20))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused(_("The image is too large to open.")) from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise ImageRefused(_("The file is not a JPEG, PNG, WebP or GIF image.")) from None
    if image.width * image.height > MAX_PIXELS:
        raise ImageRefused(_("The image is too large to open: at most %(num)s million pixels.",
                             num=MAX_PIXELS // 1_000_000))
    frames = getattr(image, "n_frames", 1)
    if frames > MAX_FRAMES or frames * image.width * image.height > MAX_ANIMATION_PIXELS:
        raise ImageRefused(_("Animations may have at most %(num)s frames of moderate size.",
                             num=MAX_FRAMES))
    return image


def _pixels(frame: Image.Image, animated: bool) -> Image.Image:
    """A new image of the frame's pixels only, upright, in a mode its format saves."""
    upright = ImageOps.exif_transpose(frame) if not animated else frame
    if animated:
        mode = "RGBA"
    elif upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
        mode = "RGBA"
    else:
        mode = "RGB"
    clean = upright.convert(mode)
    clean.info = {}
    return clean


def _encode(frames: list[Image.Image], image_format: str, side: int,
            durations: list[int], loop: int) -> Encoded:
    resized = []
    for frame in frames:
        frame = frame.copy()
        frame.thumbnail((side, side), Image.Resampling.LANCZOS)
        resized.append(frame)
    first = resized[0]
    output = io.BytesIO()
    if image_format == "JPEG" and first.mode == "RGBA":
        image_format = "PNG"  # JPEG has no transparency
    # PNG's "optimize" tries every filter at zlib's slowest level: seconds for a
    # photo-sized image, for a few percent. JPEG's is a cheap second pass.
    options: dict = {"optimize": image_format == "JPEG"}
    if image_format in ("JPEG", "WEBP"):
        options["quality"] = 85
    if len(resized) > 1:
        options.update(save_all=True, append_images=resized[1:], duration=durations,
                       loop=loop, disposal=2)
    first.save(output, format=image_format, **options)
    content_type, extension = FORMATS[image_format]
    return Encoded(output.getvalue(), content_type, extension, first.width, first.height)


def process(data: bytes, side: int = LONGEST_SIDE) -> Processed:
    """Decode ``data`` and write it anew; raises ImageRefused with the reason."""
    image = _open(data)
    animated = getattr(image, "n_frames", 1) > 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a GIF's palette quirks are not the writer's fault
            frames = [_pixels(frame, animated) for frame in ImageSequence.Iterator(image)]
            durations = [frame.info.get("duration", 100) for frame in
                         ImageSequence.Iterator(image)] if animated else []
    except (OSError, ValueError, SyntaxError, EOFError):
        raise ImageRefused(_("The image is damaged or incomplete.")) from None
    image_format = image.format
    loop = image.info.get("loop", 0)
    return Processed(_encode(frames, image_format, side, durations, loop),
                     _encode(frames[:1], image_format, THUMBNAIL_SIDE, [], loop))


def square_avatar(data: bytes) -> Encoded:
    """An avatar: the upload's centre, square, AVATAR_SIDE pixels, as PNG or JPEG."""
    image = _open(data)
    try:
        frame = _pixels(image, animated=False)
    except (OSError, ValueError, SyntaxError, EOFError):
        raise ImageRefused(_("The image is damaged or incomplete.")) from None
    square = ImageOps.fit(frame, (AVATAR_SIDE, AVATAR_SIDE), Image.Resampling.LANCZOS)
    output = io.BytesIO()
    image_format = "PNG" if square.mode == "RGBA" else "JPEG"
    square.save(output, format=image_format,
                **({"quality": 88, "optimize": True} if image_format == "JPEG" else {}))
    content_type, extension = FORMATS[image_format]
    return Encoded(output.getvalue(), content_type, extension, AVATAR_SIDE, AVATAR_SIDE)
