"""Post and comment cards rendered once per revision of what they show (app/caching/cards.py),
with the page cache off: every change a card shows gives it a new key, every viewer
gets the links that are theirs, and a card the key cannot vouch for is never kept."""

import re
from datetime import timedelta
from unittest import mock

from flask import g, render_template_string
from flask_login import login_user
from jinja2 import ChoiceLoader, DictLoader, Environment

from app import db
from app.caching import cards
from app.caching.cards import COMMENT_CARD, audit
from app.images.posts import load_images
from app.models import Block, Comment, Post, User, utcnow
from tests.base import FlaskyTestCase


class PostCardTestCase(FlaskyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.alice = self.create_user("alice")
        self.bob = self.create_user("bob")
        self.mod = self.create_user("mod", role="Moderator")
        self.post = Post(body="First words", author=self.alice)
        other = Post(body="Bob writes too", author=self.bob)
        db.session.add_all([self.post, other])
        db.session.commit()
        self.post_id = self.post.id
        self.memo = self.app.extensions["flasky_cards"]
        self.visitor = self.app.test_client()

    def home(self, client=None, **kwargs) -> str:
        response = (client or self.visitor).get("/", **kwargs)
        self.assertEqual(response.status_code, 200)
        return response.get_data(as_text=True)

    def signed_in(self, username: str):
        client = self.app.test_client()
        client.post("/auth/login", data={"email": f"{username}@example.com",
                                         "password": self.password})
        return client

    def card(self, viewer: User | None = None) -> str:
        """The card of Alice's post, for ``viewer`` (anonymous when None)."""
        vars(g).clear()  # nobody signed in yet, as in a new request
        with self.app.test_request_context("/"):
            if viewer is not None:
                login_user(db.session.get(User, viewer.id))
            # As lists load it: with its author and images (a card loads nothing).
            post = db.session.scalars(Post.newest_first().where(Post.id == self.post_id)).one()
            load_images([post])
            return render_template_string("{{ post_card(post, 0) }}", post=post)

    def post_cards(self) -> int:
        return sum(1 for key in self.memo.cards if key[0] == "Post")

    def test_a_card_is_rendered_once_then_served_from_memory(self):
        first = self.home()
        self.assertEqual((self.memo.renders, self.memo.hits, len(self.memo.cards)), (2, 0, 2))
        self.assertEqual(re.sub('nonce="[^"]+"', "", self.home()),
                         re.sub('nonce="[^"]+"', "", first))
        self.assertEqual((self.memo.renders, self.memo.hits), (2, 2))

    def test_a_lists_cards_share_one_setup_and_each_list_has_its_own(self):
        # The template, the memo and the viewer's part of the key, once per list rendered.
        with mock.patch.object(cards, "_setup", wraps=cards._setup) as setup:
            self.home()
            self.assertEqual(setup.call_count, 1)
            self.home(self.signed_in("bob"))  # the posts, and the people Bob may follow
            self.assertEqual([call.args[1] for call in setup.call_args_list],
                             [cards.POST_CARD, cards.POST_CARD, cards.PERSON_CARD])
        self.assertEqual(self.post_cards(), 4)  # two cards, for a visitor and for Bob

    def test_a_list_renders_each_card_as_it_would_alone(self):
        """``post_cards`` works out the list's share of the keys once; each card still
        says whose it is (Edit on Alice's own post only) and matches ``post_card``."""
        vars(g).clear()
        with self.app.test_request_context("/"):
            login_user(db.session.get(User, self.alice.id))
            posts = list(db.session.scalars(Post.newest_first()))
            load_images(posts)
            counts = {posts[0].id: 3}
            alone = render_template_string(
                "{% for post in posts %}{{ post_card(post, counts.get(post.id, 0)) }}{% endfor %}",
                posts=posts, counts=counts)
            listed = render_template_string("{{ post_cards(posts, counts) }}",
                                            posts=posts, counts=counts)
            listed_again = render_template_string("{{ post_cards(posts, counts) }}",
                                                  posts=posts, counts=counts)
        self.assertEqual(listed, alone)
        self.assertEqual(listed_again, alone)
        edits = re.findall(r'href="/edit/(\d+)"', listed)
        self.assertEqual(edits, [str(self.post_id)])
        self.assertIn("3 comments", listed)

    def test_a_post_page_keeps_its_whole_post_apart_from_the_list_card(self):
        post = db.session.get(Post, self.post_id)
        post.title, post.body = "A long one", "The opening.\n\n<!--more-->\n\nThe rest of it."
        db.session.commit()
        self.assertNotIn("The rest of it.", self.home())
        renders = self.memo.renders
        pages = [self.visitor.get(f"/post/{self.post_id}") for _ in range(2)]
        self.assertEqual([page.status_code for page in pages], [200, 200])
        whole = pages[1].get_data(as_text=True)
        self.assertIn("The rest of it.", whole)
        self.assertIn('<h1 class="h3 post-title mt-1">A long one</h1>', whole)
        self.assertEqual(self.memo.renders, renders + 1)  # the second visit is a hit
        self.assertNotIn("The rest of it.", self.home())  # the list's card is still its own
        self.assertEqual(self.memo.renders, renders + 1)

    def test_what_a_card_shows_changes_it_at_once(self):
        self.home()
        post = db.session.get(Post, self.post_id)
        post.body = "Second thoughts"
        db.session.commit()
        page = self.home()
        self.assertIn("Second thoughts", page)
        self.assertNotIn("First words", page)
        db.session.add(Comment(body="A reply", post_id=self.post_id, author_id=self.bob.id))
        db.session.commit()
        self.assertIn("1 comment</a>", self.home())
        alice = db.session.get(User, self.alice.id)
        alice.username = "alicia"
        db.session.commit()
        self.assertIn('href="/user/alicia"', self.home())
        alice.avatar_image = "0123456789abcdef.png"
        db.session.commit()
        self.assertIn('src="/images/0123456789abcdef.png"', self.home())
        self.assertEqual(self.memo.renders, 6)  # the other card was rendered once

    def test_each_viewer_gets_their_own_links(self):
        edit, delete = f'href="/edit/{self.post_id}"', f'href="/post/{self.post_id}/delete"'
        report = f'href="/report/post/{self.post_id}"'
        viewers = {"alice": self.signed_in("alice"), "bob": self.signed_in("bob"),
                   "mod": self.signed_in("mod"), "visitor": self.visitor}
        expected = {"alice": {edit, delete}, "bob": {report}, "mod": {delete, report},
                    "visitor": set()}
        for _ in range(2):  # the second round comes from memory
            for name, client in viewers.items():
                client.get("/all")
                page = self.home(client)
                shown = {link for link in (edit, delete, report) if link in page}
                self.assertEqual(shown, expected[name], name)
        self.assertGreaterEqual(self.memo.hits, 8)

    def test_a_suspended_authors_post_is_hidden_but_from_moderators(self):
        self.assertIn("First words", self.card())
        self.assertIn("First words", self.card(self.mod))
        alice = db.session.get(User, self.alice.id)
        alice.suspended_until = utcnow() + timedelta(days=1)
        db.session.commit()
        self.assertNotIn("First words", self.card())
        self.assertIn("post-hidden", self.card())
        self.assertIn("First words", self.card(self.mod))
        self.assertNotIn("post-hidden", self.card(self.mod))
        self.assertEqual(self.memo.hits, 2)  # the last two came from memory

    def test_each_language_has_its_own_card(self):
        db.session.add(Comment(body="A reply", post_id=self.post_id, author_id=self.bob.id))
        db.session.commit()
        self.assertIn("1 comment</a>", self.home())
        self.assertIn("1 comentario</a>", self.home(headers={"Accept-Language": "es"}))
        self.assertIn("1 comment</a>", self.home())

    def test_the_cards_of_todays_template_are_kept(self):
        """If this fails, _post.html reads something the card's key cannot hold
        (``audit`` says what): add it to the key, or to PURE_NAMES if its answer
        depends only on what the key holds."""
        found = audit(self.app.jinja_env, "_post.html")
        self.assertIsNone(found.refusal)
        self.home(self.signed_in("alice"))
        self.assertEqual((self.memo.refusals, self.post_cards()), (0, 2))

    def test_the_memory_is_bounded(self):
        self.memo.size = 1
        self.home()
        self.assertEqual(len(self.memo.cards), 1)
        self.home()
        self.assertEqual(self.memo.renders, 4)


class CommentCardTestCase(FlaskyTestCase):
    """The post page's comments are cards too, each viewer getting their own."""

    def setUp(self) -> None:
        super().setUp()
        self.alice = self.create_user("alice")
        self.bob = self.create_user("bob")
        self.mod = self.create_user("mod", role="Moderator")
        post = Post(body="First words", author=self.alice)
        db.session.add(post)
        db.session.flush()
        self.comment = Comment(body="A kind reply", post_id=post.id, author_id=self.bob.id)
        db.session.add(self.comment)
        db.session.commit()
        self.post_id, self.comment_id = post.id, self.comment.id
        self.memo = self.app.extensions["flasky_cards"]

    def signed_in(self, username: str):
        client = self.app.test_client()
        client.post("/auth/login", data={"email": f"{username}@example.com",
                                         "password": self.password})
        return client

    def comments(self, client, path: str | None = None) -> str:
        response = client.get(path or f"/post/{self.post_id}")
        self.assertEqual(response.status_code, 200)
        page = response.get_data(as_text=True)
        return page[page.index('id="comments"'):]

    def comment_cards(self) -> int:
        return sum(1 for key in self.memo.cards if key[0] == "Comment")

    def test_a_comment_is_rendered_once_then_served_from_memory(self):
        visitor = self.app.test_client()
        first = self.comments(visitor)
        self.assertIn("A kind reply", first)
        self.assertEqual(self.comment_cards(), 1)
        hits = self.memo.hits
        self.assertEqual(re.sub('nonce="[^"]+"', "", self.comments(visitor)),
                         re.sub('nonce="[^"]+"', "", first))
        self.assertEqual(self.memo.hits, hits + 2)  # the comment's card and the post's
        self.assertEqual(self.memo.refusals, 0)

    def test_visitors_share_the_cards_that_show_no_form(self):
        for _ in range(3):  # each a new visitor, without a cookie
            self.comments(self.app.test_client(use_cookies=False))
        self.assertEqual(self.comment_cards(), 1)
        self.assertEqual(self.memo.renders, 2)  # the comment's card and the post's, once each

    def test_what_a_comment_shows_changes_it_at_once(self):
        visitor = self.app.test_client()
        self.comments(visitor)
        comment = db.session.get(Comment, self.comment_id)
        comment.disabled = True
        db.session.commit()
        page = self.comments(visitor)
        self.assertNotIn("A kind reply", page)
        self.assertIn("disabled by a moderator", page)
        self.assertIn("A kind reply", self.comments(self.signed_in("mod")))  # moderators read it
        bob = db.session.get(User, self.bob.id)
        bob.username = "robert"
        db.session.commit()
        self.assertIn('href="/user/robert"', self.comments(visitor))

    def test_each_viewer_gets_their_own_buttons(self):
        delete = f'action="/comment/{self.comment_id}/delete?page=1"'
        disable = f'action="/moderate/disable/{self.comment_id}"'
        report = f'href="/report/comment/{self.comment_id}"'
        viewers = {"bob": self.signed_in("bob"), "alice": self.signed_in("alice"),
                   "mod": self.signed_in("mod"), "visitor": self.app.test_client()}
        expected = {"bob": {delete}, "alice": {report}, "mod": {delete, disable, report},
                    "visitor": set()}
        for _ in range(2):  # the second round comes from memory
            for name, client in viewers.items():
                client.get("/all")  # a session with its CSRF secret
                page = self.comments(client)
                shown = {mark for mark in (delete, disable, report) if mark in page}
                self.assertEqual(shown, expected[name], name)
        self.assertEqual(self.memo.refusals, 0)

    def test_a_moderators_disable_comes_back_to_the_page_it_was_pressed_on(self):
        mod = self.signed_in("mod")
        for path in (f"/post/{self.post_id}", f"/post/{self.post_id}?page=1"):
            for _ in range(2):
                page = self.comments(mod, path)
                self.assertIn(f'name="next" value="{path}"', page)

    def test_a_blocked_authors_comment_is_collapsed_for_the_blocker_alone(self):
        alice = self.signed_in("alice")
        self.assertIn("A kind reply", self.comments(alice))
        db.session.add(Block(blocker_id=self.alice.id, blocked_id=self.bob.id))
        db.session.commit()
        page = self.comments(alice)
        self.assertNotIn("A kind reply", page)
        self.assertIn("comment-hidden", page)
        self.assertIn("A kind reply", self.comments(self.app.test_client()))

    def test_the_cards_of_todays_template_are_kept(self):
        """If this fails, _comment.html reads something the card's key cannot hold
        (``audit`` says what): give it to the card, or add it to PURE_NAMES if its
        answer depends only on what the key holds."""
        self.assertIsNone(audit(self.app.jinja_env, *COMMENT_CARD).refusal)
        self.comments(self.signed_in("mod"))
        self.assertEqual((self.memo.refusals, self.comment_cards()), (0, 1))

    def test_a_comment_template_reading_the_request_is_rendered_each_time(self):
        env = self.app.jinja_env
        env.loader = ChoiceLoader([DictLoader({
            "_comment.html": "<li>{{ request.path }} {{ comment.body_html | safe }}</li>"}),
            env.loader])
        env.cache.clear()
        for _ in range(2):
            db.session.remove()
            self.assertIn(f"/post/{self.post_id} <p>A kind reply</p>",
                          self.comments(self.app.test_client()))
        self.assertEqual(self.comment_cards(), 0)
        self.assertEqual(self.memo.refusals, 2)


class CardsTheKeyCannotHoldTestCase(FlaskyTestCase):
    """A card template reading what the key does not hold is rendered every time."""

    def setUp(self) -> None:
        super().setUp()
        author = self.create_user("alice")
        db.session.add(Post(body="First words", author=author))
        db.session.commit()
        self.memo = self.app.extensions["flasky_cards"]

    def card_template(self, source: str) -> None:
        env = self.app.jinja_env
        env.loader = ChoiceLoader([DictLoader({"_post.html": source}), env.loader])
        env.cache.clear()

    def rendered_each_time(self, source: str, expect: str) -> None:
        self.card_template(source)
        for _ in range(2):
            db.session.remove()  # each request loads its rows afresh, as in production
            self.assertIn(expect, self.client.get("/").get_data(as_text=True))
        self.assertEqual(self.memo.cards, {})
        self.assertEqual(self.memo.hits, 0)

    def test_a_per_request_value(self):
        self.rendered_each_time("<p>{{ request.path }} {{ post.body_html | safe }}</p>",
                                "<p>/ <p>First words</p>")
        self.assertEqual(self.memo.refusals, 2)

    def test_what_the_viewer_is_beyond_their_permissions(self):
        self.rendered_each_time("<p>[{{ current_user.is_authenticated }}]</p>"
                                "<p>{{ current_user.username }}</p>", "[False]")

    def test_a_role_which_keys_do_not_hold(self):
        # Lists load their authors without roles, pages of one person with it: keys
        # leave roles out (row_state), so a card that shows one is never kept.
        self.rendered_each_time("<p>{{ post.author.role.name }}</p>", "<p>User</p>")
        found = audit(Environment(loader=DictLoader({"card": "{{ post.author.role }}"})), "card")
        self.assertIn(".role", found.refusal)

    def test_rows_the_rendering_loads(self):
        self.rendered_each_time("<p>{{ post.tags | length }} tags</p>", "<p>0 tags</p>")

    def test_a_helper_nobody_vouched_for(self):
        found = audit(Environment(loader=DictLoader({"card": "{{ whatever(post) }}"})), "card")
        self.assertEqual(found.plain, ("whatever",))  # a function is no plain value

    def test_a_csrf_token_keys_the_card_on_the_session(self):
        self.app.jinja_env.loader = ChoiceLoader([DictLoader({
            "card": "{% from 'form' import button %}{{ button() }}",
            "form": "{% macro button() %}{{ csrf_token() }}{% endmacro %}"}),
            self.app.jinja_env.loader])
        self.assertTrue(audit(self.app.jinja_env, "card").csrf)  # a global, found too
