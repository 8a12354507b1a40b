"""People: profiles, their posts and timelines, and following."""

from flask import abort

from app.access import acting_user
from app.api import bp
from app.api.serializers import page_to_json, posts_to_json, user_to_json, users_to_json
from app.database import committed
from app.decorators import permission_required
from app.extensions import db
from app.loading import get_or_404
from app.models import Follow, Permission, Post, User
from app.queries import all_users, followed_by, followed_posts, followers_of, user_posts
from app.security.rate_limits import following_limit
from app.social.blocking import follow_refusal
from app.social.visibility import timeline, without_hidden


def _followers_to_json(follows: list[Follow]) -> list[dict]:
    return users_to_json([follow.follower for follow in follows])


def _followed_to_json(follows: list[Follow]) -> list[dict]:
    return users_to_json([follow.followed for follow in follows])


@bp.get("/users/")
def get_users():
    return page_to_json(all_users(), "users", users_to_json, "FLASKY_FOLLOWERS_PER_PAGE")


@bp.get("/users/<int:id>")
def get_user(id: int):
    return user_to_json(get_or_404(User, id))


@bp.get("/users/<int:id>/posts/")
def get_user_posts(id: int):
    posts = without_hidden(user_posts(get_or_404(User, id)), Post.author_id, acting_user(),
                           muted_too=False)
    return page_to_json(posts, "posts", posts_to_json)


@bp.get("/users/<int:id>/timeline/")
def get_user_timeline(id: int):
    return page_to_json(timeline(followed_posts(get_or_404(User, id)), acting_user()), "posts",
                        posts_to_json)


@bp.get("/users/<int:id>/followers/")
def get_user_followers(id: int):
    return page_to_json(followers_of(get_or_404(User, id)), "users", _followers_to_json,
                     "FLASKY_FOLLOWERS_PER_PAGE")


@bp.get("/users/<int:id>/following/")
def get_user_following(id: int):
    return page_to_json(followed_by(get_or_404(User, id)), "users", _followed_to_json,
                     "FLASKY_FOLLOWERS_PER_PAGE")


@bp.post("/users/<int:id>/follow")
@permission_required(Permission.FOLLOW)
@following_limit
def follow_user(id: int):
    user = get_or_404(User, id)
    if user.id == acting_user().id:
        abort(400, "you cannot follow yourself")
    refusal = follow_refusal(acting_user(), user)
    if refusal is not None:
        abort(403, refusal)
    if acting_user().follow(user):
        committed()  # False: a concurrent request followed first, which is the same
    return "", 204


@bp.delete("/users/<int:id>/follow")
@permission_required(Permission.FOLLOW)
@following_limit
def unfollow_user(id: int):
    acting_user().unfollow(get_or_404(User, id))
    db.session.commit()
    return "", 204
