"""Page-numbered lists: the same pages as plain OFFSET pagination, with whole-table counts
cached until content changes."""


from app import db, queries
from app.pagination import page_of, paginate
from tests.base import FlaskyTestCase
from tests.social import make_follow, make_post, make_posts


class PaginationTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.susan = self.create_user("susan")
        make_posts(self.john, 23)
        make_posts(self.susan, 22, start_minute=5)  # timestamps interleave with john's

    def pages_agree(self, select, per_page: int) -> None:
        pages = 0
        for page in range(1, 10):
            plain = db.paginate(select, page=page, per_page=per_page, error_out=False)
            fast = paginate(select, page=page, per_page=per_page, error_out=False)
            self.assertEqual([post.id for post in fast.items],
                             [post.id for post in plain.items], f"page {page}")
            self.assertEqual((fast.total, fast.pages, fast.has_next),
                             (plain.total, plain.pages, plain.has_next))
            pages += bool(plain.items)
        self.assertGreater(pages, 1)

    def test_same_pages_as_offset_pagination(self):
        self.pages_agree(queries.all_posts(), per_page=10)
        self.pages_agree(queries.user_posts(self.john), per_page=4)
        self.pages_agree(queries.followed_posts(self.susan), per_page=7)

    def test_eager_loading_survives(self):
        page = paginate(queries.all_posts(), page=2, per_page=10)
        with self.recorded_queries() as statements:
            self.assertEqual(len({post.author.username for post in page.items}), 2)
        self.assertEqual(statements, [])

    def test_lists_with_composite_keys_still_paginate(self):
        for index in range(5):
            make_follow(self.create_user(f"fan{index}"), self.john, minutes=index)
        page = paginate(queries.followers_of(self.john), page=2, per_page=2)
        self.assertEqual([follow.follower.username for follow in page.items], ["fan2", "fan1"])
        self.assertEqual(page.total, 5)

    def test_past_the_end_is_404_or_empty(self):
        from werkzeug.exceptions import NotFound

        with self.app.test_request_context():
            with self.assertRaises(NotFound):
                paginate(queries.all_posts(), page=99, per_page=10)
        self.assertEqual(paginate(queries.all_posts(), page=99, per_page=10,
                                  error_out=False).items, [])


class NextPageTestCase(FlaskyTestCase):
    """Lists that show no total learn whether a next page exists from one row more,
    and count nothing."""

    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        make_posts(self.john, 23)
        self.app.config["FLASKY_POSTS_PER_PAGE"] = 10

    def page(self, number: int, select=None):
        with self.app.test_request_context(f"/?page={number}"):
            with self.recorded_queries() as statements:
                page = page_of(select if select is not None else queries.all_posts(),
                               "FLASKY_POSTS_PER_PAGE", total=False)
        self.assertFalse([s for s in statements if "count(" in s.lower()], statements)
        return page

    def test_same_rows_as_counted_pages_and_a_next_page_when_there_is_one(self):
        for number, more in ((1, True), (2, True), (3, False)):
            page = self.page(number)
            counted = paginate(queries.all_posts(), page=number, per_page=10)
            self.assertEqual([post.id for post in page.items],
                             [post.id for post in counted.items], number)
            self.assertEqual((page.has_next, page.next_num, page.total),
                             (more, number + 1 if more else None, None))
            self.assertEqual(page.pages, number + 1 if more else number)

    def test_a_list_exactly_a_page_long_has_no_next_page(self):
        susan = self.create_user("susan")
        make_posts(susan, 10)
        page = self.page(1, queries.user_posts(susan))
        self.assertEqual((len(page.items), page.has_next, page.pages), (10, False, 1))

    def test_past_the_end_is_404(self):
        from werkzeug.exceptions import NotFound

        with self.assertRaises(NotFound):
            self.page(4)

    def test_the_widget_offers_the_pages_known_and_the_next(self):
        self.assertEqual(list(self.page(1).iter_pages(left_edge=1, left_current=2,
                                                      right_current=3, right_edge=1)), [1, 2])
        body = self.client.get("/?page=2").get_data(as_text=True)
        self.assertIn('<a class="page-link" href="/?page=3" aria-label="Next page">', body)
        self.assertIn('<a class="page-link" href="/?page=1">1</a>', body)
        last = self.client.get("/?page=3").get_data(as_text=True)
        self.assertIn('<a class="page-link" href="/?page=2">2</a>', last)
        self.assertNotIn('href="/?page=4"', last)
        self.assertEqual(self.client.get("/?page=4").status_code, 404)


class CachedCountTestCase(FlaskyTestCase):
    config = {"FLASKY_CACHE": True}

    def count_queries(self, select) -> tuple[int, int]:
        with self.recorded_queries() as statements:
            total = paginate(select, page=1, per_page=5).total
        return total, sum("count(" in statement.lower() for statement in statements)

    def test_whole_table_count_is_cached_until_content_changes(self):
        john = self.create_user("john")
        make_posts(john, 7)
        self.assertEqual(self.count_queries(queries.all_posts()), (7, 1))
        self.assertEqual(self.count_queries(queries.all_posts()), (7, 0))
        make_post(john, "One more")
        self.assertEqual(self.count_queries(queries.all_posts()), (8, 1))

    def test_filtered_counts_stay_live(self):
        john = self.create_user("john")
        make_posts(john, 3)
        self.assertEqual(self.count_queries(queries.user_posts(john)), (3, 1))
        self.assertEqual(self.count_queries(queries.user_posts(john)), (3, 1))
