"""The database answers the costliest lists from their indexes (SQLite's plans).

A plan names the index it reads, so these fail when an index a list relies on
is dropped or no longer fits its query.
"""

import unittest

from sqlalchemy import text

from app import db
from app.models import Post
from tests.base import FlaskyTestCase
from tests.social import make_follow, make_post


class QueryPlanTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        if db.engine.dialect.name != "sqlite":
            raise unittest.SkipTest("the plans checked here are SQLite's")
        self.john = self.create_user("john")
        writer = self.create_user("writer")
        make_follow(self.john, writer)
        make_post(writer, "A post")

    def plan(self, statement) -> str:
        compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
        rows = db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
        return "\n".join(row.detail for row in rows)

    def test_the_followed_tab_finds_its_posts_in_the_author_index_alone(self):
        page_ids = self.john.followed_posts.with_only_columns(Post.id).limit(21)
        plan = self.plan(page_ids)
        self.assertIn("COVERING INDEX ix_posts_author_id_timestamp_draft (author_id=?)", plan)
        self.assertNotIn("SCAN posts", plan)

    def test_a_profile_reads_its_posts_in_order_from_the_author_index(self):
        statement = Post.newest_first().where(Post.author_id == self.john.id)
        plan = self.plan(statement.with_only_columns(Post.id).limit(21))
        self.assertIn("INDEX ix_posts_author_id_timestamp_draft (author_id=?)", plan)
        # Posts of the same second are put in id order among themselves only.
        self.assertNotIn("TEMP B-TREE FOR ORDER BY", plan)
