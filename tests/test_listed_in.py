"""``ListedIn`` (app/listed_in.py): ``column IN (a list)`` with fixed parameters
answers what an expanding IN answers, for lists of every length."""

from sqlalchemy import func, select

from app import db
from app.listed_in import SIZES, ListedIn
from app.models import Comment, Post
from tests.base import FlaskyTestCase


class ListedInTestCase(FlaskyTestCase):
    def setUp(self) -> None:
        super().setUp()
        author = self.create_user("alice")
        posts = [Post(body=f"Post {number}", author=author) for number in range(SIZES[-1] + 5)]
        db.session.add_all(posts)
        db.session.flush()
        # Post n has n % 3 comments.
        db.session.add_all(Comment(body="Yes", post=post, author=author)
                           for number, post in enumerate(posts) for _ in range(number % 3))
        db.session.commit()
        self.ids = [post.id for post in posts]
        self.counts = ListedIn(Comment.post_id, lambda listed: select(
            Comment.post_id, func.count()).where(listed).group_by(Comment.post_id))

    def expected(self, ids: list[int]) -> dict[int, int]:
        rows = db.session.execute(select(Comment.post_id, func.count())
                                  .where(Comment.post_id.in_(ids)).group_by(Comment.post_id))
        return {post: count for post, count in rows}

    def test_every_length_answers_what_an_expanding_in_answers(self):
        for length in (0, 1, 2, SIZES[0], SIZES[0] + 1, SIZES[1], SIZES[-1], SIZES[-1] + 1,
                       len(self.ids)):
            ids = self.ids[::-1][:length]  # not in order: the padding repeats the last
            found = {post: count for post, count in self.counts.rows(ids)}
            self.assertEqual(found, self.expected(ids), length)
            self.assertTrue(all(count == (self.ids.index(post) % 3)
                                for post, count in found.items()))

    def test_one_statement_for_each_size_built_once(self):
        for ids in (self.ids[:1], self.ids[:3], self.ids[:SIZES[0]], self.ids[:SIZES[0] + 1],
                    self.ids, []):
            self.counts.rows(ids)
        self.assertEqual(sorted(self.counts.statements), [0, SIZES[0], SIZES[1]])
        built = self.counts.statements[SIZES[0]]
        self.counts.rows(self.ids[:2])
        self.assertIs(self.counts.statements[SIZES[0]], built)

    def test_other_parameters_go_with_the_list(self):
        author_posts = ListedIn(Post.id, lambda listed: select(Post.id).where(
            listed, Post.body == db.bindparam("body")))
        found = author_posts.rows(self.ids[:5], {"body": "Post 3"}).scalars().all()
        self.assertEqual(found, [self.ids[3]])

    def test_models_are_loaded_into_the_session_once_each(self):
        posts = ListedIn(Post.id, lambda listed: select(Post).where(listed))
        for length in (1, 3, SIZES[0], SIZES[-1] + 1):
            ids = self.ids[:length]
            found = posts.models(ids)
            self.assertEqual(sorted(post.id for post in found), ids, length)
            self.assertTrue(all(post in db.session for post in found))
            self.assertEqual([post.body for post in found if post.id == ids[0]], ["Post 0"])
