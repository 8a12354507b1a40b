"""Discovery (WebFinger, NodeInfo, host-meta), actor documents, collections and
Notes; the off switch; and the page cache keeping documents and pages apart."""

from app.caching.page_keys import page_key
from app.extensions import db
from app.federation.keys import load_public_key
from app.models import Post
from tests.base import FlaskyTestCase
from tests.federation import AP, AP_LD, get_document, json_of, make_remote_account


class DiscoveryTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john", name="John Smith", about_me="I **write**.")

    def test_webfinger_finds_a_local_account_with_its_actor(self):
        response = self.client.get("/.well-known/webfinger?resource=acct:john@localhost")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.mimetype, "application/jrd+json")
        document = json_of(response)
        self.assertEqual(document["subject"], "acct:john@localhost")
        self_link = [link for link in document["links"] if link["rel"] == "self"][0]
        self.assertEqual(self_link["type"], AP)
        self.assertEqual(self_link["href"], "http://localhost/federation/users/john")
        profile = [link for link in document["links"]
                   if link["rel"] == "http://webfinger.net/rel/profile-page"][0]
        self.assertEqual(profile["href"], "http://localhost/user/john")

    def test_webfinger_by_actor_url_and_in_any_case(self):
        for resource in ("http://localhost/federation/users/john", "acct:JOHN@localhost",
                         "http://localhost/user/john"):
            response = self.client.get("/.well-known/webfinger",
                                       query_string={"resource": resource})
            self.assertEqual(response.status_code, 200, resource)
            self.assertEqual(json_of(response)["subject"], "acct:john@localhost")

    def test_webfinger_refusals(self):
        make_remote_account("remy")
        self.create_user("newbie", confirmed=False)
        cases = {"": 400, "acct:nobody@localhost": 404,
                 "acct:john@elsewhere.example": 404,
                 "acct:remy@remote.example@localhost": 404, "acct:newbie@localhost": 404,
                 "x" * 600: 400, "acct:@": 404}
        for resource, status in cases.items():
            response = self.client.get("/.well-known/webfinger",
                                       query_string={"resource": resource})
            self.assertEqual(response.status_code, status, resource)
            self.assertEqual(response.mimetype, "application/json")
            self.assertIn("message", json_of(response))

    def test_nodeinfo_counts_local_people_and_posts_only(self):
        remote, _ = make_remote_account()
        remote_id = remote.user_id
        db.session.add_all([Post(body="mine", author_id=self.john.id),
                            Post(body="theirs", author_id=remote_id),
                            Post(body="draft", author_id=self.john.id, draft=True)])
        db.session.commit()
        links = json_of(self.client.get("/.well-known/nodeinfo"))["links"]
        self.assertEqual(links[0]["href"], "http://localhost/nodeinfo/2.1")
        document = json_of(self.client.get("/nodeinfo/2.1"))
        self.assertEqual(document["version"], "2.1")
        self.assertEqual(document["software"]["name"], "flasky")
        self.assertEqual(document["protocols"], ["activitypub"])
        self.assertEqual(document["usage"]["users"]["total"], 1)
        self.assertEqual(document["usage"]["localPosts"], 1)

    def test_host_meta_points_at_webfinger(self):
        response = self.client.get("/.well-known/host-meta")
        self.assertEqual(response.mimetype, "application/xrd+xml")
        self.assertIn('template="http://localhost/.well-known/webfinger?resource={uri}"',
                      response.get_data(as_text=True))


class ActorTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john", name="John Smith",
                                     about_me="I <b>write</b> **a lot**.")

    def test_the_actor_is_a_person_with_a_public_key(self):
        for accept in (AP, AP_LD):
            response = get_document(self.client, "/federation/users/john", accept)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.mimetype, AP)
            actor = json_of(response)
            self.assertEqual(actor["type"], "Person")
            self.assertEqual(actor["id"], "http://localhost/federation/users/john")
            self.assertEqual(actor["preferredUsername"], "john")
            self.assertEqual(actor["name"], "John Smith")
            self.assertIn("<strong>a lot</strong>", actor["summary"])
            self.assertNotIn("<b>", actor["summary"].replace("<b>write</b>", ""))
            self.assertEqual(actor["url"], "http://localhost/user/john")
            self.assertTrue(actor["icon"]["url"].startswith("http://localhost/"))
            self.assertEqual(actor["endpoints"]["sharedInbox"], "http://localhost/federation/inbox")
            key = actor["publicKey"]
            self.assertEqual(key["id"], actor["id"] + "#main-key")
            self.assertEqual(key["owner"], actor["id"])
            self.assertEqual(load_public_key(key["publicKeyPem"]).key_size, 2048)
        self.assertEqual(json_of(get_document(self.client, "/federation/users/john"))
                         ["publicKey"]["publicKeyPem"], key["publicKeyPem"])

    def test_unknown_and_remote_accounts_have_no_actor_here(self):
        make_remote_account("remy")
        for path in ("/federation/users/nobody", "/federation/users/remy@remote.example"):
            self.assertEqual(get_document(self.client, path).status_code, 404, path)

    def test_browsers_go_to_the_profile_and_clients_to_the_actor(self):
        response = self.client.get("/federation/users/john", headers={"Accept": "text/html"})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response.location.endswith("/user/john"))
        response = get_document(self.client, "/user/john")
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.location.endswith("/federation/users/john"))
        post = Post(body="hello", author=self.john)
        db.session.add(post)
        db.session.commit()
        response = get_document(self.client, f"/post/{post.id}", AP_LD)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.location.endswith(f"/federation/posts/{post.id}"))

    def test_outbox_lists_published_posts_as_create_activities(self):
        db.session.add_all([Post(body="first *note*", author=self.john),
                            Post(body="an article", title="A Title", author=self.john),
                            Post(body="secret", author=self.john, draft=True)])
        db.session.commit()
        outbox = json_of(get_document(self.client, "/federation/users/john/outbox"))
        self.assertEqual(outbox["type"], "OrderedCollection")
        self.assertEqual(outbox["totalItems"], 2)
        page = json_of(get_document(self.client, outbox["first"].replace("http://localhost", "")))
        self.assertEqual(page["type"], "OrderedCollectionPage")
        kinds = sorted(item["object"]["type"] for item in page["orderedItems"])
        self.assertEqual(kinds, ["Article", "Note"])
        self.assertTrue(all(item["type"] == "Create" for item in page["orderedItems"]))
        article = [item["object"] for item in page["orderedItems"]
                   if item["object"]["type"] == "Article"][0]
        self.assertEqual(article["name"], "A Title")
        self.assertEqual(article["attributedTo"], "http://localhost/federation/users/john")
        self.assertIn("https://www.w3.org/ns/activitystreams#Public", article["to"])

    def test_followers_and_following_count_local_and_remote_people(self):
        remote, _ = make_remote_account("remy")
        mary = self.create_user("mary")
        mary.follow(self.john)
        remote.user.follow(self.john)
        self.john.follow(mary)
        db.session.commit()
        followers = json_of(get_document(self.client, "/federation/users/john/followers"))
        self.assertEqual(followers["totalItems"], 2)
        items = json_of(get_document(self.client, "/federation/users/john/followers?page=1"))
        self.assertEqual(sorted(items["orderedItems"]),
                         ["http://localhost/federation/users/mary", remote.uri])
        following = json_of(get_document(self.client, "/federation/users/john/following"))
        self.assertEqual(following["totalItems"], 1)

    def test_a_note_is_served_for_a_published_local_post_only(self):
        remote, _ = make_remote_account("remy")
        remote_id = remote.user_id
        post = Post(body="visible", author_id=self.john.id)
        draft = Post(body="x", author_id=self.john.id, draft=True)
        theirs = Post(body="mirrored", author_id=remote_id)
        db.session.add_all([post, draft, theirs])
        db.session.commit()
        note = json_of(get_document(self.client, f"/federation/posts/{post.id}"))
        self.assertEqual(note["id"], f"http://localhost/federation/posts/{post.id}")
        self.assertEqual(note["url"], f"http://localhost/post/{post.id}")
        for other in (draft, theirs):
            self.assertEqual(get_document(self.client, f"/federation/posts/{other.id}")
                             .status_code, 404)


class FederationOffTestCase(FlaskyTestCase):
    config = {"FLASKY_FEDERATION": False}

    def test_every_federation_endpoint_answers_404(self):
        self.create_user("john")
        for path in ("/.well-known/webfinger?resource=acct:john@localhost",
                     "/.well-known/nodeinfo", "/nodeinfo/2.1", "/.well-known/host-meta",
                     "/federation/users/john", "/federation/users/john/outbox",
                     "/federation/users/john/followers", "/federation/inbox",
                     "/federation/actor"):
            self.assertEqual(get_document(self.client, path).status_code, 404, path)

    def test_profile_pages_stay_pages(self):
        self.create_user("john")
        response = get_document(self.client, "/user/john")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.mimetype, "text/html")


class DocumentsAndPagesCacheTestCase(FlaskyTestCase):
    """With the page cache on, an ActivityPub client never gets a cached page
    and a browser never gets a document."""

    config = {"FLASKY_CACHE": True}

    def test_a_cached_profile_is_not_served_to_a_federation_client(self):
        self.create_user("john")
        first = self.client.get("/user/john")
        self.assertEqual(first.mimetype, "text/html")
        self.assertEqual(first.headers.get("X-Flasky-Cache"), "miss")
        self.assertEqual(self.client.get("/user/john").headers.get("X-Flasky-Cache"), "hit")
        for accept in (AP, AP_LD):
            response = get_document(self.client, "/user/john", accept)
            self.assertEqual(response.status_code, 303, accept)
            actor = get_document(self.client, response.location)
            self.assertEqual(actor.mimetype, AP)
            self.assertEqual(json_of(actor)["type"], "Person")
            self.assertIsNone(actor.headers.get("X-Flasky-Cache"))
        again = self.client.get("/user/john")
        self.assertEqual(again.mimetype, "text/html")
        self.assertEqual(again.headers.get("X-Flasky-Cache"), "hit")

    def test_federation_requests_get_no_page_key(self):
        self.create_user("john")
        with self.app.test_request_context("/user/john", headers={"Accept": AP}):
            self.app.preprocess_request()
            self.assertIsNone(page_key(None))
        with self.app.test_request_context("/federation/users/john", headers={"Accept": AP}):
            self.assertIsNone(page_key(None))
        with self.app.test_request_context("/user/john", headers={"Accept": "text/html"}):
            self.assertIsNotNone(page_key(None))
