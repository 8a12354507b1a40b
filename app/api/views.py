"""API v1 endpoints (placeholders until the API lands; see SPEC section 5)."""

from flask import abort

from app.api import bp


@bp.route("/users/<int:id>")
def get_user(id: int):
    abort(404)


@bp.route("/users/<int:id>/posts/")
def get_user_posts(id: int):
    abort(404)


@bp.route("/users/<int:id>/timeline/")
def get_user_timeline(id: int):
    abort(404)


@bp.route("/posts/<int:id>")
def get_post(id: int):
    abort(404)


@bp.route("/posts/<int:id>/comments/")
def get_post_comments(id: int):
    abort(404)


@bp.route("/comments/<int:id>")
def get_comment(id: int):
    abort(404)
