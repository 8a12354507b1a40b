"""Atom feeds: the whole site, one person, one tag (app/feeds.py builds them)."""

from flask import redirect, url_for

from app import queries
from app.feeds import Feed, feed_response
from app.loading import get_tag_or_404, get_user_or_404
from app.main import bp
from app.models import Post
from app.social.visibility import without_hidden


def _public(posts):
    """What a feed may carry: nobody's posts while their account is suspended."""
    return without_hidden(posts, Post.author_id, None)


@bp.route("/feed.atom")
def site_feed():
    feed = Feed("Flasky: newest posts", url_for(".index", _external=True),
                url_for(".site_feed", _external=True))
    return feed_response(feed, _public(queries.all_posts()))


@bp.route("/user/<username>/feed.atom")
def user_feed(username: str):
    user = get_user_or_404(username)
    feed = Feed(f"Posts by {user.username} on Flasky",
                url_for(".user", username=user.username, _external=True),
                url_for(".user_feed", username=user.username, _external=True))
    return feed_response(feed, _public(queries.user_posts(user)))


@bp.route("/tag/<name>/feed.atom")
def tag_feed(name: str):
    tag = get_tag_or_404(name)
    if name != tag.key:
        return redirect(url_for(".tag_feed", name=tag.key), 301)
    feed = Feed(f"Posts tagged #{tag.name} on Flasky", url_for(".tag", name=tag.key,
                                                                _external=True),
                url_for(".tag_feed", name=tag.key, _external=True))
    return feed_response(feed, _public(queries.tag_posts(tag)))
