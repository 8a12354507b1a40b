"""A post's images: added one a request, in base64 JSON (the pages take files),
and removed one a request; a removed image's files go once the removal commits
(app/images/files.py), as on the edit page."""

from flask import abort

from app.access import can_edit_post, require
from app.api import bp
from app.api.forms import image_from_json, json_body
from app.api.serializers import image_to_json
from app.extensions import db
from app.images.posts import attach_images, remove_images
from app.loading import get_shown_post_or_404
from app.models import PostImage
from app.security.rate_limits import editing_limit


@bp.post("/posts/<int:id>/images/")
@editing_limit
def new_post_image(id: int):
    post = get_shown_post_or_404(id)
    require(can_edit_post(post), "only the author or an administrator may add images")
    if len(post.images) >= PostImage.MAX_PER_POST:
        abort(400, f"a post may have at most {PostImage.MAX_PER_POST} images")
    attach_images(post, [image_from_json(json_body())])
    db.session.commit()
    image = post.images[-1]
    return image_to_json(image), 201, {"Location": image_to_json(image)["url"]}


@bp.delete("/posts/<int:id>/images/<int:image_id>")
def delete_post_image(id: int, image_id: int):
    post = get_shown_post_or_404(id)
    require(can_edit_post(post), "only the author or an administrator may remove images")
    if image_id not in {image.id for image in post.images}:
        abort(404, "There is no such image on this post.")
    remove_images(post, {image_id})
    db.session.commit()
    return "", 204
