from app.decorators import admin_required, permission_required
from app.models import Permission
from tests.base import FlaskyTestCase


class DecoratorTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()

        @self.app.route("/_test/moderate")
        @permission_required(Permission.MODERATE)
        def moderate_only():
            return "moderated"

        @self.app.route("/_test/admin")
        @admin_required
        def admin_only():
            return "administered"

    def test_anonymous_is_forbidden(self):
        self.assertEqual(self.client.get("/_test/moderate").status_code, 403)
        self.assertEqual(self.client.get("/_test/admin").status_code, 403)

    def test_user_is_forbidden(self):
        self.create_user()
        self.login()
        self.assertEqual(self.client.get("/_test/moderate").status_code, 403)
        self.assertEqual(self.client.get("/_test/admin").status_code, 403)

    def test_moderator(self):
        self.create_user(role="Moderator")
        self.login()
        self.assertEqual(self.client.get("/_test/moderate").data, b"moderated")
        self.assertEqual(self.client.get("/_test/admin").status_code, 403)

    def test_administrator(self):
        self.create_user(role="Administrator")
        self.login()
        self.assertEqual(self.client.get("/_test/moderate").status_code, 200)
        self.assertEqual(self.client.get("/_test/admin").data, b"administered")

    def test_permission_is_in_every_template(self):
        with self.app.test_request_context("/"):
            from flask import render_template_string

            self.assertEqual(render_template_string("{{ Permission.ADMIN }}"), "16")
