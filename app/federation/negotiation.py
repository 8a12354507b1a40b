"""One URL, one kind of answer: a profile or post page asked for as
ActivityStreams is redirected to its actor or Note document, before the page
cache is consulted, so neither the cache nor the view ever gives a federation
client a page (or a browser a document). Actor and Note URLs are never cached."""

from flask import current_app, redirect, request, url_for
from werkzeug.wrappers import Response

from app.federation.accounts import is_remote_name
from app.federation.responses import wants_activity_json

DOCUMENTS = {"main.user": ("federation.actor", "username"), "main.post": ("federation.note", "id")}


def send_federation_clients_to_documents() -> Response | None:
    target = DOCUMENTS.get(request.endpoint or "")
    if target is None or request.method != "GET" or not wants_activity_json():
        return None
    if not current_app.config["FLASKY_FEDERATION"]:
        return None
    endpoint, argument = target
    value = (request.view_args or {}).get(argument)
    if value is None or (argument == "username" and is_remote_name(str(value))):
        return None
    return redirect(url_for(endpoint, **{argument: value}), code=303)
