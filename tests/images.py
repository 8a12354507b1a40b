"""Image files made with Pillow for the tests: good ones in every format, and
the bad ones people (or attackers) upload."""

import io

from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112
ROTATED_90 = 6  # EXIF: the camera was turned; the pixels must be turned back


def encoded(image: Image.Image, image_format: str, **options) -> bytes:
    output = io.BytesIO()
    image.save(output, format=image_format, **options)
    return output.getvalue()


def camera_jpeg(width: int = 3000, height: int = 1000) -> bytes:
    """A wide JPEG as a phone writes it: GPS position and a 90° orientation."""
    exif = Image.Exif()
    exif[ORIENTATION] = ROTATED_90
    exif[0x010F] = "Phone maker"
    exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)}
    return encoded(Image.new("RGB", (width, height), (180, 40, 40)), "JPEG",
                   exif=exif.tobytes())


def png(width: int = 300, height: int = 200, mode: str = "RGBA") -> bytes:
    return encoded(Image.new(mode, (width, height), (10, 120, 200, 128)[:len(mode)]), "PNG")


def webp() -> bytes:
    return encoded(Image.new("RGB", (640, 480), (0, 200, 0)), "WEBP")


def animated_gif(frames: int) -> bytes:
    """``frames`` frames, each a colour of its own (GIF merges identical ones)."""
    images = [Image.new("RGB", (20, 20), (index % 256, index // 256 * 60, 90))
              for index in range(frames)]
    return encoded(images[0], "GIF", save_all=True, append_images=images[1:], duration=50,
                   loop=0)


def decompression_bomb() -> bytes:
    """A few hundred KB that would decode to 50,000 x 50,000 pixels."""
    return encoded(Image.new("1", (50_000, 50_000)), "PNG")


def truncated_jpeg() -> bytes:
    data = encoded(Image.effect_noise((800, 600), 64).convert("RGB"), "JPEG")
    return data[:len(data) // 2]


NOT_IMAGES = {
    "script.jpg": b"#!/bin/sh\nrm -rf /\n",
    "drawing.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "page.png": b"<!doctype html><html><body><img src=x onerror=alert(1)></body></html>",
}
