"""Helpers shared by the API tests (this module holds no tests of its own)."""

import base64
from typing import Any

from app import db
from app.models import Comment, Post, User
from tests.base import FlaskyTestCase

API = "/api/v1"


def basic(username: str, password: str = "") -> dict[str, str]:
    credentials = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {credentials}", "Accept": "application/json"}


class ApiTestCase(FlaskyTestCase):
    """The test client, with callers that authenticate by password or token."""

    def headers_for(self, user: User) -> dict[str, str]:
        return basic(user.email, self.password)

    def token_for(self, user: User) -> str:
        response = self.client.post(f"{API}/tokens/", headers=self.headers_for(user))
        self.assertEqual(response.status_code, 200, response.json)
        return response.json["token"]

    def call(self, method: str, path: str, user: User | None = None,
             headers: dict[str, str] | None = None, **kwargs: Any):
        if headers is None:
            headers = self.headers_for(user) if user is not None else {}
        return self.client.open(f"{API}{path}", method=method, headers=headers, **kwargs)

    def write_post(self, author: User, body: str = "A post", **fields: Any) -> Post:
        post = Post(body=body, author=author, **fields)
        db.session.add(post)
        db.session.commit()
        return post

    def write_comment(self, author: User, post: Post, body: str = "A comment",
                      **fields: Any) -> Comment:
        comment = Comment(body=body, author=author, post=post, **fields)
        db.session.add(comment)
        db.session.commit()
        return comment

    def assertError(self, response, status: int, message_part: str = "") -> None:
        self.assertEqual(response.status_code, status, response.data[:300])
        self.assertEqual(response.mimetype, "application/json")
        self.assertEqual(set(response.json), {"error", "message"})
        self.assertIn(message_part, response.json["message"])
