"""#tags: linked in text (not in code or links), filed case-insensitively with the
first spelling kept, listed at /tag/<name>, trending, followed, and in the API."""

from datetime import timedelta

from sqlalchemy import func, select

from app import db
from app.models import Post, Tag, TagFollow, utcnow
from tests.test_api_base import ApiTestCase


class TagTestCase(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.author = self.create_user("john")
        self.reader = self.create_user("susan")

    def write(self, body: str, author=None, **fields) -> Post:
        post = Post(body=body, author=author or self.author, **fields)
        db.session.add(post)
        db.session.commit()
        return post

    def tag_names(self, post: Post) -> list[str]:
        return [tag.name for tag in post.tags]


class HashtagTestCase(TagTestCase):
    def test_tags_in_text_are_linked_and_filed(self):
        post = self.write("Learning #Python and #日本語 today, #Python again")
        self.assertEqual(self.tag_names(post), ["Python", "日本語"])
        self.assertIn('<a href="/tag/python" rel="nofollow noopener">#Python</a>', post.body_html)
        self.assertIn("/tag/%E6%97%A5%E6%9C%AC%E8%AA%9E", post.body_html)

    def test_not_in_code_links_or_words(self):
        post = self.write("`#code`\n\n```\n#fenced\n```\n\n[#linked](https://e.com/#frag) "
                          "https://e.com/#auto C# issue #123 mail&#35;x ##double")
        self.assertEqual(post.tags, [])
        self.assertNotIn("/tag/", post.body_html)

    def test_case_insensitive_first_spelling_kept(self):
        first = self.write("Hello #FlaskDev")
        second = self.write("Also #flaskdev and #FLASKDEV", author=self.reader)
        self.assertEqual(db.session.scalar(select(func.count()).select_from(Tag)), 1)
        self.assertEqual(self.tag_names(first), ["FlaskDev"])
        self.assertEqual(self.tag_names(second), ["FlaskDev"])

    def test_editing_the_text_refiles_the_post(self):
        post = self.write("#one #two")
        post.body = "#two #three"
        db.session.commit()
        self.assertEqual(self.tag_names(post), ["three", "two"])

    def test_overlong_tag_is_a_form_and_a_json_error(self):
        self.login()
        response = self.client.post("/", data={"body": "#" + "a" * 300})
        self.assertIn("Tags may be at most 64 characters long.", response.get_data(as_text=True))
        api = self.call("POST", "/posts/", self.author, json={"body": "#" + "b" * 300})
        self.assertEqual(api.status_code, 400)
        self.assertIn("64 characters", api.json["message"])
        self.assertEqual(db.session.scalar(select(func.count()).select_from(Post)), 0)
        self.assertEqual(db.session.scalar(select(func.count()).select_from(Tag)), 0)


class TagPageTestCase(TagTestCase):
    def test_tag_page_lists_published_posts_with_the_tag(self):
        self.write("About #cats")
        self.write("Secret #cats draft", draft=True)
        self.write("About #dogs")
        page = self.client.get("/tag/cats").get_data(as_text=True)
        self.assertIn("About", page)
        self.assertIn("<h1 class=\"h3 mb-0\">#cats</h1>", page)
        self.assertNotIn("Secret", page)
        self.assertNotIn("#dogs", page)

    def test_any_case_redirects_to_the_one_address(self):
        self.write("#Cats")
        self.assertRedirectsTo(self.client.get("/tag/CATS?page=1"), "/tag/cats")

    def test_bad_names_are_404_with_a_reason(self):
        for name in ("!!!", "a" * 300, "nosuchtag", "%F0%9F%98%80"):
            response = self.client.get(f"/tag/{name}")
            self.assertEqual(response.status_code, 404, name)
        self.assertEqual(self.call("GET", "/tags/!!!/posts/", self.reader).status_code, 404)

    def test_trending_tags_of_the_week_on_the_home_page(self):
        for _ in range(3):
            self.write("#popular")
        self.write("#rare")
        self.write("#ancient", timestamp=utcnow() - timedelta(days=8))
        self.write("#hidden", draft=True)
        page = self.client.get("/").get_data(as_text=True)
        self.assertIn("Trending tags this week", page)
        page = page[page.index('class="trending-tags"'):]
        self.assertLess(page.index("#popular</a>"), page.index("#rare</a>"))
        self.assertIn("3 posts", page)
        self.assertNotIn("#ancient</a>", page)
        self.assertNotIn("#hidden</a>", page)


class TagFollowTestCase(TagTestCase):
    def test_following_a_tag_fills_the_followed_timeline(self):
        self.write("Nice #gardening tips")
        self.write("Unrelated")
        self.login("susan@example.com")
        self.client.get("/followed")
        self.assertNotIn("Nice", self.client.get("/").get_data(as_text=True))
        self.assertIn("Follow #gardening", self.client.get("/tag/gardening").get_data(
            as_text=True))
        response = self.client.post("/tag/gardening/follow")
        self.assertRedirectsTo(response, "/tag/gardening")
        self.client.post("/tag/gardening/follow")  # twice is once
        self.assertEqual(db.session.scalar(select(func.count()).select_from(TagFollow)), 1)
        timeline = self.client.get("/").get_data(as_text=True)
        self.assertIn("Nice", timeline)
        self.assertNotIn("Unrelated", timeline)
        api = self.call("GET", f"/users/{self.reader.id}/timeline/", self.reader).json
        self.assertEqual(api["count"], 1)
        self.client.post("/tag/gardening/unfollow")
        self.assertNotIn("Nice", self.client.get("/").get_data(as_text=True))

    def test_following_needs_a_signed_in_follower_and_a_post(self):
        self.write("#topic")
        self.assertEqual(self.client.post("/tag/topic/follow").status_code, 302)
        self.assertEqual(self.client.get("/tag/topic/follow").status_code, 405)
        self.assertEqual(db.session.scalar(select(func.count()).select_from(TagFollow)), 0)


class TagApiTestCase(TagTestCase):
    def test_posts_carry_their_tags_and_a_tag_lists_its_posts(self):
        post = self.write("#Alpha and #beta")
        self.write("#beta only")
        data = self.call("GET", f"/posts/{post.id}", self.reader).json
        self.assertEqual(data["tags"], ["Alpha", "beta"])
        listed = self.call("GET", "/tags/BETA/posts/", self.reader).json
        self.assertEqual(listed["count"], 2)
        self.assertEqual([p["tags"] for p in listed["posts"]], [["beta"], ["Alpha", "beta"]])
        self.assertEqual(self.call("GET", "/posts/", self.reader).json["posts"][1]["tags"],
                         ["Alpha", "beta"])
