"""Deleting an account (app/account_deletion.py): from /settings with the
password and the username typed again, or by an administrator; the account
closes at once, then everything in it is removed in batches, the address is
free again and a confirmation goes to it. The last Administrator stays."""

import math
from unittest import mock

from sqlalchemy import delete, false, func, or_, select

from app import db
from app.account_deletion import delete_account, unique_key
from app.exports import start_export
from app.jobs import enqueue_in, queueing
from app.models import (
    ApiToken,
    Comment,
    DataExport,
    Follow,
    Job,
    LoginSession,
    OutboxMail,
    Post,
    RoleChange,
    User,
)
from tests.base import FlaskyTestCase
from tests.test_api_base import basic

NUL = "\x00"


class AccountDeletionTestCase(FlaskyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.john = self.create_user("john")
        self.susan = self.create_user("susan")
        self.admin = self.create_user("root", role="Administrator")
        mine = [Post(body=f"John's post {number}", author=self.john) for number in range(3)]
        hers = Post(body="Susan's post", author=self.susan)
        db.session.add_all([*mine, hers])
        db.session.flush()
        db.session.add_all([
            Comment(body="John on his own post", author=self.john, post=mine[0]),
            Comment(body="John on Susan's post", author=self.john, post=hers),
            Comment(body="Susan on John's post", author=self.susan, post=mine[1]),
            Comment(body="Susan on her own post", author=self.susan, post=hers),
        ])
        self.john.follow(self.susan)
        self.susan.follow(self.john)
        self.john.generate_auth_token()
        db.session.commit()
        with self.app.test_request_context():  # a finished export, as from the page
            start_export(self.john)
        db.session.commit()
        self.john_id, self.john_email = self.john.id, self.john.email

    # -- helpers -------------------------------------------------------------

    def delete(self, client=None, **form):
        data = {"password": self.password, "username": "john", **form}
        return (client or self.client).post("/settings/delete", data=data)

    def johns_rows(self) -> dict[str, int]:
        """How many rows of each table belong to John (or to his posts)."""
        db.session.expire_all()
        john, posts = self.john_id, select(Post.id).where(Post.author_id == self.john_id)

        def count(model, *where):
            return db.session.scalar(select(func.count()).select_from(model).where(*where))

        return {
            "users": count(User, User.id == john),
            "posts": count(Post, Post.author_id == john),
            "comments": count(Comment, or_(Comment.author_id == john,
                                           Comment.post_id.in_(posts))),
            "follows": count(Follow, or_(Follow.follower_id == john, Follow.followed_id == john)),
            "api_tokens": count(ApiToken, ApiToken.user_id == john),
            "login_sessions": count(LoginSession, LoginSession.user_id == john),
            "data_exports": count(DataExport, DataExport.user_id == john),
            "jobs": count(Job, Job.owner_id == john),
            "role_changes": count(RoleChange, or_(RoleChange.user_id == john,
                                                  RoleChange.actor_id == john)),
        }

    def susans_rows(self) -> tuple[int, int]:
        return (db.session.scalar(select(func.count(Post.id)).filter_by(author_id=self.susan.id)),
                db.session.scalar(select(func.count(Comment.id))
                                  .filter_by(author_id=self.susan.id)))

    def logged_in(self, client) -> bool:
        return client.get("/settings").status_code == 200

    def second_browser(self, email: str = "john@example.com"):
        client = self.app.test_client()
        client.post("/auth/login", data={"email": email, "password": self.password})
        self.assertTrue(self.logged_in(client))
        return client

    def mails_to(self, address: str) -> list[OutboxMail]:
        return db.session.scalars(select(OutboxMail).where(
            OutboxMail.recipients == address, OutboxMail.subject.contains("deleted"))).all()

    def assertNothingDeleted(self, before: dict[str, int]) -> None:
        self.assertEqual(self.johns_rows(), before)
        self.assertFalse(db.session.get(User, self.john_id).deleting)
        self.assertEqual(self.mails_to(self.john_email), [])


class SelfDeletionTestCase(AccountDeletionTestCase):
    def test_a_wrong_password_or_username_deletes_nothing(self):
        self.login()
        before = self.johns_rows()
        self.assertEqual(before["posts"], 3)
        for form, error in (({"password": "not-my-password"}, "Invalid password."),
                            ({"username": "susan"}, "Type your username, john, exactly"),
                            ({"username": "John"}, "Type your username, john, exactly"),
                            ({"password": ""}, "This field is required."),
                            ({"username": ""}, "This field is required.")):
            with self.subTest(form=form):
                response = self.delete(**form)
                self.assertEqual(response.status_code, 200)
                page = response.get_data(as_text=True)
                self.assertIn(error, page)
                self.assertIn('aria-invalid="true"', page)
                self.assertNothingDeleted(before)
                self.assertTrue(self.logged_in(self.client))

    def test_hostile_values_never_fail_the_server(self):
        self.login()
        before = self.johns_rows()
        for form in ({"password": "x" * 100_000, "username": "john"},
                     {"password": self.password, "username": "j" * 100_000},
                     {"password": self.password, "username": f"john{NUL}"},
                     {"password": f"{self.password}{NUL}", "username": "john"},
                     {"password": NUL, "username": NUL},
                     {"password": " ", "username": " "},
                     {"password": "", "username": ""},
                     {"username": ["john", "john"]},
                     {"password": "😀" * 5000, "username": "\u202ejohn"}):
            with self.subTest(form={key: str(value)[:20] for key, value in form.items()}):
                response = self.client.post("/settings/delete", data=form)
                self.assertLess(response.status_code, 500)
                self.assertIn(response.status_code, (200, 400, 413))
                self.assertNothingDeleted(before)
        response = self.client.post("/settings/delete", data={"password": "x" * 2_000_000})
        self.assertEqual(response.status_code, 413)
        self.assertNothingDeleted(before)

    def test_deleting_removes_everything_and_frees_the_address(self):
        other = self.second_browser()
        token = db.session.scalar(select(ApiToken.id).filter_by(user_id=self.john_id))
        self.assertIsNotNone(token)
        self.login()
        before = self.johns_rows()
        self.assertTrue(all(before[table] for table in (
            "users", "posts", "comments", "follows", "api_tokens", "login_sessions",
            "data_exports", "jobs")), before)
        susans = self.susans_rows()

        response = self.delete()
        self.assertRedirectsTo(response, "/")
        page = self.client.get("/").get_data(as_text=True)
        self.assertIn("Your account is being deleted", page)
        self.assertFalse(self.logged_in(self.client))
        self.assertFalse(self.logged_in(other), "the other browser's session died too")
        self.assertEqual(self.johns_rows(), dict.fromkeys(before, 0))
        self.assertEqual(self.susans_rows(), (susans[0], susans[1] - 1))  # hers on his post
        self.assertIsNone(User.by_email(self.john_email))

        [mail] = self.mails_to(self.john_email)
        self.assertIn("Dear john", mail.body_text)
        self.assertIn("as you asked", mail.body_text)
        self.assertIsNotNone(mail.sent_at)

        again = self.client.post("/auth/register", data={
            "email": self.john_email, "username": "john", "password": self.password,
            "password2": self.password})
        self.assertRedirectsTo(again, "/auth/unconfirmed")
        self.assertNotEqual(User.by_email(self.john_email).id, self.john_id)

    def test_rows_go_in_batches(self):
        db.session.add_all([Post(body=f"More {number}", author=self.john)
                            for number in range(7)])
        db.session.commit()
        self.login()
        with mock.patch("app.account_deletion.BATCH_SIZE", 4), \
                self.recorded_queries() as statements:
            self.assertRedirectsTo(self.delete(), "/")
        deletes = [statement.split()[2] for statement in statements
                   if statement.lstrip().upper().startswith("DELETE FROM")]
        self.assertEqual(deletes.count("posts"), math.ceil(10 / 4))
        self.assertEqual(self.johns_rows()["posts"], 0)
        # Each kind of row goes in batches of its own, the user row last (the
        # foreign keys' cascades would take the rest along in one transaction).
        self.assertEqual(deletes[-1], "users")
        self.assertLessEqual({"comments", "posts", "follows", "api_tokens", "login_sessions",
                              "data_exports", "jobs"}, set(deletes[:-1]))
        self.assertEqual(deletes[:-1].count("follows"), 2, "following, then followers")

    def test_the_last_administrator_is_refused(self):
        self.login(self.admin.email)
        response = self.delete(username="root")
        self.assertEqual(response.status_code, 200)
        self.assertIn("root is the last Administrator", response.get_data(as_text=True))
        self.assertFalse(db.session.get(User, self.admin.id, populate_existing=True).deleting)
        self.assertTrue(self.logged_in(self.client))

    def test_an_administrator_may_go_while_another_stays(self):
        self.create_user("second", role="Administrator")
        self.login(self.admin.email)
        self.assertRedirectsTo(self.delete(username="root"), "/")
        self.assertIsNone(User.by_email("root@example.com"))

    def test_the_account_closes_before_its_rows_are_removed(self):
        other = self.second_browser()
        token = self.john.generate_auth_token()
        db.session.commit()
        self.login()
        with mock.patch("app.account_deletion.enqueue") as enqueue:  # the job waits
            self.assertRedirectsTo(self.delete(), "/")
        enqueue.assert_called_once()
        self.assertFalse(self.logged_in(other))
        self.assertEqual(self.client.get("/api/v1/posts/", headers=basic(token)).status_code,
                         401)
        self.assertIn("Invalid email or password.",
                      self.login().get_data(as_text=True))
        john = db.session.get(User, self.john_id, populate_existing=True)
        self.assertTrue(john.deleting)
        self.assertEqual(self.johns_rows()["posts"], 3, "the job removes them, not the request")

    def test_two_racing_deletions_queue_one_removal(self):
        """A request that checked for a queued removal just before another
        request's job was written: the database refuses the second job, and
        the request still answers as the first one did."""
        enqueue_in(600, delete_account, self.john_id, False, unique_key=unique_key(self.john_id))
        db.session.commit()
        real_select = queueing.select
        self.login()
        with mock.patch.object(queueing, "select",
                               lambda *columns: real_select(*columns).where(false())):
            response = self.delete()
        self.assertRedirectsTo(response, "/")
        self.assertFalse(self.logged_in(self.client))
        self.assertEqual(db.session.scalar(select(func.count(Job.id)).where(
            Job.task == delete_account.task_name)), 1)

    def test_an_administrator_being_deleted_is_not_another_administrator(self):
        second = self.create_user("second", role="Administrator", deleting=True)
        self.assertTrue(second.deleting)
        self.login(self.admin.email)
        response = self.delete(username="root")
        self.assertIn("root is the last Administrator", response.get_data(as_text=True))

    def test_a_closed_account_cannot_log_in_while_it_is_removed(self):
        self.john.deleting = True
        db.session.commit()
        response = self.login()
        self.assertIn("Invalid email or password.", response.get_data(as_text=True))
        api = self.client.get("/api/v1/posts/", headers=basic(self.john_email, self.password))
        self.assertEqual(api.status_code, 401)

    def test_a_retried_removal_finishes_the_job(self):
        """A removal that failed half-way runs again from where it stopped."""
        self.john.deleting = True
        db.session.execute(delete(Comment).where(Comment.author_id == self.john_id))
        db.session.commit()
        self.assertEqual(delete_account(self.john_id), 10)
        self.assertEqual(self.johns_rows(), dict.fromkeys(self.johns_rows(), 0))
        self.assertEqual(delete_account(self.john_id), 0, "nothing left to do")

    def test_an_account_not_marked_is_never_removed(self):
        self.assertEqual(delete_account(self.john_id), 0)
        self.assertEqual(self.johns_rows()["users"], 1)


class AdminDeletionTestCase(AccountDeletionTestCase):
    def test_an_administrator_deletes_another_account(self):
        other = self.second_browser()
        self.login(self.admin.email)
        profile = self.client.get(f"/edit-profile/{self.john_id}").get_data(as_text=True)
        self.assertIn(f'href="/edit-profile/{self.john_id}/delete"', profile)
        confirm = self.client.get(f"/edit-profile/{self.john_id}/delete")
        self.assertEqual(confirm.status_code, 200)
        self.assertIn("Delete the account of john?", confirm.get_data(as_text=True))
        self.assertEqual(self.johns_rows()["users"], 1, "asking deletes nothing")

        with self.assertLogs("flasky.admin", "WARNING") as logs:
            response = self.client.post(f"/edit-profile/{self.john_id}/delete")
        self.assertRedirectsTo(response, "/admin/users")
        self.assertIn("Administrator root", logs.output[0])
        self.assertIn(f"deleted the account john (user {self.john_id})", logs.output[0])
        self.assertIn("The account of john is being deleted",
                      self.client.get("/admin/users").get_data(as_text=True))
        self.assertEqual(self.johns_rows(), dict.fromkeys(self.johns_rows(), 0))
        self.assertFalse(self.logged_in(other))
        [mail] = self.mails_to(self.john_email)
        self.assertIn("An administrator has deleted your Flasky account", mail.body_text)

    def test_the_account_closes_at_once(self):
        other = self.second_browser()
        self.login(self.admin.email)
        with mock.patch("app.account_deletion.enqueue"):  # the job waits
            self.client.post(f"/edit-profile/{self.john_id}/delete")
        self.assertFalse(self.logged_in(other))
        self.assertEqual(self.johns_rows()["login_sessions"], 0)
        self.assertEqual(self.johns_rows()["api_tokens"], 0)
        self.assertEqual(self.johns_rows()["posts"], 3, "the job removes them, not the request")

    def test_only_administrators_and_not_their_own(self):
        self.login()
        self.assertEqual(self.client.get(f"/edit-profile/{self.susan.id}/delete").status_code,
                         403)
        self.assertEqual(self.client.post(f"/edit-profile/{self.susan.id}/delete").status_code,
                         403)
        self.logout()
        self.login(self.admin.email)
        self.assertNotIn(f"/edit-profile/{self.admin.id}/delete",
                         self.client.get(f"/edit-profile/{self.admin.id}").get_data(as_text=True))
        response = self.client.post(f"/edit-profile/{self.admin.id}/delete")
        self.assertRedirectsTo(response, "/settings")
        self.assertFalse(db.session.get(User, self.admin.id, populate_existing=True).deleting)
        self.assertEqual(self.client.get("/edit-profile/999999/delete").status_code, 404)

    def test_deleting_an_administrator_keeps_the_deleter(self):
        second = self.create_user("second", role="Administrator")
        self.login(self.admin.email)
        self.assertRedirectsTo(self.client.post(f"/edit-profile/{second.id}/delete"),
                               "/admin/users")
        self.assertIsNone(User.by_email("second@example.com"))
        self.assertEqual(self.delete(username="root").status_code, 200, "now the last one")

    def test_an_old_session_of_the_deleted_user_cannot_come_back(self):
        other = self.second_browser()
        self.sign_in_directly(self.john, other)
        self.login(self.admin.email)
        self.client.post(f"/edit-profile/{self.john_id}/delete")
        for path in ("/settings", "/edit-profile", "/"):
            response = other.get(path)
            self.assertLess(response.status_code, 500)
        self.assertFalse(self.logged_in(other))
        self.assertEqual(db.session.scalar(select(func.count(LoginSession.id)).filter_by(
            user_id=self.john_id)), 0)
