"""Private messages: conversations, threads, refusals, reading and deleting."""

from app import db
from app.models import Message, Notification, User
from tests.base import FlaskyTestCase
from tests.social import live_markup_problems
from tests.test_api_base import ApiTestCase


class MessagePagesTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.mary = self.create_user("mary")

    def messages(self):
        db.session.expire_all()
        return [(m.sender.username, m.body) for m in db.session.scalars(
            db.select(Message).order_by(Message.id))]

    def send(self, username, body, **kwargs):
        return self.client.post(f"/messages/{username}", data={"body": body}, **kwargs)

    def test_a_conversation_both_ways(self):
        self.login()
        response = self.send("mary", "Hello *Mary*")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/messages/mary#message-", response.headers["Location"])
        self.logout()
        self.login("mary@example.com")
        self.assertIn(b'notification-count">1<', self.client.get("/").data)
        page = self.client.get("/messages").get_data(as_text=True)
        self.assertIn("conversation-unread", page)
        self.assertIn("1 new", page)
        thread = self.client.get("/messages/john").get_data(as_text=True)
        self.assertIn("Hello <em>Mary</em>", thread)
        self.assertIn('notification-count" hidden>0<', thread)
        self.assertNotIn("conversation-unread", self.client.get("/messages").get_data(as_text=True))
        self.send("john", "Hi John")
        thread = self.client.get("/messages/john").get_data(as_text=True)
        self.assertLess(thread.index("Hello <em>Mary</em>"), thread.index("Hi John"))
        self.assertEqual(self.messages(), [("john", "Hello *Mary*"), ("mary", "Hi John")])

    def test_bad_input_gets_clear_messages(self):
        self.login()
        response = self.send("john", "Me", follow_redirects=True)
        self.assertIn(b"You cannot send a message to yourself.", response.data)
        response = self.send("nobody", "Hi")
        self.assertEqual(response.status_code, 404)
        self.assertIn(b"There is no user called", response.data)
        response = self.send("mary", "   ")
        self.assertIn(b"Please write something first.", response.data)
        response = self.send("mary", "x" * (Message.BODY_MAX_LENGTH + 1))
        self.assertIn(b"Please keep it under 2,000 characters.", response.data)
        self.assertEqual(self.messages(), [])

    def test_someone_who_blocked_me_cannot_be_messaged_and_my_text_stays(self):
        self.login("mary@example.com")
        self.client.post("/block/john")
        self.logout()
        self.login()
        page = self.client.get("/messages/mary").get_data(as_text=True)
        self.assertIn("mary is not accepting messages from you.", page)
        self.assertNotIn('class="message-form"', page)
        response = self.send("mary", "Please read this")
        self.assertEqual(response.status_code, 200)
        page = response.get_data(as_text=True)
        self.assertIn("mary is not accepting messages from you.", page)
        self.assertIn("Please read this", page)
        self.assertNotIn("blocked", page)
        self.assertEqual(self.messages(), [])

    def test_only_the_sender_deletes_and_it_is_gone_for_both(self):
        self.login()
        self.send("mary", "Oops")
        message = db.session.scalar(db.select(Message))
        self.logout()
        self.login("mary@example.com")
        self.assertEqual(self.client.post(f"/messages/{message.id}/delete").status_code, 403)
        self.assertNotIn(f"/messages/{message.id}/delete",
                         self.client.get("/messages/john").get_data(as_text=True))
        self.logout()
        self.login()
        response = self.client.post(f"/messages/{message.id}/delete", follow_redirects=True)
        self.assertIn(b"The message has been deleted, for both of you.", response.data)
        self.assertEqual(self.messages(), [])
        self.assertEqual(self.client.post(f"/messages/{message.id}/delete").status_code, 404)
        self.logout()
        self.login("mary@example.com")
        page = self.client.get("/notifications").get_data(as_text=True)
        self.assertIn("A message to you has since been deleted by its sender.", page)

    def test_hostile_message_bodies_stay_inert(self):
        from tests.social import XSS_PAYLOADS

        self.login()
        for payload in XSS_PAYLOADS:
            self.send("mary", payload)
        page = self.client.get("/messages/mary?page=1").get_data(as_text=True)
        self.assertEqual(live_markup_problems(page.split("<main", 1)[1]), [])
        self.assertEqual(len(self.messages()), len(XSS_PAYLOADS))

    def test_pages_need_login(self):
        self.assertEqual(self.client.get("/messages").status_code, 302)
        self.assertEqual(self.client.get("/messages/mary").status_code, 302)


class MessageApiTestCase(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.mary = self.create_user("mary")
        self.susan = self.create_user("susan")

    def test_send_list_read_and_delete(self):
        sent = self.call("POST", f"/users/{self.mary.id}/messages/", self.john,
                         json={"body": "Hello"})
        self.assertEqual(sent.status_code, 201, sent.json)
        location = sent.headers["Location"]
        self.assertEqual(sent.json["body_html"], "<p>Hello</p>")
        listed = self.call("GET", "/messages/", self.mary).json
        self.assertEqual(listed["count"], 1)
        self.assertEqual((listed["conversations"][0]["username"],
                          listed["conversations"][0]["unread"]), ("john", 1))
        thread = self.call("GET", f"/users/{self.john.id}/messages/", self.mary).json
        self.assertEqual([m["body"] for m in thread["messages"]], ["Hello"])
        self.assertEqual(self.call("POST", f"/users/{self.john.id}/messages/read",
                                   self.mary).status_code, 204)
        self.assertEqual(self.call("GET", "/messages/", self.mary).json[
            "conversations"][0]["unread"], 0)
        path = location.split("/api/v1", 1)[1]
        self.assertEqual(self.call("GET", path, self.susan).status_code, 404)
        self.assertError(self.call("DELETE", path, self.mary), 403, "only the sender")
        self.assertEqual(self.call("DELETE", path, self.john).status_code, 204)
        self.assertEqual(self.call("GET", path, self.john).status_code, 404)

    def test_refusals(self):
        def send(user, to, body):
            return self.call("POST", f"/users/{to.id}/messages/", user, json=body)

        self.assertError(send(self.john, self.john, {"body": "me"}), 400, "yourself")
        self.assertError(send(self.john, self.mary, {"body": " "}), 400, "must not be empty")
        self.assertError(send(self.john, self.mary, {"body": "x" * 2001}), 400, "at most")
        self.assertError(send(self.john, self.mary, {"text": "hi"}), 400, "unexpected")
        self.assertEqual(self.call("POST", "/users/999/messages/", self.john,
                                   json={"body": "hi"}).status_code, 404)
        self.call("POST", "/notifications/read", self.mary)
        self.login("mary@example.com")
        self.client.post("/block/john")
        self.assertError(send(self.john, self.mary, {"body": "hi"}), 403,
                         "mary is not accepting messages from you")
        self.assertEqual(db.session.scalar(db.select(db.func.count()).select_from(Message)), 0)
        self.assertEqual(db.session.get(User, self.mary.id).unread_notifications, 0)
        self.assertEqual(db.session.scalar(db.select(db.func.count()).select_from(
            Notification)), 0)
