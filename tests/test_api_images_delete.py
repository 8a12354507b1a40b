"""Removing a post's image through the API: whoever may edit the post (app/access.py),
with the image's files deleted once the removal commits, as on the edit page."""

import base64
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from app import db
from app.models import Post, PostImage
from tests import images
from tests.test_api_base import ApiTestCase


def _refuse_image_deletes(conn, cursor, statement, parameters, context, executemany):
    if statement.lstrip().upper().startswith("DELETE FROM POST_IMAGES"):
        raise OperationalError(statement, parameters, Exception("the database is unavailable"))


class DeleteImageApiTestCase(ApiTestCase):
    def setUp(self) -> None:
        self.uploads = tempfile.mkdtemp(prefix="flasky-images-test-")
        self.config = {"FLASKY_UPLOADS_DIR": self.uploads}
        super().setUp()
        self.john = self.create_user("john")
        self.post = self.write_post(self.john, "Pictures")
        self.first, self.second = (self.add_image(self.post, alt) for alt in ("One", "Two"))

    def tearDown(self) -> None:
        super().tearDown()
        shutil.rmtree(self.uploads, ignore_errors=True)

    def add_image(self, post: Post, alt_text: str) -> dict:
        data = base64.b64encode(images.png(40, 30, "RGB")).decode()
        response = self.call("POST", f"/posts/{post.id}/images/", self.john,
                             json={"data": data, "alt_text": alt_text})
        self.assertEqual(response.status_code, 201, response.json)
        return response.json

    def files(self) -> set[str]:
        return {path.name for path in Path(self.uploads).rglob("*") if path.is_file()}

    def remove(self, image_id: int, user=None):
        return self.call("DELETE", f"/posts/{self.post.id}/images/{image_id}",
                         user or self.john)

    def test_the_author_removes_an_image_and_its_files(self):
        self.assertEqual(len(self.files()), 4)
        self.assertEqual(self.remove(self.first["id"]).status_code, 204)
        post = self.call("GET", f"/posts/{self.post.id}", self.john).json
        self.assertEqual(post["images"], [self.second])
        self.assertEqual(len(self.files()), 2)
        for url in (self.first["url"], self.first["thumbnail_url"]):
            self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get(self.second["url"]).status_code, 200)
        db.session.expire_all()
        self.assertEqual([image.position for image in self.post.images], [0])
        self.assertError(self.remove(self.first["id"]), 404, "no such image")

    def test_an_administrator_may_a_moderator_or_another_person_may_not(self):
        moderator = self.create_user("moderator", role="Moderator")
        mary = self.create_user("mary")
        for user in (moderator, mary):
            with self.subTest(user=user.username):
                self.assertError(self.remove(self.first["id"], user), 403,
                                 "only the author or an administrator")
        self.assertEqual(len(self.files()), 4)
        admin = self.create_user("admin", role="Administrator")
        self.assertEqual(self.remove(self.first["id"], admin).status_code, 204)
        self.assertEqual(len(self.files()), 2)

    def test_an_image_of_another_post_or_of_nobody_is_404(self):
        other = self.write_post(self.john, "More pictures")
        theirs = self.add_image(other, "Three")
        self.assertError(self.remove(theirs["id"]), 404, "no such image on this post")
        self.assertError(self.remove(999), 404, "no such image on this post")
        self.assertError(self.call("DELETE", f"/posts/999/images/{self.first['id']}",
                                   self.john), 404, "no such post")
        self.assertEqual(db.session.scalar(db.select(db.func.count()).select_from(PostImage)),
                         3)
        self.assertEqual(len(self.files()), 6)

    def test_someone_elses_draft_is_404(self):
        self.post.draft = True
        db.session.commit()
        admin = self.create_user("admin", role="Administrator")
        self.assertError(self.remove(self.first["id"], admin), 404, "no such post")
        self.assertEqual(len(self.files()), 4)

    def test_a_removal_that_fails_to_commit_keeps_the_row_and_its_files(self):
        event.listen(db.engine, "before_cursor_execute", _refuse_image_deletes)
        try:
            with self.assertLogs(self.app.logger, "ERROR"):
                response = self.remove(self.first["id"])
        finally:
            event.remove(db.engine, "before_cursor_execute", _refuse_image_deletes)
        self.assertError(response, 503)
        self.assertEqual(len(self.files()), 4)
        self.assertEqual(self.client.get(self.first["url"]).status_code, 200)
        self.assertEqual(self.remove(self.first["id"]).status_code, 204)
        self.assertEqual(len(self.files()), 2)
