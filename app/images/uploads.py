"""Requests that may carry images get a larger body allowance than the rest.

Every other request keeps MAX_CONTENT_LENGTH (1 MiB). The allowance is set by
endpoint on the request itself, so it holds before anything reads the body,
CSRFProtect included (it reads the form ahead of the view).
"""

from flask import Request, current_app

from app.images.processing import MAX_BYTES
from app.models import PostImage

# The pages whose forms take images, with room for the form's other fields, and the
# API's one image a request, in base64 (4 characters for 3 bytes) within its JSON.
PAGE_ALLOWANCE = PostImage.MAX_PER_POST * MAX_BYTES + 1024 * 1024
API_IMAGE_ALLOWANCE = MAX_BYTES * 4 // 3 + 64 * 1024
UPLOAD_ALLOWANCES = {"main.index": PAGE_ALLOWANCE, "main.edit": PAGE_ALLOWANCE,
                     "main.edit_profile": PAGE_ALLOWANCE,
                     "api.new_post_image": API_IMAGE_ALLOWANCE}


class UploadAllowanceRequest(Request):
    @property
    def max_content_length(self) -> int | None:
        allowance = UPLOAD_ALLOWANCES.get(self.endpoint or "")
        if self._max_content_length is None and current_app and allowance:
            return max(allowance, current_app.config["MAX_CONTENT_LENGTH"])
        return Request.max_content_length.fget(self)

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value
