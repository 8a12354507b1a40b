from flask import Blueprint

bp = Blueprint("main", __name__)

from app.main import access, admin, errors, moderation, posts, profiles, views  # noqa: E402, F401
