"""Actor documents, their collections, and posts as Notes."""

from flask import Response, abort, redirect, request, url_for
from sqlalchemy import select

from app.extensions import db
from app.federation import bp
from app.federation.accounts import is_remote_name, local_user, remote_actor_of
from app.federation.addresses import absolute, actor_uri, followers_uri, post_uri
from app.federation.documents import (
    activity,
    actor_document,
    collection,
    comment_note,
    note_document,
    site_actor_document,
)
from app.federation.responses import activity_response, wants_activity_json
from app.models import Comment, Follow, Post, Reaction, RemoteObject, User
from app.pagination import page_number, paginate
from app.social.suspensions import is_suspended

PER_PAGE = 20


def local_user_or_404(username: str) -> User:
    user = local_user(username)
    if user is None or is_suspended(user) or not user.confirmed:
        abort(404)
    return user


@bp.route("/federation/actor")
def site_actor() -> Response:
    return activity_response(site_actor_document())


@bp.route("/federation/outbox")
def site_outbox() -> Response:
    return activity_response(collection(absolute("federation.site_outbox"), 0))


@bp.route("/federation/users/<username>")
def actor(username: str) -> Response:
    user = local_user_or_404(username)
    if not wants_activity_json() and "text/html" in request.headers.get("Accept", ""):
        return redirect(url_for("main.user", username=user.username))
    response = activity_response(actor_document(user))
    db.session.commit()  # the key pair, made on the first request for it
    return response


def _paged(uri: str, query, to_item) -> Response:
    if "page" not in request.args:
        total = db.session.scalar(query.with_only_columns(db.func.count()).order_by(None))
        return activity_response(collection(uri, total or 0))
    page = paginate(query, page=page_number(), per_page=PER_PAGE)
    return activity_response(collection(uri, page.total, page.page,
                                        [to_item(row) for row in page.items], page.has_next))


def _create(post: Post) -> dict:
    return activity("Create", actor_uri(post.author), note_document(post),
                    post_uri(post) + "#create")


@bp.route("/federation/users/<username>/outbox")
def outbox(username: str) -> Response:
    user = local_user_or_404(username)
    query = (select(Post).where(Post.author_id == user.id, Post.published())
             .order_by(Post.timestamp.desc(), Post.id.desc()))
    return _paged(absolute("federation.outbox", username=user.username), query, _create)


def _people_uri(user: User) -> str:
    actor = remote_actor_of(user) if is_remote_name(user.username) else None
    return actor.uri if actor is not None else actor_uri(user)


@bp.route("/federation/users/<username>/followers")
def followers(username: str) -> Response:
    user = local_user_or_404(username)
    query = (select(User).join(Follow, Follow.follower_id == User.id)
             .where(Follow.followed_id == user.id).order_by(Follow.timestamp.desc()))
    return _paged(followers_uri(user), query, _people_uri)


@bp.route("/federation/users/<username>/following")
def following(username: str) -> Response:
    user = local_user_or_404(username)
    query = (select(User).join(Follow, Follow.followed_id == User.id)
             .where(Follow.follower_id == user.id).order_by(Follow.timestamp.desc()))
    return _paged(absolute("federation.following", username=user.username), query, _people_uri)


def _readable_post(post: Post | None) -> Post:
    if (post is None or post.draft or is_remote_name(post.author.username)
            or is_suspended(post.author)):
        abort(404)
    return post


@bp.route("/federation/posts/<int:id>")
def note(id: int) -> Response:
    post = _readable_post(db.session.get(Post, id))
    if not wants_activity_json() and "text/html" in request.headers.get("Accept", ""):
        return redirect(url_for("main.post", id=post.id))
    return activity_response(note_document(post))


@bp.route("/federation/comments/<int:id>", endpoint="comment_note")
def comment_note_view(id: int) -> Response:
    comment = db.session.get(Comment, id)
    if comment is None or comment.disabled or is_remote_name(comment.author.username):
        abort(404)
    post = db.session.get(Post, comment.post_id)
    mirrored = db.session.scalar(select(RemoteObject).where(RemoteObject.post_id == post.id))
    in_reply_to = mirrored.uri if mirrored is not None else post_uri(post)
    author = remote_actor_of(post.author_id)
    recipient = author.uri if author is not None else actor_uri(post.author)
    return activity_response(comment_note(comment, in_reply_to, recipient))



@bp.app_template_global("fediverse_reactions")
def fediverse_reactions(post: Post) -> dict[str, int]:
    """How many remote accounts liked and boosted ``post`` (one query)."""
    counts = dict(db.session.execute(
        select(Reaction.kind, db.func.count(Reaction.id)).where(Reaction.post_id == post.id)
        .group_by(Reaction.kind)).all())
    return {Reaction.LIKE: counts.get(Reaction.LIKE, 0),
            Reaction.ANNOUNCE: counts.get(Reaction.ANNOUNCE, 0)}
