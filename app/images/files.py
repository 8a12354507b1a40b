"""Image files in step with the rows that name them.

Files are written before the transaction that names them commits (the view
must know the upload is good before it saves the post). So each new file is
noted on the session: a rollback deletes it, leaving no orphan. A file whose
row is deleted (a post's image, with the post) or replaced (an avatar) is
deleted once that commit succeeds, never before: a rollback keeps it.
"""

from typing import Any

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, object_session

from app.extensions import db
from app.images.processing import Encoded
from app.images.storage import image_storage, new_name
from app.models import PostImage

_WRITTEN = "flasky_image_files_written"
_RELEASED = "flasky_image_files_released"


def store(encoded: Encoded) -> str:
    """Write ``encoded`` under a new name, deleted again unless the session commits."""
    name = new_name(encoded.extension)
    db.session.info.setdefault(_WRITTEN, []).append(name)
    image_storage().save(name, encoded.data, encoded.content_type)
    return name


def release(*names: str | None) -> None:
    """Delete these files once the session's transaction commits."""
    db.session.info.setdefault(_RELEASED, []).extend(name for name in names if name)


def _delete(names: list[str]) -> None:
    if not names or not current_app:
        return
    storage = image_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # the row is gone either way; a stray file is only disk space
            current_app.logger.exception("Could not delete image file %s", name)


def _note_deleted_row(mapper: Any, connection: Any, image: PostImage) -> None:
    """Every deleted image row, with its post or as an orphan taken off it."""
    session = object_session(image)
    if session is not None:
        session.info.setdefault(_RELEASED, []).extend(image.file_names)


def _after_commit(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
    _delete(session.info.pop(_RELEASED, []))


def _after_rollback(session: Session) -> None:
    session.info.pop(_RELEASED, None)
    _delete(session.info.pop(_WRITTEN, []))


def keep_files_in_step() -> None:
    if event.contains(PostImage, "after_delete", _note_deleted_row):
        return
    event.listen(PostImage, "after_delete", _note_deleted_row)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _after_rollback)
