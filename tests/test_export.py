"""Export my data (app/exports.py): started from /settings or the API, its
progress readable without reloading, the zip mailed, downloaded by its owner
only, for a week, one at a time per person; large histories in batches."""

import io
import json
import re
import sys
import time
import zipfile
from datetime import UTC, datetime, timedelta
from unittest import mock

from sqlalchemy import false, func, insert, select, update

from app import db
from app.export_archive import BATCH_SIZE, batches, write_archive
from app.exports import build_export, delete_expired_exports, start_export, unique_key
from app.jobs import enqueue_in, job_status, queueing
from app.models import Comment, DataExport, Job, OutboxMail, Post, User, utcnow
from tests.base import FlaskyTestCase
from tests.test_api_base import basic

EXPORT_PAGE = re.compile(r"/settings/export/(\d+)$")


def zip_of(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def markdown_file(post: Post) -> tuple[str, str]:
    stamp = post.timestamp.isoformat()
    title = f"title: {json.dumps(post.title, ensure_ascii=False)}\n" if post.title else ""
    draft = "draft: true\n" if post.draft else ""
    return (f"posts/{post.timestamp:%Y-%m-%d}-{post.id}.md",
            f"---\nid: {post.id}\ntimestamp: {stamp}\n{title}{draft}---\n\n{post.body}\n")


class ExportTestCase(FlaskyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.john = self.create_user("john", name="John Smith", location="Lisbon",
                                     about_me="I *like* trains.")
        self.susan = self.create_user("susan")
        self.mary = self.create_user("mary")
        first = Post(body="First post, **bold**.", author=self.john,
                     timestamp=datetime(2026, 3, 1, 12, tzinfo=UTC))
        second = Post(body="Zweiter Beitrag: ünïcödé ✓\n\n- a list", author=self.john,
                      title='Ein "Titel": mit Doppelpunkt', draft=True)
        hers = Post(body="Susan's post", author=self.susan)
        db.session.add_all([first, second, hers])
        db.session.flush()
        db.session.add_all([
            Comment(body="On my own post", author=self.john, post=first),
            Comment(body="Nice one, Susan", author=self.john, post=hers, disabled=True),
            Comment(body="Susan on John's post", author=self.susan, post=first),
        ])
        self.john.follow(self.susan)
        self.susan.follow(self.john)
        self.mary.follow(self.john)
        db.session.commit()

    # -- helpers -------------------------------------------------------------

    def start(self, client=None):
        return (client or self.client).post("/settings/export")

    def started_job_id(self, response) -> int:
        self.assertEqual(response.status_code, 302, response.data[:300])
        match = EXPORT_PAGE.search(response.headers["Location"])
        self.assertIsNotNone(match, response.headers["Location"])
        return int(match.group(1))

    def export_row(self) -> DataExport:
        db.session.expire_all()
        return db.session.scalar(select(DataExport))

    def export_jobs(self) -> int:
        return db.session.scalar(select(func.count(Job.id)).where(
            Job.task == build_export.task_name))

    def expected_files(self, user: User) -> dict[str, str]:
        """The zip as it must be, built from the database independently."""
        db.session.expire_all()
        user = db.session.get(User, user.id)
        posts = db.session.scalars(select(Post).filter_by(author_id=user.id)
                                   .order_by(Post.id)).all()
        comments = db.session.scalars(select(Comment).filter_by(author_id=user.id)
                                      .order_by(Comment.id)).all()

        def people(follows, other):
            rows = sorted(follows, key=lambda follow: getattr(follow, f"{other}_id"))
            return [{"username": getattr(follow, other).username,
                     "since": follow.timestamp.isoformat()} for follow in rows]

        def listing(items):
            if not items:
                return "[]\n"
            return "[\n" + ",\n".join("  " + json.dumps(item, ensure_ascii=False)
                                      for item in items) + "\n]\n"

        profile = {"username": user.username, "email": user.email, "name": user.name,
                   "location": user.location, "about_me": user.about_me,
                   "member_since": user.member_since.isoformat(),
                   "last_seen": user.last_seen.isoformat(), "role": user.role.name,
                   "confirmed": user.confirmed}
        files = {
            "profile.json": json.dumps(profile, ensure_ascii=False, indent=2) + "\n",
            "posts.json": listing([{"id": post.id, "timestamp": post.timestamp.isoformat(),
                                    "title": post.title, "draft": post.draft,
                                    "body": post.body} for post in posts]),
            "comments.json": listing([
                {"id": comment.id, "post_id": comment.post_id,
                 "timestamp": comment.timestamp.isoformat(), "body": comment.body,
                 "disabled": comment.disabled} for comment in comments]),
            "following.json": listing(people(db.session.scalars(user.followed.select()),
                                             "followed")),
            "followers.json": listing(people(db.session.scalars(user.followers.select()),
                                             "follower")),
        }
        files.update(markdown_file(post) for post in posts)
        return files


class ExportPagesTestCase(ExportTestCase):
    def test_settings_page_links_to_the_account_pages_and_holds_both_sections(self):
        self.login()
        page = self.client.get("/settings").get_data(as_text=True)
        for link in ('href="/edit-profile"', 'href="/auth/change-password"',
                     'href="/auth/change_email"', 'action="/auth/logout-everywhere"',
                     'action="/settings/export"', 'action="/settings/delete"'):
            self.assertIn(link, page)
        self.assertIn("<h1", page)
        self.assertIn('<label class="form-label" for="password">Your password</label>', page)
        self.assertIn('href="/settings">Settings</a>', self.client.get("/").get_data(as_text=True))

    def test_settings_need_a_login(self):
        for path in ("/settings", "/settings/export/1", "/settings/export/1/status",
                     "/settings/export/some-token/download"):
            with self.subTest(path=path):
                self.assertTrue(self.client.get(path).headers["Location"].startswith(
                    "/auth/login"))
        self.assertTrue(self.start().headers["Location"].startswith("/auth/login"))
        self.assertEqual(self.export_jobs(), 0)

    def test_an_export_from_start_to_download(self):
        self.login()
        response = self.start()
        job_id = self.started_job_id(response)
        page = self.client.get(response.headers["Location"]).get_data(as_text=True)
        self.assertIn("Your export has started", page)
        self.assertRegex(page, r'role="progressbar"[^>]*aria-valuenow="100"')
        export = self.export_row()
        download = f"/settings/export/{export.token}/download"
        self.assertIn(f'href="{download}"', page)
        self.assertIn("js/export-progress.js", page)
        self.assertNotIn('http-equiv="refresh"', page, "a finished export stops reloading")

        status = self.client.get(f"/settings/export/{job_id}/status").get_json()
        self.assertEqual(status, {"state": "finished", "progress": 100,
                                  "message": "Your export is ready.", "download_url": download})

        [mail] = db.session.scalars(select(OutboxMail).where(
            OutboxMail.subject.contains("export"))).all()
        self.assertEqual(mail.recipient_list, ["john@example.com"])
        self.assertIn(f"http://localhost{download}", mail.body_text)
        self.assertIn(f'href="http://localhost{download}"', mail.body_html)
        self.assertIsNotNone(mail.sent_at)

        got = self.client.get(download)
        self.assertEqual(got.status_code, 200)
        self.assertEqual(got.mimetype, "application/zip")
        self.assertRegex(got.headers["Content-Disposition"],
                         r'^attachment; filename="flasky-john-\d{4}-\d\d-\d\d\.zip"$')
        self.assertIn("no-store", got.headers["Cache-Control"])
        self.assertEqual(zip_of(got.data), self.expected_files(self.john))
        self.assertEqual(export.size, len(got.data))
        self.assertEqual(export.expires_at - export.created_at, timedelta(days=7))

    def test_the_zip_holds_exactly_the_person_s_data(self):
        files = zip_of(self.run_export_of(self.john))
        self.assertEqual(set(files), {"profile.json", "posts.json", "comments.json",
                                      "following.json", "followers.json",
                                      *(markdown_file(post)[0] for post in db.session.scalars(
                                          select(Post).filter_by(author_id=self.john.id)))})
        self.assertEqual(json.loads(files["profile.json"])["name"], "John Smith")
        self.assertEqual([item["body"] for item in json.loads(files["comments.json"])],
                         ["On my own post", "Nice one, Susan"])
        self.assertEqual([item["username"] for item in json.loads(files["followers.json"])],
                         ["susan", "mary"])
        self.assertEqual([item["username"] for item in json.loads(files["following.json"])],
                         ["susan"])
        self.assertNotIn("Susan's post", "".join(files.values()))
        self.assertNotIn("Susan on John's post", "".join(files.values()))
        self.assertEqual(files, self.expected_files(self.john))
        self.assertEqual(zip_of(self.run_export_of(self.mary)), self.expected_files(self.mary))

    def run_export_of(self, user: User) -> bytes:
        export_id = build_export(user.id, "http://localhost/")
        return db.session.get(DataExport, export_id).data

    def test_progress_while_the_export_waits_its_turn(self):
        job = enqueue_in(600, build_export, self.john.id, "http://localhost/",
                         unique_key=unique_key(self.john.id), owner_id=self.john.id)
        db.session.commit()
        self.login()
        page = self.client.get(f"/settings/export/{job.id}").get_data(as_text=True)
        self.assertRegex(page, r'role="progressbar"[^>]*aria-valuenow="0"')
        self.assertIn('aria-label="Export progress"', page)
        self.assertRegex(page, r'<noscript><meta http-equiv="refresh" content="3"></noscript>')
        self.assertRegex(page, r"data-export-download hidden")
        status = self.client.get(f"/settings/export/{job.id}/status").get_json()
        self.assertEqual((status["state"], status["progress"], status["download_url"]),
                         ("queued", 0, None))
        db.session.execute(update(Job).where(Job.id == job.id).values(
            state=Job.RUNNING, progress=42, progress_message="Collecting your data: posts"))
        db.session.commit()
        status = self.client.get(f"/settings/export/{job.id}/status").get_json()
        self.assertEqual(status, {"state": "running", "progress": 42, "download_url": None,
                                  "message": "Collecting your data: posts"})
        page = self.client.get("/settings").get_data(as_text=True)
        self.assertIn(f'href="/settings/export/{job.id}"', page)
        self.assertNotIn('action="/settings/export"', page, "no second export offered")

    def test_progress_grows_with_each_batch(self):
        reported: list[float] = []
        with mock.patch.object(batches, "__defaults__", (1,)), io.BytesIO() as file:
            write_archive(self.john, file, lambda percent, message: reported.append(percent))
        # 2 posts, 2 comments, 1 followed, 2 followers: one batch each.
        self.assertEqual(len(reported), 7)
        self.assertEqual(reported, sorted(reported))
        self.assertAlmostEqual(reported[-1], 90)

    def test_another_person_s_export_is_not_found(self):
        self.login()
        job_id = self.started_job_id(self.start())
        token = self.export_row().token
        self.logout()
        self.login("susan@example.com")
        for path in (f"/settings/export/{job_id}", f"/settings/export/{job_id}/status",
                     f"/settings/export/{token}/download"):
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 404)
        self.logout()
        response = self.client.get(f"/settings/export/{token}/download")
        self.assertRedirectsTo(response, f"/auth/login?next=%2Fsettings%2Fexport%2F{token}"
                                         "%2Fdownload")

    def test_an_expired_export_is_not_found_and_is_cleaned_up(self):
        self.login()
        job_id = self.started_job_id(self.start())
        token = self.export_row().token
        db.session.execute(update(DataExport).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        self.assertEqual(self.client.get(f"/settings/export/{token}/download").status_code, 404)
        status = self.client.get(f"/settings/export/{job_id}/status").get_json()
        self.assertEqual((status["state"], status["download_url"]), ("expired", None))
        build_export(self.susan.id, "http://localhost/")  # a fresh one, which stays
        self.assertEqual(delete_expired_exports(), 1)
        self.assertEqual(db.session.scalars(select(DataExport.user_id)).all(), [self.susan.id])

    def test_a_new_export_replaces_the_earlier_one(self):
        self.login()
        self.started_job_id(self.start())
        old_token = self.export_row().token
        self.started_job_id(self.start())
        self.assertEqual(db.session.scalar(select(func.count(DataExport.id))), 1)
        self.assertNotEqual(self.export_row().token, old_token)
        self.assertEqual(self.client.get(f"/settings/export/{old_token}/download").status_code,
                         404)

    def test_a_second_export_while_one_is_under_way_starts_nothing(self):
        waiting = enqueue_in(600, build_export, self.john.id, "http://localhost/",
                             unique_key=unique_key(self.john.id), owner_id=self.john.id)
        db.session.commit()
        self.login()
        response = self.start()
        self.assertRedirectsTo(response, f"/settings/export/{waiting.id}")
        page = self.client.get(response.headers["Location"]).get_data(as_text=True)
        self.assertIn("An export of your data is already being prepared", page)
        self.assertEqual(self.export_jobs(), 1)
        self.assertIsNone(self.export_row())

    def test_two_racing_exports_meet_the_unique_key_and_one_runs(self):
        """A request that checked for a running export just before another
        request's job was written: the database refuses the second job."""
        waiting = enqueue_in(600, build_export, self.john.id, "http://localhost/",
                             unique_key=unique_key(self.john.id), owner_id=self.john.id)
        db.session.commit()
        real_select = queueing.select
        self.login()
        with mock.patch.object(queueing, "select",
                               lambda *columns: real_select(*columns).where(false())):
            response = self.start()
        self.assertRedirectsTo(response, f"/settings/export/{waiting.id}")
        self.assertEqual(self.export_jobs(), 1)

    def test_both_posts_need_a_csrf_token(self):
        self.app.config["WTF_CSRF_ENABLED"] = True
        self.sign_in_directly(self.john)
        self.assertEqual(self.start().status_code, 400)
        response = self.client.post("/settings/delete", data={
            "password": self.password, "username": "john"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.export_jobs(), 0)
        self.assertFalse(db.session.get(User, self.john.id, populate_existing=True).deleting)
        page = self.client.get("/settings").get_data(as_text=True)
        forms = re.findall(r'<form method="post".*?</form>', page, re.DOTALL)
        self.assertEqual(len(forms), 6)  # log out, everywhere (twice), language, export, delete
        for form in forms:
            self.assertRegex(form, r'name="csrf_token"[^>]* value="[^"]+"')


class ExportApiTestCase(ExportTestCase):
    def test_start_poll_and_download(self):
        headers = basic("john@example.com", self.password)
        response = self.client.post("/api/v1/exports/", headers=headers)
        self.assertEqual(response.status_code, 202, response.data)
        location = response.headers["Location"]
        self.assertRegex(location, r"^http://localhost/api/v1/exports/\d+$")
        polled = self.client.get(location, headers=headers)
        self.assertEqual(polled.status_code, 200)
        body = polled.get_json()
        self.assertEqual((body["url"], body["state"], body["progress"]),
                         (location, "finished", 100))
        self.assertEqual(body["download_url"], f"{location}/download")
        self.assertEqual(response.get_json(), body)
        got = self.client.get(body["download_url"], headers=headers)
        self.assertEqual(got.mimetype, "application/zip")
        self.assertEqual(zip_of(got.data), self.expected_files(self.john))

        susan = basic("susan@example.com", self.password)
        for url in (location, body["download_url"]):
            self.assertEqual(self.client.get(url, headers=susan).status_code, 404)
        self.assertEqual(self.client.get(location).status_code, 401)

    def test_a_second_export_while_one_is_under_way_is_a_conflict(self):
        waiting = enqueue_in(600, build_export, self.john.id, "http://localhost/",
                             unique_key=unique_key(self.john.id), owner_id=self.john.id)
        db.session.commit()
        headers = basic("john@example.com", self.password)
        response = self.client.post("/api/v1/exports/", headers=headers)
        self.assertEqual(response.status_code, 409)
        self.assertIn(f"/api/v1/exports/{waiting.id}", response.get_json()["message"])
        body = self.client.get(f"/api/v1/exports/{waiting.id}", headers=headers).get_json()
        self.assertEqual((body["state"], body["download_url"]), ("queued", None))
        self.assertEqual(self.client.get(f"/api/v1/exports/{waiting.id}/download",
                                         headers=headers).status_code, 404)


class LargeExportTestCase(FlaskyTestCase):
    POSTS, COMMENTS = 10_000, 2_000

    def test_ten_thousand_posts_in_batches(self):
        author = self.create_user("prolific")
        start = datetime(2020, 1, 1, tzinfo=UTC)
        db.session.execute(insert(Post.__table__), [
            {"body": f"Post {number}: *Markdown* ✓ " + "x" * (number % 300),
             "body_html": f"<p>Post {number}</p>", "author_id": author.id,
             "timestamp": start + timedelta(minutes=number)} for number in range(self.POSTS)])
        first_post = db.session.scalar(select(func.min(Post.id)))
        db.session.execute(insert(Comment.__table__), [
            {"body": f"Comment {number}", "body_html": f"<p>Comment {number}</p>",
             "author_id": author.id, "post_id": first_post + number, "disabled": False,
             "timestamp": start + timedelta(minutes=number)} for number in range(self.COMMENTS)])
        db.session.commit()

        with self.app.test_request_context():  # a job, as the page queues it
            job = start_export(author)
        with self.recorded_queries() as statements:
            started = time.perf_counter()
            db.session.commit()  # the job runs now (eagerly, in tests)
            seconds = time.perf_counter() - started
        print(f"\nexport of {self.POSTS:,} posts and {self.COMMENTS:,} comments: "
              f"{seconds:.2f} s", file=sys.stderr)

        self.assertEqual(job_status(job.id).state, Job.FINISHED)
        files = zip_of(db.session.scalar(select(DataExport.data)))
        posts = json.loads(files["posts.json"])
        self.assertEqual(len(posts), self.POSTS)
        self.assertEqual(len(json.loads(files["comments.json"])), self.COMMENTS)
        self.assertEqual(len([name for name in files if name.startswith("posts/")]), self.POSTS)
        stored = db.session.execute(select(Post.id, Post.body).order_by(Post.id)).all()
        self.assertEqual([(post["id"], post["body"]) for post in posts],
                         [tuple(row) for row in stored])
        self.assertTrue(files[f"posts/2020-01-01-{first_post}.md"].endswith(
            f"\n\n{stored[0].body}\n"))

        reads = [statement for statement in statements
                 if statement.lstrip().upper().startswith("SELECT")
                 and "FROM posts" in statement and "count" not in statement.lower()]
        self.assertEqual(len(reads), self.POSTS // BATCH_SIZE + 1)
        for statement in reads:
            self.assertIn("LIMIT", statement.upper())
