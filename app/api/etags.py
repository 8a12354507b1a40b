"""ETags on the API's answers to GET, and 304 when the client already has them.

(HTML pages carry a fresh CSP nonce each time, so a 304 would pair an old
body with a new policy; they get no ETag.)
"""

from flask import Response, request


def conditional_api_response(response: Response) -> Response:
    if (request.method == "GET" and request.blueprint == "api"
            and response.status_code == 200 and response.mimetype == "application/json"
            and not response.direct_passthrough):
        response.add_etag()
        response.make_conditional(request)
    return response
