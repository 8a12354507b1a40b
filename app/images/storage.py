"""Where image files live: a small interface, and local disk by default.

A store keeps bytes under a name Flasky chose (random, with the format's
extension: never a name from the upload). ``LocalStorage`` writes them under
FLASKY_UPLOADS_DIR (default: ``uploads`` in the instance folder), each file
written whole to a temporary name first and then renamed, so a reader never
sees half a file. Another store (an S3-compatible bucket, say) implements the
same three methods and is named in FLASKY_IMAGE_STORAGE (docs/writing.md).
"""

import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app
from werkzeug.utils import import_string

NAME = re.compile(r"[A-Za-z0-9_-]{16,64}\.(?:jpg|png|webp|gif)")
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp",
                 "gif": "image/gif"}


class ImageStorage(Protocol):
    def save(self, name: str, data: bytes, content_type: str) -> None: ...

    def load(self, name: str) -> bytes | None:
        """The file's bytes, or None when there is none by that name."""

    def delete(self, name: str) -> None:
        """Remove the file; nothing happens when it is already gone."""


class LocalStorage:
    def __init__(self, app: Flask) -> None:
        self.root = Path(app.config["FLASKY_UPLOADS_DIR"]
                         or os.path.join(app.instance_path, "uploads"))

    def _path(self, name: str) -> Path:
        if not NAME.fullmatch(name):
            raise ValueError(f"not an image name: {name!r}")
        return self.root / name[:2] / name

    def save(self, name: str, data: bytes, content_type: str) -> None:
        path = self._path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def load(self, name: str) -> bytes | None:
        try:
            return self._path(name).read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)


def new_name(extension: str) -> str:
    return f"{secrets.token_urlsafe(18)}.{extension}"


def image_storage() -> ImageStorage:
    """This app's store, made once from FLASKY_IMAGE_STORAGE (a class taking the app)."""
    store = current_app.extensions.get("flasky_image_storage")
    if store is None:
        store = import_string(current_app.config["FLASKY_IMAGE_STORAGE"])(current_app)
        current_app.extensions["flasky_image_storage"] = store
    return store
