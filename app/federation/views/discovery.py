"""How other servers find Flasky's people: WebFinger, NodeInfo and host-meta."""

from importlib import metadata

from flask import Response, request
from sqlalchemy import func, select

from app.extensions import db
from app.federation import bp
from app.federation.accounts import local_user, local_users_count
from app.federation.addresses import ACTIVITY_JSON, absolute, actor_uri, site_host
from app.federation.responses import activity_response, refuse
from app.models import Post, RemoteActor
from app.social.suspensions import is_suspended

NODEINFO_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/2.1"


def _username_of(resource: str) -> str | None:
    """The local username a WebFinger resource names: ``acct:name@host`` (this
    host) or the URL of the actor or profile page."""
    if resource.startswith("acct:"):
        name, _, host = resource[5:].lstrip("@").rpartition("@")
        return name if name and host.lower() == site_host() else None
    for endpoint in ("federation.actor", "main.user"):
        prefix = absolute(endpoint, username="_").rstrip("_")
        if resource.startswith(prefix) and "/" not in resource[len(prefix):]:
            return resource[len(prefix):] or None
    return None


@bp.route("/.well-known/webfinger")
def webfinger() -> Response:
    resource = request.args.get("resource", "")
    if not resource or len(resource) > 500:
        refuse(400, "Give the account as ?resource=acct:name@host.")
    username = _username_of(resource)
    user = local_user(username) if username else None
    if user is None or not user.confirmed or is_suspended(user):
        refuse(404, "No such account here.")
    document = {
        "subject": f"acct:{user.username}@{site_host()}",
        "aliases": [actor_uri(user), absolute("main.user", username=user.username)],
        "links": [
            {"rel": "self", "type": ACTIVITY_JSON, "href": actor_uri(user)},
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html",
             "href": absolute("main.user", username=user.username)},
        ],
    }
    return activity_response(document, mimetype="application/jrd+json")


@bp.route("/.well-known/nodeinfo")
def nodeinfo_links() -> Response:
    return activity_response({"links": [{"rel": NODEINFO_SCHEMA,
                                         "href": absolute("federation.nodeinfo")}]},
                             mimetype="application/json")


@bp.route("/nodeinfo/2.1")
def nodeinfo() -> Response:
    remote = select(RemoteActor.user_id)
    posts = db.session.scalar(select(func.count(Post.id)).where(
        Post.published(), Post.author_id.not_in(remote))) or 0
    document = {
        "version": "2.1",
        "software": {"name": "flasky", "version": metadata.version("flasky"),
                     "homepage": absolute("main.index")},
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": ["atom1.0"]},
        "openRegistrations": True,
        "usage": {"users": {"total": local_users_count()}, "localPosts": posts},
        "metadata": {"nodeName": "Flasky"},
    }
    return activity_response(document, mimetype=f'application/json; profile="{NODEINFO_SCHEMA}#"')


@bp.route("/.well-known/host-meta")
def host_meta() -> Response:
    template = absolute("federation.webfinger") + "?resource={uri}"
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n'
            f'  <Link rel="lrdd" type="application/xrd+xml" template="{template}"/>\n'
            '</XRD>\n')
    return Response(body, mimetype="application/xrd+xml")


@bp.app_template_global("fediverse_handle")
def fediverse_handle(user) -> str:
    """How people elsewhere write a local user: ``@name@host``."""
    return f"@{user.username}@{site_host()}"
