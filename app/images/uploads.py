"""Requests that may carry images get a larger body allowance than the rest.

Every other request keeps MAX_CONTENT_LENGTH (1 MiB). The allowance is set by
endpoint on the request itself, so it holds before anything reads the body,
CSRFProtect included (it reads the form ahead of the view).
"""

from flask import Request, current_app

from app.images.processing import MAX_BYTES
from app.models import PostImage

# The pages whose forms take images, and room for the form's other fields.
UPLOAD_ENDPOINTS = frozenset({"main.index", "main.edit", "main.edit_profile"})
UPLOAD_MAX_CONTENT_LENGTH = PostImage.MAX_PER_POST * MAX_BYTES + 1024 * 1024


class UploadAllowanceRequest(Request):
    @property
    def max_content_length(self) -> int | None:
        if (self._max_content_length is None and current_app
                and self.endpoint in UPLOAD_ENDPOINTS):
            return max(UPLOAD_MAX_CONTENT_LENGTH, current_app.config["MAX_CONTENT_LENGTH"])
        return Request.max_content_length.fget(self)

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value
