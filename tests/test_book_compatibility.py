"""The habits of the book's Flasky that still work here (README: "Coming from
the book's Flasky" lists the deliberate differences)."""

from app import db, fake
from app.exceptions import ValidationError
from app.models import Comment, Post, User
from tests.base import FlaskyTestCase


class BookHabitsTestCase(FlaskyTestCase):
    def test_followed_posts_is_a_query_of_followed_and_own_posts(self):
        john, susan, david = (self.create_user(name) for name in ("john", "susan", "david"))
        john.follow(susan)
        db.session.add_all([Post(body=f"by {user.username}", author=user)
                            for user in (john, susan, david)])
        db.session.commit()
        bodies = [post.body for post in db.session.scalars(john.followed_posts)]
        self.assertEqual(sorted(bodies), ["by john", "by susan"])
        self.assertEqual(db.session.scalars(david.followed_posts).all()[0].body, "by david")

    def test_fake_users_and_posts_in_the_shell(self):
        self.assertEqual(fake.users(5, seed=1), 5)
        self.assertEqual(fake.posts(12, seed=1), 12)
        self.assertEqual(db.session.scalar(db.select(db.func.count(User.id))), 5)
        posts = db.session.scalars(db.select(Post)).all()
        self.assertEqual(len(posts), 12)
        self.assertTrue(all(post.author_id is not None and post.body_html for post in posts))

    def test_to_json_and_from_json_keep_their_names(self):
        user = self.create_user()
        with self.app.test_request_context():
            post = Post.from_json({"body": "*hello*"})
            post.author = user
            db.session.add(post)
            db.session.commit()
            self.assertEqual(post.to_json()["body_html"], "<p><em>hello</em></p>")
            self.assertEqual(user.to_json()["post_count"], 1)
            comment = Comment.from_json({"body": "nice"})
            comment.post, comment.author = post, user
            db.session.add(comment)
            db.session.commit()
            self.assertTrue(comment.to_json()["post_url"].endswith(f"/api/v1/posts/{post.id}"))
            with self.assertRaises(ValidationError):
                Post.from_json({"body": ""})
