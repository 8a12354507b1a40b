"""Every page costs a fixed number of SQL queries, however many rows it shows.

Each page is measured at two page sizes with enough rows to fill both; the
counts must be equal (no query per row) and small.
"""



from app import db
from tests.base import FlaskyTestCase
from tests.social import make_comment, make_follow, make_post

SMALL, LARGE = 5, 20
# The most a page may take, reached by a signed-in home page: the session, who is
# hidden from the viewer, the posts, their images, the count, the comment counts, the
# week's tags, who to follow, and the first-minutes checklist. (A signed-in tag page
# takes 8: the tag and whether the viewer follows it instead of the last three.)
MAX_QUERIES = 9


class QueryCountTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.mod = self.create_user("mod", role="Moderator")
        people = [self.create_user(f"writer{i}") for i in range(LARGE)]
        for i, person in enumerate(people):
            make_follow(self.john, person, minutes=i)
            make_follow(person, self.john, minutes=i)
            post = make_post(person, f"Post by writer{i}", minutes=i)
            make_comment(post, self.john, minutes=i)
        for i in range(LARGE):
            make_post(self.john, f"Own post {i}", minutes=100 + i)
        self.post = make_post(self.john, "Much discussed", minutes=500)
        for i, person in enumerate(people):
            make_comment(self.post, person, f"Comment {i}", minutes=600 + i, disabled=i % 3 == 0)
        self.post_url = f"/post/{self.post.id}"

    def queries_for(self, url: str, page_size: int, rows_marker: str) -> int:
        self.app.config.update(FLASKY_POSTS_PER_PAGE=page_size, FLASKY_COMMENTS_PER_PAGE=page_size,
                               FLASKY_FOLLOWERS_PER_PAGE=page_size)
        # A request normally starts with an empty session; in tests it shares the test's,
        # so start afresh or objects already loaded would hide (or add) queries.
        db.session.remove()
        with self.recorded_queries() as statements:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        # The page really holds a full page of rows, so a per-row query would show.
        self.assertEqual(response.get_data(as_text=True).count(rows_marker), page_size, url)
        self.last_statements = [" ".join(s.split())[:90] for s in statements]
        return len(statements)

    def assertFixedQueries(self, url: str, rows_marker: str) -> int:
        small = self.queries_for(url, SMALL, rows_marker)
        large = self.queries_for(url, LARGE, rows_marker)
        self.assertEqual(small, large, f"{url}: {small} queries for {SMALL} rows, "
                                       f"{large} for {LARGE}")
        self.assertLessEqual(large, MAX_QUERIES, f"{url}: {self.last_statements}")
        return large

    def test_anonymous_pages(self):
        self.assertFixedQueries("/", 'class="card post ')
        self.assertFixedQueries("/user/john", 'class="card post ')
        self.assertFixedQueries(self.post_url, 'class="list-group-item comment ')
        self.assertFixedQueries("/followers/john", 'class="list-group-item d-flex')
        self.assertFixedQueries("/people", 'class="list-group-item d-flex')

    def test_lists_of_posts_and_comments_load_no_authors_role(self):
        # Their cards show none: the authors come without their roles
        # (Post.newest_first, queries.post_comments).
        make_post(self.mod, "By a moderator", minutes=900)
        make_comment(self.post, self.mod, "A moderator says", minutes=900)
        for url, shown in (("/", "By a moderator"), (self.post_url, "A moderator says")):
            db.session.remove()
            with self.recorded_queries() as statements:
                page = self.client.get(url).get_data(as_text=True)
            self.assertIn(shown, page)
            self.assertEqual([s for s in statements if "roles" in s], [], url)

    def test_who_to_follow_loads_no_roles_but_the_viewers(self):
        stranger = self.create_user("stranger")
        make_post(stranger, "A stranger writes", minutes=900)  # among the latest authors
        self.login()
        self.client.get("/")
        db.session.remove()
        with self.recorded_queries() as statements:
            page = self.client.get("/").get_data(as_text=True)
        self.assertIn('href="/user/stranger"', page)
        self.assertEqual(len([s for s in statements if "roles" in s]), 1, statements)

    def test_logged_in_pages(self):
        self.login()
        self.client.get("/")  # last_seen is written once; measure the requests after it
        self.assertFixedQueries("/", 'class="card post ')
        self.client.get("/followed")
        self.assertFixedQueries("/", 'class="card post ')
        self.assertFixedQueries("/user/john", 'class="card post ')
        self.assertFixedQueries(self.post_url, 'class="list-group-item comment ')
        self.assertFixedQueries("/followed_by/john", 'class="list-group-item d-flex')
        # Every list of people: the follow state of the whole page in one query.
        self.assertFixedQueries("/followers/john", 'class="list-group-item d-flex')
        self.assertFixedQueries("/people", 'class="list-group-item d-flex')
        self.assertFixedQueries("/people/active", 'class="list-group-item d-flex')

    def test_moderator_pages(self):
        self.login("mod@example.com")
        self.client.get("/")
        self.assertFixedQueries("/moderate", 'class="list-group-item comment ')
        self.assertFixedQueries(self.post_url, 'class="list-group-item comment ')
        self.assertFixedQueries("/user/john", 'class="card post ')

    def test_social_pages(self):
        from app.models import Message, Notification, Post, User

        posts = db.session.scalars(db.select(Post).where(Post.author_id != self.john.id)).all()
        writer0 = db.session.scalar(db.select(User).filter_by(username="writer0"))
        for i, post in enumerate(posts):  # mentions are never grouped: a line each
            db.session.add(Notification(user=self.john, kind=Notification.MENTION,
                                        actor=post.author, post=post))
            db.session.add(Message(sender=post.author, recipient=self.john, body=f"Hi {i}"))
            if i:  # with writer0's own, 20 messages: both page sizes fill the last page
                db.session.add(Message(sender=self.john, recipient=writer0, body=f"{i}"))
        db.session.commit()
        self.login()
        self.client.get("/notifications")  # marks them read: measure the requests after it
        self.assertFixedQueries("/notifications", 'class="list-group-item notification ')
        self.assertFixedQueries("/messages", 'class="list-group-item conversation ')
        other = "writer0"
        self.client.get(f"/messages/{other}")  # marks the thread read
        self.assertFixedQueries(f"/messages/{other}", 'class="list-group-item message ')

    def test_report_queue(self):
        from app.models import Post, Report, User

        posts = db.session.scalars(db.select(Post).where(Post.author_id != self.john.id)).all()
        for post in posts:
            db.session.add(Report(reporter=self.john, target=f"post:{post.id}", post=post,
                                  user=post.author, reason="spam"))
        db.session.commit()
        self.login("mod@example.com")
        self.client.get("/notifications")
        self.assertFixedQueries("/moderate/reports", 'class="card mb-3 report"')
        from app.models import ModerationAction

        db.session.remove()
        moderator = db.session.scalar(db.select(User).filter_by(username="mod"))
        for report in db.session.scalars(db.select(Report)).all():
            db.session.add(ModerationAction(moderator=moderator, report=report,
                                            user_id=report.user_id,
                                            action=ModerationAction.WARN, reason="Be kind"))
        db.session.commit()
        self.assertFixedQueries("/moderate/actions", 'class="moderation-action"')

    def test_writing_pages(self):
        """A tag's posts, its API list, and my drafts."""
        for i in range(LARGE):
            make_post(self.mod, f"About #common number {i}", minutes=700 + i)
            make_post(self.john, f"Unfinished {i}", minutes=800 + i).draft = True
        db.session.commit()
        self.assertFixedQueries("/tag/common", 'class="card post ')
        self.login()
        self.client.get("/")
        self.assertFixedQueries("/tag/common", 'class="card post ')
        self.assertFixedQueries("/drafts", 'id="draft-')
