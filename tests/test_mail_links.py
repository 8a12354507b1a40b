"""FLASKY_BASE_URL, when set, is the base of every link in mail, whatever
host a request names."""

from pathlib import Path

from app import create_app, db
from app.models import OutboxMail, Role, User
from tests.base import FlaskyTestCase
from tests.hostile import disposable_app

TEMPLATES = Path(__file__).resolve().parent.parent / "app" / "templates"


class BaseURLTestCase(FlaskyTestCase):
    config = {"FLASKY_BASE_URL": "https://flasky.example.org"}

    def test_every_mail_links_to_the_base_url_whatever_the_host(self):
        headers = {"Host": "attacker.example:6666"}
        self.client.post("/auth/register", headers=headers, data={
            "email": "ann@example.com", "username": "ann",
            "password": self.password, "password2": self.password})
        User.by_email("ann@example.com").confirmed = True  # only confirmed accounts move
        db.session.commit()
        self.client.post("/auth/change_email", headers=headers, data={
            "email": "ann.new@example.com", "password": self.password})
        self.client.post("/auth/logout", headers=headers)  # the session lives on that host
        self.client.post("/auth/reset", data={"email": "ann@example.com"}, headers=headers)
        mails = db.session.scalars(db.select(OutboxMail).order_by(OutboxMail.id)).all()
        paths = ["/auth/confirm/", "/auth/change_email/", "/auth/reset/"]
        self.assertEqual(len(mails), len(paths))
        for mail, path in zip(mails, paths, strict=True):
            with self.subTest(path=path):
                for body in (mail.body_text, mail.body_html):
                    self.assertIn(f"https://flasky.example.org{path}", body)
                    self.assertNotIn("attacker.example", body)

    def test_a_base_url_with_a_path_prefixes_the_links(self):
        app = disposable_app(self, "testing", {"FLASKY_BASE_URL": "https://example.org/flasky/"})
        with app.app_context():
            db.create_all()
            Role.insert_roles()
            db.session.add(User(email="jo@example.com", username="jo", password="a-long-pass"))
            db.session.commit()
            app.test_client().post("/auth/reset", data={"email": "jo@example.com"})
            body = db.session.scalar(db.select(OutboxMail.body_text))
        self.assertIn("https://example.org/flasky/auth/reset/", body)

    def test_no_mail_template_builds_links_from_the_request(self):
        for template in sorted((TEMPLATES / "auth" / "email").iterdir()):
            with self.subTest(template=template.name):
                self.assertNotIn("url_for(", template.read_text())

    def test_a_base_url_that_is_not_one_stops_the_start(self):
        for value in ("flasky.example.org", "ftp://flasky.example.org", "https://"):
            with self.subTest(value=value), self.assertRaises(RuntimeError) as raised:
                create_app("testing", {"FLASKY_BASE_URL": value})
            self.assertIn("FLASKY_BASE_URL", str(raised.exception))
