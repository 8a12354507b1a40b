"""Finding people: who to follow, the /people directory, and the Follow buttons and
one-line bios that every list of people shows."""

import time
from datetime import timedelta
from unittest.mock import patch

from flask import g

from app import db
from app.models import Block, Mute, RemoteActor, User, utcnow
from app.social import suggestions
from app.social.suggestions import suggestions_for
from tests.base import FlaskyTestCase
from tests.social import make_follow, make_post


def remote_user(username: str) -> User:
    user = User(email=f"{username}@remote.example.com", username=username, confirmed=True)
    db.session.add(user)
    db.session.flush()
    db.session.add(RemoteActor(user_id=user.id, uri=f"https://remote.example/{username}",
                               key_id=f"https://remote.example/{username}#key",
                               public_key_pem="-", inbox=f"https://remote.example/{username}/inbox",
                               domain="remote.example"))
    db.session.commit()
    return user


class SuggestionsTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.me = self.create_user("me")
        self.friend = self.create_user("friend")
        self.other_friend = self.create_user("otherfriend")
        make_follow(self.me, self.friend)
        make_follow(self.me, self.other_friend)

    def names(self, limit: int = 10) -> list[str]:
        g.pop("flasky_hidden", None)  # whom the viewer hides is read once per request
        return [user.username for user in suggestions_for(self.me, limit)]

    def test_people_followed_by_those_i_follow_come_first_then_active_writers(self):
        popular, liked, writer = (self.create_user(name) for name in ("popular", "liked", "writer"))
        make_follow(self.friend, popular)
        make_follow(self.other_friend, popular)
        make_follow(self.friend, liked)
        make_post(writer, "Lately")
        make_post(writer, "Again", minutes=1)
        self.create_user("silent")  # neither followed by friends nor writing: not offered
        self.assertEqual(self.names(), ["popular", "liked", "writer"])
        self.assertEqual(self.names(limit=2), ["popular", "liked"])

    def test_never_myself_nor_people_i_follow(self):
        make_post(self.me, "Mine")
        make_post(self.friend, "My friend's")
        make_follow(self.friend, self.me)
        make_follow(self.friend, self.other_friend)
        self.assertEqual(self.names(), [])

    def test_never_blocked_muted_blocking_suspended_remote_unconfirmed_or_closing(self):
        people = {name: self.create_user(name) for name in (
            "blocked", "muted", "blocker", "suspended", "unconfirmed", "closing", "fine")}
        people["remote"] = remote_user("remote")
        people["unconfirmed"].confirmed = False
        people["closing"].deleting = True
        people["suspended"].suspended_until = utcnow() + timedelta(days=1)
        db.session.add_all([Block(blocker_id=self.me.id, blocked_id=people["blocked"].id),
                            Mute(muter_id=self.me.id, muted_id=people["muted"].id),
                            Block(blocker_id=people["blocker"].id, blocked_id=self.me.id)])
        db.session.commit()
        for person in people.values():
            make_follow(self.friend, person)
            make_post(person, f"By {person.username}")
        self.assertEqual(self.names(), ["fine"])

    def test_the_ranking_is_kept_a_while_but_the_rules_apply_at_once(self):
        popular, liked = self.create_user("popular"), self.create_user("liked")
        make_follow(self.friend, popular)
        make_follow(self.other_friend, popular)
        make_follow(self.friend, liked)
        self.assertEqual(self.names(), ["popular", "liked"])
        newcomer = self.create_user("newcomer")
        make_follow(self.friend, newcomer)
        self.assertEqual(self.names(), ["popular", "liked"])  # ranked a moment ago
        make_follow(self.me, popular)  # following, blocking and muting show at once
        db.session.add(Block(blocker_id=self.me.id, blocked_id=liked.id))
        db.session.commit()
        self.assertEqual(self.names(), [])
        later = time.monotonic() + suggestions.RANKING_SECONDS + 1
        with patch("app.social.suggestions.time.monotonic", return_value=later):
            self.assertEqual(self.names(), ["newcomer"])  # ranked again

    def test_when_the_rules_take_too_many_candidates_it_ranks_them_all(self):
        people = [self.create_user(f"person{number}") for number in range(4)]
        for person in people:
            make_follow(self.friend, person)
        with patch.object(suggestions, "CANDIDATES", 2):
            self.assertEqual(self.names(limit=3), ["person3", "person2", "person1"])
            db.session.add(Mute(muter_id=self.me.id, muted_id=people[3].id))
            db.session.commit()
            self.assertEqual(self.names(limit=3), ["person2", "person1", "person0"])

    def test_the_home_page_offers_them_with_follow_buttons(self):
        make_follow(self.friend, self.create_user("popular", about_me="Writes about *bees*."))
        self.login("me@example.com")
        page = self.client.get("/all").get_data(as_text=True)
        self.assertIn("Who to follow", page)
        box = page[page.index('class="who-to-follow'):]
        self.assertIn('action="/follow/popular"', box)
        self.assertIn("Writes about bees.", box)  # the bio, as one plain line
        self.assertIn('href="/people"', box)

    def test_an_empty_followed_tab_offers_suggestions_instead_of_a_dead_end(self):
        newbie = self.create_user("newbie")
        make_post(self.friend, "Hello from a friend")
        self.login("newbie@example.com")
        page = self.client.get("/followed").get_data(as_text=True)
        self.assertIn("No posts yet - follow someone", page)
        self.assertIn('id="suggestions-heading"', page)
        self.assertIn('action="/follow/friend"', page)
        self.assertNotIn('id="who-to-follow-heading"', page)  # not twice on one page
        self.assertNotIn(f'action="/follow/{newbie.username}"', page)


class DirectoryTestCase(FlaskyTestCase):
    config = {"FLASKY_FOLLOWERS_PER_PAGE": 2}

    def setUp(self):
        super().setUp()
        self.ada = self.create_user("ada", about_me="Counts **engines**.\n\nAnd more.")
        self.bob = self.create_user("bob")
        self.cy = self.create_user("cy")
        for user, days in ((self.ada, 30), (self.bob, 20), (self.cy, 10)):
            user.member_since = utcnow() - timedelta(days=days)
        db.session.commit()
        make_post(self.ada, "One")
        make_post(self.ada, "Two", minutes=1)
        make_post(self.bob, "Three", minutes=2)

    def test_visitors_read_the_newest_members_first_paginated(self):
        page = self.client.get("/people").get_data(as_text=True)
        self.assertIn("<title>People · Flasky</title>", page)
        self.assertLess(page.index(">cy</a>"), page.index(">bob</a>"))
        self.assertNotIn(">ada</a>", page)
        self.assertIn('href="/people?page=2"', page)
        self.assertNotIn('action="/follow/', page)  # visitors get no buttons
        second = self.client.get("/people?page=2").get_data(as_text=True)
        self.assertIn(">ada</a>", second)
        self.assertIn("Counts engines. And more.", " ".join(second.split()))
        self.assertEqual(self.client.get("/people?page=3").status_code, 404)

    def test_most_active_ranks_writers_by_their_recent_posts(self):
        page = self.client.get("/people/active").get_data(as_text=True)
        self.assertLess(page.index(">ada</a>"), page.index(">bob</a>"))
        self.assertNotIn(">cy</a>", page)  # has not written
        self.assertIn('class="nav-link active" href="/people/active" aria-current="page"', page)

    def test_the_navbar_links_to_it(self):
        self.assertIn('href="/people">People</a>', self.client.get("/").get_data(as_text=True))

    def test_signed_in_people_follow_and_unfollow_from_it_and_come_back(self):
        self.login("ada@example.com")
        page = self.client.get("/people").get_data(as_text=True)
        self.assertIn('action="/follow/cy"', page)
        self.assertIn('name="next" value="/people"', page)
        response = self.client.post("/follow/cy", data={"next": "/people"})
        self.assertRedirectsTo(response, "/people")
        page = self.client.get("/people").get_data(as_text=True)
        self.assertIn("You are now following cy.", page)
        self.assertIn('action="/unfollow/cy"', page)
        self.assertRedirectsTo(self.client.post("/unfollow/cy", data={"next": "/people"}),
                               "/people")
        self.assertFalse(self.ada.is_following(self.cy))

    def test_an_unsafe_next_goes_to_the_profile_instead(self):
        self.login("ada@example.com")
        for target in ("https://evil.example/", "//evil.example", "/\\evil.example"):
            self.assertRedirectsTo(self.client.post("/follow/cy", data={"next": target}),
                                   "/user/cy")

    def test_suspended_and_blocked_people_are_not_listed(self):
        self.cy.suspended_until = utcnow() + timedelta(days=1)
        db.session.add(Block(blocker_id=self.ada.id, blocked_id=self.bob.id))
        db.session.commit()
        self.login("ada@example.com")
        page = self.client.get("/people").get_data(as_text=True)
        self.assertNotIn(">cy</a>", page)
        self.assertNotIn(">bob</a>", page)


class PeopleListsTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.fan = self.create_user("fan", name="A Fan", about_me="I like *things*.")
        self.other = self.create_user("other")
        make_follow(self.fan, self.other)
        make_follow(self.john, self.fan)

    def test_followers_and_following_show_bio_and_the_viewers_follow_state(self):
        self.login()
        followers = self.client.get("/followers/other").get_data(as_text=True)
        self.assertIn('action="/unfollow/fan"', followers)  # john follows fan
        self.assertIn("I like things.", followers)
        self.assertIn("A Fan", followers)
        following = self.client.get("/followed_by/fan").get_data(as_text=True)
        self.assertIn('action="/follow/other"', following)
        self.assertIn('name="next" value="/followed_by/fan"', following)
        mine = self.client.get("/followers/fan").get_data(as_text=True)
        self.assertNotIn('action="/follow/john"', mine)  # never a button for oneself
        self.assertNotIn('action="/unfollow/john"', mine)

    def test_search_results_for_people_have_the_buttons_too(self):
        self.login()
        page = self.client.get("/search?q=fan&kind=people").get_data(as_text=True)
        self.assertIn('action="/unfollow/fan"', page)
        self.assertIn("<mark>fan</mark>", page)


class CachedPeopleListsTestCase(FlaskyTestCase):
    config = {"FLASKY_CACHE": True}

    def test_a_follow_shows_on_the_next_request_of_a_cached_list(self):
        self.create_user("john")
        fan, other = self.create_user("fan"), self.create_user("other")
        make_follow(fan, other)
        self.login()
        self.client.get("/followers/other")
        cached = self.client.get("/followers/other")
        self.assertEqual(cached.headers.get("X-Flasky-Cache"), "hit")
        self.assertIn('action="/follow/fan"', cached.get_data(as_text=True))
        self.client.post("/follow/fan", data={"next": "/followers/other"})
        self.client.get("/followers/other")  # the page with the flashed message
        page = self.client.get("/followers/other").get_data(as_text=True)
        self.assertIn('action="/unfollow/fan"', page)
