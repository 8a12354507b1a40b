"""Tags: the posts filed under one."""

from app.api import bp
from app.api.serializers import page_to_json, posts_to_json
from app.loading import get_tag_or_404
from app.models import Post
from app.queries import tag_posts
from app.social.visibility import without_hidden


@bp.get("/tags/<name>/posts/")
def get_tag_posts(name: str):
    posts = without_hidden(tag_posts(get_tag_or_404(name)), Post.author_id, None)
    return page_to_json(posts, "posts", posts_to_json)
