"""Images people upload: a post's pictures and avatars.

``processing`` decodes every upload with Pillow and writes a new file from the
pixels alone (metadata such as EXIF GPS is never copied, the orientation is
applied, the size bounded), refusing anything that is not one of the formats
or costs too much to decode; ``storage`` keeps the files (local disk under the
instance folder by default, behind a small interface another store can
implement; docs/writing.md); ``files`` ties the files to the transaction, so a
post that fails to save leaves no file behind and a deleted one takes its
files along.
"""

from flask import Flask

from app.images.files import keep_files_in_step


def init_images(app: Flask) -> None:
    keep_files_in_step()
