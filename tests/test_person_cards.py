"""A person's card in lists of people (/people, followers, search, who to follow),
rendered once per revision of what it shows (app/caching/cards.py, ``person_card``),
with the page cache off: a change to the person or to the follow shows at once, and
each viewer gets their own button, coming back to the page it was pressed on."""

import re

from app import db
from app.caching.cards import PERSON_CARD, audit
from app.models import User
from tests.base import FlaskyTestCase
from tests.social import make_follow


def card_of(page: str, username: str) -> str:
    """The ``<li>`` of ``username`` in a page's list of people."""
    link = re.escape(f'href="/user/{username}"')
    found = re.search(rf'<li class="[^"]*person">(?:(?!</li>).)*?{link}(?:(?!</li>).)*</li>',
                      page, re.S)
    assert found is not None, f"no card of {username}"
    return found.group(0)


class PersonCardTestCase(FlaskyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.alice = self.create_user("alice", about_me="Writes about *rivers*.")
        self.bob = self.create_user("bob")
        self.memo = self.app.extensions["flasky_cards"]

    def person_cards(self) -> int:
        return sum(1 for key in self.memo.cards if key[0] == "User")

    def signed_in(self, username: str):
        client = self.app.test_client()
        client.post("/auth/login", data={"email": f"{username}@example.com",
                                         "password": self.password})
        return client

    def people(self, client=None, path: str = "/people") -> str:
        response = (client or self.app.test_client()).get(path)
        self.assertEqual(response.status_code, 200)
        return response.get_data(as_text=True)

    def test_the_cards_of_todays_template_are_kept(self):
        """If this fails, _person_card.html reads something the card's key cannot hold
        (``audit`` says what): give it to the card, or add it to PURE_NAMES if its
        answer depends only on what the key holds."""
        self.assertIsNone(audit(self.app.jinja_env, *PERSON_CARD).refusal)
        self.people(self.signed_in("bob"))
        self.assertEqual(self.memo.refusals, 0)
        self.assertEqual(self.person_cards(), 2)  # Alice's and Bob's own

    def test_a_card_is_rendered_once_then_served_from_memory(self):
        bob = self.signed_in("bob")
        first = self.people(bob)
        renders, hits = self.memo.renders, self.memo.hits
        again = self.people(bob)
        self.assertEqual(card_of(again, "alice"), card_of(first, "alice"))
        self.assertEqual(self.memo.renders, renders)
        self.assertEqual(self.memo.hits, hits + 2)

    def test_what_a_card_shows_changes_it_at_once(self):
        visitor = self.app.test_client()
        self.assertIn("Writes about rivers.", card_of(self.people(visitor), "alice"))
        alice = db.session.get(User, self.alice.id)
        alice.name, alice.about_me = "Alice Liddell", "Now about seas."
        db.session.commit()
        card = card_of(self.people(visitor), "alice")
        self.assertIn("Alice Liddell", card)
        self.assertIn("Now about seas.", card)
        self.assertNotIn("rivers", card)
        alice.username = "alicia"
        db.session.commit()
        self.assertIn('href="/user/alicia"', self.people(visitor))

    def test_a_follow_turns_the_button_at_once(self):
        bob = self.signed_in("bob")
        self.assertIn(">Follow</button>", card_of(self.people(bob), "alice"))
        make_follow(db.session.get(User, self.bob.id), db.session.get(User, self.alice.id))
        card = card_of(self.people(bob), "alice")
        self.assertIn(">Unfollow</button>", card)
        self.assertIn('action="/unfollow/alice"', card)

    def test_each_viewer_gets_their_own_button(self):
        visitor, alice, bob = self.app.test_client(), self.signed_in("alice"), self.signed_in("bob")
        for _ in range(2):  # the second round comes from memory
            self.assertNotIn("<form", card_of(self.people(visitor), "alice"))
            self.assertNotIn("<form", card_of(self.people(alice), "alice"))  # not herself
            self.assertIn('action="/follow/bob"', card_of(self.people(alice), "bob"))
            self.assertIn('action="/follow/alice"', card_of(self.people(bob), "alice"))

    def test_the_button_comes_back_to_the_page_it_was_pressed_on(self):
        bob = self.signed_in("bob")
        for path in ("/people", "/people?order=active", "/people?order=newest"):
            for _ in range(2):
                page = self.people(bob, path)
                if path.endswith("active"):
                    continue  # nobody has written: no list
                self.assertIn(f'name="next" value="{path}"', card_of(page, "alice"))

    def token_in(self, card: str) -> str:
        return re.search(r'name="csrf_token" value="([^"]+)"', card).group(1)

    def test_a_kept_cards_token_is_its_sessions_own(self):
        alice, bob = self.signed_in("alice"), self.signed_in("bob")
        carol = self.create_user("carol")
        for client in (alice, bob):
            self.people(client)
        self.app.config["WTF_CSRF_ENABLED"] = True
        bobs = self.token_in(card_of(self.people(bob), "carol"))  # from memory
        alices = self.token_in(card_of(self.people(alice), "carol"))
        self.assertEqual(alice.post("/follow/carol", data={"csrf_token": bobs}).status_code, 400)
        for client, token in ((alice, alices), (bob, bobs)):
            response = client.post("/follow/carol", data={"csrf_token": token, "next": "/people"})
            self.assertEqual((response.status_code, response.headers["Location"]), (302, "/people"))
        carol = db.session.get(User, carol.id)
        self.assertTrue(all(db.session.get(User, person.id).is_following(carol)
                            for person in (self.alice, self.bob)))
