"""@mentions: links in the stored HTML, and who is notified, once."""

from app import db
from app.mentions import MAX_NOTIFIED
from app.models import Notification, Post, User
from app.rendering import render_comment_html, render_post_html
from tests.base import FlaskyTestCase
from tests.social import live_markup_problems, make_comment, make_post


class MentionLinksTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.create_user("john")
        self.create_user("Mary.Ann")

    def test_known_names_become_profile_links(self):
        html = render_post_html("Hi @mary.ann and @JOHN, not @nobody.")
        self.assertIn('<a class="mention" href="/user/Mary.Ann">@mary.ann</a>', html)
        self.assertIn('<a class="mention" href="/user/john">@JOHN</a>', html)
        self.assertIn("not @nobody.", html)

    def test_not_in_code_links_or_addresses(self):
        html = render_post_html("`@john` and\n\n    @john\n\n[see @john](https://x.example) "
                                "write to mail@john.example or a@john")
        self.assertNotIn('class="mention"', html)
        html = render_comment_html("**@john**, `code` then @john")
        self.assertEqual(html.count('class="mention"'), 2)

    def test_hostile_text_around_a_mention_stays_inert(self):
        for text in ['@john<script>alert(1)</script>', '<a href="javascript:alert(1)">@john</a>',
                     '@john"><svg onload=alert(1)>', "[@john](javascript:alert(1))"]:
            html = render_post_html(text)
            self.assertEqual(live_markup_problems(html), [], text)
            self.assertNotIn("<script", html)


class MentionNotificationsTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.mary = self.create_user("mary")

    def mentions_of(self, user):
        db.session.expire_all()
        return db.session.scalars(db.select(Notification).where(
            Notification.user_id == user.id, Notification.kind == Notification.MENTION)).all()

    def test_a_post_notifies_once_and_an_edit_not_again(self):
        self.login()
        self.client.post("/", data={"body": "Hello @mary and again @Mary, and me @john"})
        mentions = self.mentions_of(self.mary)
        self.assertEqual(len(mentions), 1)
        self.assertEqual(self.mentions_of(self.john), [])
        post = db.session.get(Post, mentions[0].post_id)
        self.client.post(f"/edit/{post.id}", data={"body": "Edited, still @mary"})
        self.assertEqual(len(self.mentions_of(self.mary)), 1)
        self.logout()
        self.login("mary@example.com")
        page = self.client.get("/notifications").get_data(as_text=True)
        self.assertIn("john mentioned you", page)

    def test_a_comment_mention_is_one_notification_for_the_post_author(self):
        post = make_post(self.mary, "Mary's post")
        make_comment(post, self.john, "@mary I agree")
        kinds = [n.kind for n in db.session.scalars(db.select(Notification).where(
            Notification.user_id == self.mary.id))]
        self.assertEqual(kinds, ["mention"])

    def test_no_notification_when_the_mentioned_person_blocked_me(self):
        self.login("mary@example.com")
        self.client.post("/block/john")
        make_post(self.john, "Hey @mary")
        self.assertEqual(self.mentions_of(self.mary), [])

    def test_a_mention_storm_notifies_a_few_and_says_so(self):
        for i in range(MAX_NOTIFIED + 5):
            db.session.add(User(email=f"fan{i}@example.com", username=f"fan{i}",
                                password="x", confirmed=True))
        db.session.commit()
        names = " ".join(f"@fan{i}" for i in range(500))
        self.login()
        response = self.client.post("/", data={"body": names}, follow_redirects=True)
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"only the first {MAX_NOTIFIED} are notified".encode(), response.data)
        count = db.session.scalar(db.select(db.func.count()).select_from(Notification))
        self.assertEqual(count, MAX_NOTIFIED)


class DraftMentionsTestCase(FlaskyTestCase):
    """A draft's @names notify nobody until it is published, and then once."""

    def test_a_draft_notifies_when_published_not_when_saved(self):
        self.create_user("john")
        mary = self.create_user("mary")
        self.login()
        self.client.post("/", data={"body": "Soon, @mary", "save_draft": "Save draft"})
        post = db.session.scalar(db.select(Post).where(Post.draft.is_(True)))
        self.client.post(f"/edit/{post.id}", data={"body": "Soon, @mary", "save_draft": "x"})

        def mentions():
            db.session.expire_all()
            return db.session.scalars(db.select(Notification).where(
                Notification.user_id == mary.id)).all()

        self.assertEqual(mentions(), [])
        self.client.post(f"/edit/{post.id}", data={"body": "Now, @mary", "submit": "Publish"})
        self.assertEqual([note.post_id for note in mentions()], [post.id])
        self.client.post(f"/edit/{post.id}", data={"body": "Edited, @mary"})
        self.assertEqual(len(mentions()), 1)
