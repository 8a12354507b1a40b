"""The administrators' dashboard: the figures per day, this week's busiest,
the moderators' queue and the machinery's health; charts with their tables;
absurd ranges as form errors; figures cached until what they count changes."""

import re
from datetime import timedelta

from app import db
from app.dashboard import community_figures, series
from app.dashboard.charts import bar_chart
from app.models import Comment, Delivery, Job, LoginSession, OutboxMail, Post, Report, utcnow
from app.social.suspensions import FOR_GOOD
from tests.admin_base import AdminTestCase


class DashboardData(AdminTestCase):
    """Posts today, two days ago and forty days ago; a comment; a draft."""

    def setUp(self) -> None:
        super().setUp()
        self.ann = self.create_user("ann")
        self.bob = self.create_user("bob")
        now = utcnow()
        self.write(self.ann, "Today about #flask and #python")
        self.write(self.ann, "Also today #flask")
        self.write(self.bob, "Two days ago #python", days_ago=2)
        old = self.write(self.bob, "Forty days ago", days_ago=40)
        db.session.add(Comment(body="A comment today", author=self.ann, post=old))
        self.write(self.bob, "Not published #flask", draft=True)
        self.bob.member_since = now - timedelta(days=2)
        db.session.commit()

    def write(self, author, body: str, days_ago: int = 0, draft: bool = False) -> Post:
        post = Post(body=body, author=author, draft=draft,
                    timestamp=utcnow() - timedelta(days=days_ago))
        db.session.add(post)
        db.session.commit()
        return post

    def page(self, query: str = "", status: int = 200) -> str:
        response = self.client.get(f"/admin{query}")
        self.assertEqual(response.status_code, status, query)
        return self.text(response)


class DashboardTestCase(DashboardData):
    def test_daily_series_count_each_day_from_the_indexes(self):
        figures = series.daily_series(30)
        self.assertEqual(len(figures["days"]), 30)
        self.assertEqual(figures["days"][-1], utcnow().date())
        self.assertEqual(figures["posts"][-1], 2)  # the draft is not a post yet
        self.assertEqual(figures["posts"][-3], 1)
        self.assertEqual(sum(figures["posts"]), 3)  # forty days ago is out of range
        self.assertEqual(figures["comments"][-1], 1)
        self.assertEqual(figures["sign_ups"][-3], 1)
        self.assertEqual(sum(figures["sign_ups"]), 3)  # admin, ann today; bob two days ago
        self.assertEqual(figures["active_users"][-1], 1)  # ann posted and commented
        self.assertEqual(sum(series.daily_series(90)["posts"]), 4)

    def test_active_people_include_those_who_signed_in(self):
        LoginSession.open(self.bob, False, "tests", timedelta(days=1))
        db.session.commit()
        self.assertEqual(series.daily_series(7)["active_users"][-1], 2)

    def test_the_page_for_administrators(self):
        self.login("admin@example.com")
        text = self.page()
        self.assertEqual(text.count('class="dashboard-chart w-100 h-auto" src="/admin/charts/'), 4)
        self.assertNotIn("<svg", text)  # charts are images: pages never carry inline SVG
        # Each chart's figures are in a table for screen readers, a row per day.
        self.assertEqual(text.count('<table class="visually-hidden">'), 4)
        self.assertEqual(text.count('<th scope="row">'), 4 * 30)
        self.assertIn("#flask</a> (2 posts)", text)
        self.assertIn("ann</a> (2 posts, 1 comment)", text)
        self.assertEqual(len(re.findall(r'<th scope="row">', self.page("?days=90"))), 4 * 90)

    def test_moderation_and_health(self):
        db.session.add_all([
            Report(reporter=self.ann, target=f"user:{self.bob.id}", reason="spam", user=self.bob),
            Job(task="tests.job_tasks:count", state=Job.FAILED),
            Job(task="tests.job_tasks:count", state=Job.QUEUED, run_at=utcnow() + timedelta(1)),
            OutboxMail(recipients="x@example.com", subject="s", body_text="t", body_html="h",
                       attempts=99),
            Delivery(inbox="https://remote.example/inbox", activity="{}", key_id="k"),
            Delivery(inbox="https://remote.example/inbox", activity="{}", key_id="k",
                     state=Delivery.FAILED),
            Delivery(inbox="https://other.example/inbox", activity="{}", key_id="k",
                     state=Delivery.FAILED)])
        self.bob.suspended_until = FOR_GOOD
        db.session.commit()
        self.login("admin@example.com")
        text = self.page()
        for name, value in [("open-reports", 1), ("jobs-failed", 1), ("jobs-queued", 1),
                            ("mail-pending", 0), ("mail-given-up", 1),
                            ("deliveries-queued", 1), ("deliveries-failed", 2)]:
            self.assertIn(f'id="{name}">{value}</dd>', text, name)
        self.assertIn("Suspended for good</dt><dd class=\"col-4 mb-1\">1</dd>", text)
        self.assertIn(" MB</p>", text)

    def test_absurd_ranges_are_form_errors(self):
        self.login("admin@example.com")
        for query in ("?days=0", "?days=-3", "?days=100000", "?days=lots", "?end=1900-01-01",
                      "?end=2026-02-30", "?end=3000-01-01", "?days=" + "9" * 400):
            text = self.page(query, status=400)
            self.assertIn('class="invalid-feedback"', text, query)
            self.assertEqual(text.count('<img class="dashboard-chart'), 4, query)

    def test_a_range_ending_on_a_past_day(self):
        self.login("admin@example.com")
        end = (utcnow() - timedelta(days=2)).date().isoformat()
        text = self.page(f"?days=7&end={end}")
        self.assertIn(f"to {end}", text)

    def test_each_chart_is_an_svg_image(self):
        self.login("admin@example.com")
        response = self.client.get("/admin/charts/posts.svg?days=7")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.mimetype, "image/svg+xml")
        svg = self.text(response)
        self.assertEqual(svg.count("<rect "), 7)
        self.assertNotIn("<script", svg)
        self.assertEqual(self.client.get("/admin/charts/passwords.svg").status_code, 404)
        for query in ("?days=0", "?end=nonsense", "?days=" + "9" * 400):
            self.assertEqual(self.client.get(f"/admin/charts/posts.svg{query}").status_code,
                             400, query)

    def test_only_administrators(self):
        self.login("ann@example.com")
        self.assertEqual(self.client.get("/admin").status_code, 403)
        self.assertEqual(self.client.get("/admin/charts/posts.svg").status_code, 403)
        self.logout()
        self.assertEqual(self.client.get("/admin").status_code, 302)

    def test_queries_do_not_grow_with_the_rows(self):
        self.login("admin@example.com")
        self.client.get("/admin")
        db.session.remove()
        with self.recorded_queries() as few:
            self.client.get("/admin?days=7")
        for index in range(20):
            self.write(self.bob, f"More #tag{index}")
        db.session.remove()
        with self.recorded_queries() as many:
            self.client.get("/admin?days=90")
        self.assertEqual(len(few), len(many))


class CachedDashboardTestCase(DashboardData):
    config = {**AdminTestCase.config, "FLASKY_CACHE": True}

    def test_figures_are_cached_until_what_they_count_changes(self):
        self.login("admin@example.com")
        self.page()
        with self.recorded_queries() as again:
            self.page()
        with self.recorded_queries() as uncached:
            self.app.config["FLASKY_CACHE"] = False
            self.page()
            self.app.config["FLASKY_CACHE"] = True
        self.assertLess(len(again), len(uncached))
        self.write(self.bob, "A new post #flask")  # moves table:posts
        self.assertIn("#flask</a> (3 posts)", self.page())

    def test_only_today_is_counted_again_after_a_write(self):
        with self.app.test_request_context():
            first = community_figures(30)["series"]
            self.assertEqual(first, series.daily_series(30))
            self.write(self.bob, "Written today")
            with self.recorded_queries() as recount:
                again = community_figures(30)["series"]
            self.assertEqual(again["posts"][-1], first["posts"][-1] + 1)
            self.assertEqual(again, series.daily_series(30))
            # The 29 closed days came from the cache: one day's statements ran.
            self.assertTrue(recount)
            self.assertTrue(all(statement.count("day_1") == 0 for statement in recount))


class ChartTestCase(AdminTestCase):
    def test_bars_scale_to_a_round_top(self):
        days = series.daily_series(3)["days"]
        svg = str(bar_chart(days, [0, 7, 3]))
        self.assertIn(">10</text>", svg)
        # The bars, after the root element's own height.
        heights = [float(value) for value in re.findall(r'height="([0-9.]+)"', svg)[1:]]
        self.assertEqual(heights[0], 0.0)
        self.assertAlmostEqual(heights[1] / heights[2], 7 / 3, places=2)
        self.assertNotIn("<script", svg)
        self.assertIn(days[0].isoformat(), svg)
