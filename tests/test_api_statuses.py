"""Crafted requests to every API route: each answers a status that the OpenAPI
document lists for that operation, with the headers it promises.

The routes come from the app's URL map, not from the document, so a route or
a method the document forgets fails here as well. The abuse limits are on,
at their production values.
"""

import base64
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from app import db
from app.api.openapi import DOCUMENT
from app.database import LARGEST_ID
from app.images.uploads import UPLOAD_ALLOWANCES
from app.models import Message
from tests.images import png
from tests.production_limits import ProductionLimitsTestCase, address
from tests.test_api_base import API, basic

AUTOMATIC_METHODS = {"HEAD", "OPTIONS"}
# The object each kind of {id} names in the test data (exports: the
# administrator's export job).
EXISTING = {"users": 2, "posts": 1, "comments": 1, "exports": 1, "messages": 1}
EXISTING_TAG = "probe"  # the {name} of /tags/{name}/: the test post's tag
EXISTING_IMAGE = 1  # the {image_id} of /posts/{id}/images/{image_id}: the test post's image
BODIES = {"PostBody": {"body": "A *probe*"}, "CommentBody": {"body": "A probe"},
          "MessageBody": {"body": "A probe"},
          "Moderation": {"disabled": True},
          "ReportBody": {"kind": "post", "id": 1, "reason": "spam"},
          "ImageBody": {"data": base64.b64encode(png(8, 8, "RGB")).decode(),
                        "alt_text": "A probe"}}
# The views with a rate limit of their own, besides the failed-authentication one.
LIMITED = {"issue_token", "new_post", "new_post_comment", "edit_post", "follow_user",
           "send_message", "unfollow_user", "new_post_image", "block_user", "unblock_user",
           "mute_user", "unmute_user", "new_report"}


class Route(NamedTuple):
    method: str
    path: str  # as the document writes it, e.g. /posts/{id}
    endpoint: str

    def url(self, id: Any = None) -> str:
        if id is None and "{id}" in self.path:
            id = EXISTING[self.path.split("/")[1]]
        return (self.path.replace("{id}", str(id)).replace("{name}", EXISTING_TAG)
                .replace("{image_id}", str(EXISTING_IMAGE)))

    @property
    def operation(self) -> dict[str, Any] | None:
        return DOCUMENT["paths"].get(self.path, {}).get(self.method.lower())

    @property
    def public(self) -> bool:
        return self.operation is not None and self.operation.get("security") == []

    @property
    def body(self) -> dict[str, Any] | None:
        schema = (self.operation or {}).get("requestBody", {}).get("content", {}).get(
            "application/json", {}).get("schema", {})
        return BODIES.get(schema.get("$ref", "").split("/")[-1])


def api_routes(app) -> list[Route]:
    """Every route and method of the api blueprint, writes before deletions."""
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule.rule[len(API):])
            routes += [Route(method, path, rule.endpoint.removeprefix("api."))
                       for method in rule.methods - AUTOMATIC_METHODS]
    return sorted(routes, key=lambda route: (route.method == "DELETE", route.path, route.method))


def _refuse(conn, cursor, statement, parameters, context, executemany) -> None:
    raise OperationalError(statement, parameters, Exception("the database is unavailable"))


@contextmanager
def database_unavailable() -> Iterator[None]:
    """Every statement fails as the driver fails when the server is down."""
    event.listen(db.engine, "before_cursor_execute", _refuse)
    try:
        yield
    finally:
        event.remove(db.engine, "before_cursor_execute", _refuse)


class ApiStatusesTestCase(ProductionLimitsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.admin = self.create_user("admin", role="Administrator")
        self.john = self.create_user("john")
        self.susan = self.create_user("susan", confirmed=False)
        self.write_comment(self.john, self.write_post(self.john, f"A post #{EXISTING_TAG}"))
        db.session.add(Message(sender=self.admin, recipient=self.john, body="A message"))
        db.session.commit()
        self.admin_headers = self.headers_for(self.admin)
        image = self.call("POST", "/posts/1/images/", headers=self.admin_headers,
                          json=BODIES["ImageBody"])
        self.assertEqual(image.json["id"], EXISTING_IMAGE)
        export = self.call("POST", "/exports/", headers=self.admin_headers)
        self.assertTrue(export.headers["Location"].endswith(f"/exports/{EXISTING['exports']}"))
        self.routes = api_routes(self.app)
        self.assertTrue(self.routes)
        self.clients = 0

    # -- helpers -------------------------------------------------------------

    def send(self, route: Route, headers: dict[str, str] | None = None, id: Any = None,
             query: str = "", client: int | None = None, **kwargs: Any):
        """``route`` called by the administrator (unless ``headers`` say otherwise),
        with a valid body, from an address of its own unless ``client`` names one."""
        if client is None:
            self.clients += 1
            client = self.clients
        if route.body is not None and not {"json", "data"} & set(kwargs):
            kwargs["json"] = route.body
        return self.call(route.method, route.url(id) + query,
                         headers=self.admin_headers if headers is None else headers,
                         environ_overrides=address(client), **kwargs)

    def assertListed(self, route: Route, response, status: int | None = None) -> None:
        """``response`` has a status the operation lists (``status``, if given),
        the headers the document promises for it, and its error shape."""
        answered = response.status_code
        if status is not None:
            self.assertEqual(answered, status, f"{route}: {response.data[:200]}")
        operation = route.operation
        self.assertIsNotNone(operation, f"{route} is not in the document")
        described = operation["responses"].get(str(answered))
        self.assertIsNotNone(described, f"{route} answered {answered}, which the document "
                                        f"does not list ({', '.join(operation['responses'])})")
        for name, header in described.get("headers", {}).items():
            if header.get("required"):
                self.assertIn(name, response.headers, f"{route} {answered}")
        schema = described.get("content", {}).get("application/json", {}).get("schema", {})
        if schema.get("$ref", "").endswith("/Error"):
            self.assertEqual(set(response.json), {"error", "message"}, f"{route} {answered}")

    def each_route(self, select=lambda route: True) -> Iterator[Route]:
        return (route for route in self.routes if select(route))

    def on(self, route: Route):
        return self.subTest(method=route.method, path=route.path)

    # -- tests ---------------------------------------------------------------

    def test_every_api_route_and_method_is_an_operation(self):
        for route in self.each_route():
            with self.on(route):
                self.assertIsNotNone(route.operation)
                self.assertEqual(route.operation["operationId"], route.endpoint)

    def test_no_credentials_answer_401(self):
        for route in self.each_route():
            with self.on(route):
                self.assertListed(route, self.send(route, headers={}),
                                  200 if route.public else 401)

    def test_an_unconfirmed_account_answers_403(self):
        unconfirmed = self.headers_for(self.susan)
        for route in self.each_route(lambda route: not route.public):
            with self.on(route):
                self.assertListed(route, self.send(route, headers=unconfirmed), 403)

    def test_a_caller_without_permission_gets_listed_answers(self):
        mary = self.headers_for(self.create_user("mary"))
        for route in self.each_route():
            with self.on(route):
                self.assertListed(route, self.send(route, headers=mary))

    def test_unknown_ids_and_ids_beyond_the_route_bound_answer_404(self):
        for route in self.each_route(lambda route: "{id}" in route.path):
            for id in (999_999, LARGEST_ID + 1, -1, "abc"):
                with self.on(route), self.subTest(id=id):
                    self.assertListed(route, self.send(route, id=id), 404)

    def test_a_body_that_is_not_json_answers_415(self):
        for route in self.each_route(lambda route: route.method in ("POST", "PUT")):
            with self.on(route):
                response = self.send(route, data="body=text", content_type="text/plain")
                self.assertListed(route, response, 415 if route.body is not None else None)

    def test_a_body_over_1_mib_answers_413(self):
        """Over 1 MiB, or over a route's own allowance (images, app/images/uploads.py)."""
        for route in self.each_route(lambda route: route.method in ("POST", "PUT")):
            allowance = UPLOAD_ALLOWANCES.get(f"api.{route.endpoint}", 1024 * 1024)
            too_large = {"body": "x" * (allowance + 76 * 1024)}
            with self.on(route):
                self.assertListed(route, self.send(route, json=too_large), 413)

    def test_a_nul_character_in_the_address_answers_400(self):
        for route in self.each_route():
            with self.on(route):
                self.assertListed(route, self.send(route, query="?q=%00"), 400)

    def test_failed_authentications_throttle_every_call_from_that_address(self):
        wrong = basic(self.admin.email, "not-the-password")
        failing = self.routes[0]
        for _ in range(20):
            self.assertListed(failing, self.send(failing, headers=wrong, client=0), 401)
        for route in self.each_route():
            with self.on(route):
                self.assertListed(route, self.send(route, client=0), 429)

    def test_each_rate_limit_answers_429_and_nothing_else_does(self):
        throttled = set()
        for number, route in enumerate(self.each_route(lambda route: route.method != "GET")):
            # A writer of its own: some limits count per account, across views.
            writer = self.headers_for(self.create_user(f"writer{number}", role="Administrator"))
            with self.on(route):
                for _ in range(31):  # one more than the highest limit a minute
                    response = self.send(route, headers=writer, client=1000 + number)
                    self.assertListed(route, response)
                    if response.status_code == 429:
                        throttled.add(route.endpoint)
                        break
        self.assertEqual(throttled, LIMITED)

    def test_a_database_unavailable_answers_503(self):
        with database_unavailable():
            for route in self.each_route(lambda route: route.public):
                with self.on(route):  # without a session cookie they need no database
                    self.assertListed(route, self.send(route, headers={}), 200)
        self.sign_in_directly(self.admin)  # every request then looks up who signed in
        with database_unavailable(), self.assertLogs(self.app.logger, "ERROR"):
            for route in self.each_route():
                with self.on(route):
                    self.assertListed(route, self.send(route), 503)

    def test_conditional_gets_answer_304_and_412(self):
        for route in self.each_route(lambda route: route.method == "GET"):
            with self.on(route):
                response = self.send(route)
                self.assertListed(route, response, 200)
                if response.mimetype != "application/json":
                    self.assertNotIn("ETag", response.headers)
                    continue
                etag, headers = response.headers["ETag"], self.admin_headers
                self.assertListed(route, self.send(route, {**headers, "If-None-Match": etag}),
                                  304)
                self.assertListed(route, self.send(route, {**headers, "If-Match": '"other"'}),
                                  412)

    def test_a_method_a_path_does_not_list_answers_405_with_allow(self):
        self.assertIn("405", DOCUMENT["info"]["description"])  # said once, for every path
        paths: dict[str, set[str]] = {}
        for route in self.routes:
            paths.setdefault(route.path, set()).add(route.method)
        for path, methods in paths.items():
            allowed = methods | {"OPTIONS"} | ({"HEAD"} if "GET" in methods else set())
            for method in sorted({"GET", "POST", "PUT", "PATCH", "DELETE"} - methods):
                with self.subTest(method=method, path=path):
                    response = self.send(Route(method, path, ""))
                    self.assertError(response, 405)
                    allow = {name.strip() for name in response.headers["Allow"].split(",")}
                    self.assertEqual(allow, allowed)
