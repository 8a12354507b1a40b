"""Tags: the posts filed under one."""

from app.api import bp
from app.api.serializers import page_to_json, posts_to_json
from app.loading import get_tag_or_404
from app.queries import tag_posts


@bp.get("/tags/<name>/posts/")
def get_tag_posts(name: str):
    return page_to_json(tag_posts(get_tag_or_404(name)), "posts", posts_to_json)
