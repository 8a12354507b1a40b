"""Search: the query language, ranking, snippets, privacy, the index kept in step
with the tables, rebuilding it, the page and the API. Every test runs on the
suite's database, so on SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""

import unittest
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import quote

from sqlalchemy import func, insert, select, text

from app import db
from app.fake import fill
from app.models import AnonymousUser, Comment, Post, User
from app.search import counts, search
from app.search.postgres import tsquery_text
from app.search.query import MAX_TERMS, Query, Term, parse
from app.search.rebuild import rebuild
from app.search.schema import INDEXED, installed, uninstall
from app.search.snippets import highlight
from app.search.sqlite import match_expression
from app.search.text import words
from tests.base import FlaskyTestCase
from tests.social import START, make_comment, make_post
from tests.test_api_base import API, basic

NOBODY = AnonymousUser()


class QueryLanguageTestCase(unittest.TestCase):
    """The parser alone: what each piece of the language becomes."""

    def test_words_phrases_exclusions_prefixes_and_authors(self):
        query = parse('cats "big dogs" -mice -"small birds" bir* from:Ada from:bob')
        self.assertEqual(query.terms, (
            Term(("cats",), text="cats"), Term(("big", "dogs"), text="big dogs"),
            Term(("mice",), negated=True, text="mice"),
            Term(("small", "birds"), negated=True, text="small birds"),
            Term(("bir",), prefix=True, text="bir")))
        self.assertEqual(query.authors, ("ada", "bob"))

    def test_punctuation_is_text_and_splits_words_as_the_index_does(self):
        self.assertEqual(parse("john.smith").terms[0].words, ("john", "smith"))
        self.assertEqual(parse("C++ it's").terms[1].words, ("it", "s"))
        self.assertEqual(parse("北京").terms[0].words, ("北", "京"))
        self.assertEqual(parse("Café ΚΑΛΗΜΈΡΑ ёлка").terms[0].words, ("cafe",))
        self.assertEqual([term.words for term in parse("ΚΑΛΗΜΈΡΑ ёлка").terms],
                         [("καλημερα",), ("елка",)])

    def test_operators_of_the_databases_are_plain_words(self):
        query = parse('NEAR(a b) AND OR NOT col:x ^y a + b')
        self.assertEqual([term.words for term in query.terms],
                         [("near", "a"), ("b",), ("and",), ("or",), ("not",), ("col", "x"),
                          ("y",), ("a",)])

    def test_nothing_to_search_for(self):
        for text_ in ("", "   ", "*", '"', '""', "-", "- -", "!!!", "😀", "-cats", None):
            with self.subTest(text=text_):
                self.assertTrue(parse(text_).is_empty)
        self.assertFalse(parse("from:ada -cats").is_empty)

    def test_unbalanced_quote_runs_to_the_end(self):
        self.assertEqual(parse('cats "big dogs').terms[1].words, ("big", "dogs"))

    def test_limits(self):
        many = parse(" ".join(f"word{number}" for number in range(100)))
        self.assertEqual(len(many.terms), MAX_TERMS)
        self.assertTrue(parse("x" * 10_000).is_empty)  # a word no index holds
        self.assertEqual(len(parse("abc " * 5_000).terms), 1)  # repeated words count once

    def test_every_word_is_quoted_for_each_backend(self):
        query = parse('cats "big dogs" -mice bir*')
        self.assertEqual(match_expression(query.required, query.excluded),
                         '("cats" AND "big dogs" AND "bir"*) NOT "mice"')
        self.assertEqual(tsquery_text(query.required, query.excluded),
                         "'cats' & ('big' <-> 'dogs') & 'bir':* & !'mice'")
        quoted = Query((Term(('a"b',)), Term(("it's",))))
        self.assertEqual(match_expression(quoted.required), '("a""b" AND "it\'s")')
        self.assertEqual(tsquery_text(quoted.required), "'a\"b' & 'it''s'")


class SearchTestCase(FlaskyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ada = self.create_user("ada", name="Ada Lovelace")
        self.bob = self.create_user("bob", name="Bob Smith")

    def found(self, query: str, kind: str = "posts", viewer=NOBODY, **options) -> list:
        return [hit.item.id for hit in search(query, kind, viewer=viewer, **options).items]

    def bodies(self, query: str, sort: str = "newest") -> list[str]:
        """What ``query`` finds, newest first (ranking has tests of its own)."""
        return [hit.item.body for hit in search(query, viewer=NOBODY, sort=sort).items]

    def assertIndexWhole(self) -> None:
        """The index holds exactly the rows of the tables (SQLite's integrity check
        compares the FTS tables with their content; PostgreSQL's vector is a column)."""
        db.session.commit()
        for indexed in INDEXED.values():
            if db.engine.dialect.name == "sqlite":
                db.session.execute(text(f"INSERT INTO {indexed.fts}({indexed.fts}, rank) "
                                        "VALUES ('integrity-check', 1)"))
            else:
                empty = db.session.scalar(text(
                    f"SELECT count(*) FROM {indexed.table} WHERE search_vector IS NULL"))
                self.assertEqual(empty, 0)
            self.assertTrue(installed(db.session.connection(), indexed))


class OperatorsTestCase(SearchTestCase):
    def setUp(self) -> None:
        super().setUp()
        for minutes, (author, body) in enumerate([
            (self.ada, "The cat sat on the mat."), (self.ada, "A dog and a cat."),
            (self.bob, "Dogs bark; cats purr."), (self.bob, "The mat was red, the cat was not."),
            (self.bob, "Cats and dogs: john.smith wrote it."),
        ]):
            make_post(author, body, minutes=minutes)

    def test_all_words_must_match_in_any_order(self):
        self.assertEqual(self.bodies("mat cat"), ["The mat was red, the cat was not.",
                                                  "The cat sat on the mat."])

    def test_a_phrase_keeps_its_order(self):
        self.assertEqual(self.bodies('"the cat"'), ["The mat was red, the cat was not.",
                                                    "The cat sat on the mat."])
        self.assertEqual(self.bodies('"cat the"'), [])

    def test_minus_excludes_words_and_phrases(self):
        self.assertEqual(self.bodies("cat -mat"), ["A dog and a cat."])
        self.assertEqual(self.bodies('cat -"on the mat"'),
                         ["The mat was red, the cat was not.", "A dog and a cat."])

    def test_a_star_matches_words_that_start_so(self):
        self.assertEqual(len(self.found("cat")), 3)
        self.assertEqual(len(self.found("cat*")), 5)
        self.assertEqual(self.bodies('"the ca"*'), ["The mat was red, the cat was not.",
                                                    "The cat sat on the mat."])

    def test_from_limits_to_authors_in_any_case(self):
        self.assertEqual(len(self.found("from:ADA")), 2)
        self.assertEqual(self.bodies("cat from:ada -mat"), ["A dog and a cat."])
        self.assertEqual(len(self.found("cat* from:ada from:bob")), 5)
        self.assertEqual(self.found("cat from:nobody"), [])
        self.assertEqual(self.bodies("from:bob -cats -cat"), [])

    def test_case_and_punctuation(self):
        self.assertEqual(self.bodies("CATS PURR"), ["Dogs bark; cats purr."])
        self.assertEqual(self.bodies("john.smith"), ["Cats and dogs: john.smith wrote it."])
        self.assertEqual(self.bodies("smith"), ["Cats and dogs: john.smith wrote it."])

    def test_other_scripts(self):
        for body in ("Καλημέρα κόσμε", "Привет, мир! Ёлка", "我爱北京天安门。",
                     "東京タワーに行きました", "Café crème brûlée", "서울에서 만나요"):
            make_post(self.ada, body)
        for query, expected in [("καλημερα", "Καλημέρα κόσμε"), ("ΚΌΣΜΕ", "Καλημέρα κόσμε"),
                                ("мир", "Привет, мир! Ёлка"), ("елка", "Привет, мир! Ёлка"),
                                ("北京", "我爱北京天安门。"), ("天安门", "我爱北京天安门。"),
                                ("タワー", "東京タワーに行きました"),
                                ("cafe creme", "Café crème brûlée"),
                                ("BRÛLÉE", "Café crème brûlée"), ("서울", "서울에서 만나요")]:
            with self.subTest(query=query):
                self.assertEqual(self.bodies(query), [expected])
        self.assertEqual(self.bodies("京北"), [])  # the characters, in order

    def test_counts_per_kind(self):
        make_comment(db.session.get(Post, 1), self.bob, "What a cat!")
        self.assertEqual(counts("cat", NOBODY), {"posts": 3, "comments": 1, "people": 0})
        self.assertEqual(counts("", NOBODY), {"posts": 0, "comments": 0, "people": 0})
        self.assertEqual(counts("bo", NOBODY), {"posts": 0, "comments": 0, "people": 1})


class RankingTestCase(SearchTestCase):
    def test_best_match_first_then_newest_among_equals(self):
        long_one = make_post(self.ada, "cat " + "filler " * 40, minutes=1)
        best = make_post(self.ada, "cat cat cat", minutes=2)
        equal_old = make_post(self.bob, "a cat here", minutes=3)
        equal_new = make_post(self.bob, "a cat here", minutes=4)
        self.assertEqual(self.found("cat"), [best.id, equal_new.id, equal_old.id, long_one.id])

    def test_newest_first_when_asked(self):
        posts = [make_post(self.ada, body, minutes=minutes)
                 for minutes, body in enumerate(["cat cat cat", "a cat", "cat " * 9])]
        self.assertEqual(self.found("cat", sort="newest"), [post.id for post in posts[::-1]])

    def test_people_exact_match_first_then_prefix_matches(self):
        johnny = self.create_user("johnny", member_since=START + timedelta(days=3))
        smith = self.create_user("john.smith", member_since=START + timedelta(days=2))
        john = self.create_user("John", member_since=START + timedelta(days=1))
        named = self.create_user("zed", name="Johnathan Z", member_since=START)
        self.create_user("jo")
        self.assertEqual(self.found("john", "people"), [john.id, johnny.id, smith.id, named.id])
        self.assertEqual(self.found("JOHN SM", "people"), [smith.id])
        self.assertEqual(self.found("lovelace", "people"), [self.ada.id])  # by name
        self.assertEqual(self.found("ada lovelace", "people")[0], self.ada.id)


class SnippetTestCase(SearchTestCase):
    def marks(self, body: str, query: str) -> str:
        return str(highlight(body, parse(query)))

    def test_exactly_the_matched_words_are_marked(self):
        body = "Cats and a cat-like CAT; concatenate."
        self.assertEqual(self.marks(body, "cat"),
                         "Cats and a <mark>cat</mark>-like <mark>CAT</mark>; concatenate.")
        self.assertEqual(self.marks(body, "cat*"), "<mark>Cats</mark> and a <mark>cat</mark>"
                                                  "-like <mark>CAT</mark>; concatenate.")
        self.assertEqual(self.marks("the big dog, a big cat", '"big cat"'),
                         "the big dog, a <mark>big cat</mark>")
        self.assertEqual(self.marks("Crème brûlée", "creme"), "<mark>Crème</mark> brûlée")
        self.assertEqual(self.marks("我爱北京天安门", "北京"), "我爱<mark>北京</mark>天安门")
        self.assertEqual(self.marks("no match here", "cat -here"), "no match here")

    def test_markup_in_the_text_is_escaped_and_only_marks_are_added(self):
        body = '<script>alert("cat")</script> <b onclick=x>cat</b> & <mark>cat'
        snippet = self.marks(body, "cat")
        self.assertEqual(snippet, '&lt;script&gt;alert(&#34;<mark>cat</mark>&#34;)&lt;/script&gt;'
                                  ' &lt;b onclick=x&gt;<mark>cat</mark>&lt;/b&gt; &amp; '
                                  '&lt;mark&gt;<mark>cat</mark>')
        self.assertEqual(Tags.of(snippet), ["mark", "/mark"] * 3)

    def test_a_long_text_is_cut_around_the_first_match(self):
        body = " ".join(f"word{number}" for number in range(200)) + " needle " + "tail " * 100
        snippet = self.marks(body, "needle")
        self.assertTrue(snippet.startswith("\u2026word"), snippet[:20])
        self.assertTrue(snippet.endswith("\u2026"))
        self.assertIn("<mark>needle</mark>", snippet)
        self.assertLess(len(snippet), 300)

    def test_the_page_shows_the_snippet_escaped(self):
        make_post(self.ada, "<img src=x onerror=alert(1)> a cat <b>bold</b>")
        page = self.client.get("/search?q=cat").get_data(as_text=True)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt; a <mark>cat</mark> &lt;b&gt;bold",
                      page)
        self.assertNotIn("<img src=x", page)


class Tags(HTMLParser):
    @classmethod
    def of(cls, html: str) -> list[str]:
        parser = cls()
        parser.tags = []
        parser.feed(html)
        return parser.tags

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_endtag(self, tag):
        self.tags.append(f"/{tag}")


class PrivacyTestCase(SearchTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.moderator = self.create_user("mo", role="Moderator")
        post = make_post(self.ada, "A post")
        make_comment(post, self.bob, "Buy cheap watches now", disabled=True)
        make_comment(post, self.bob, "Cheap shots, but fair")

    def test_a_disabled_comment_is_found_by_moderators_only(self):
        self.assertEqual(len(self.found("cheap", "comments")), 1)
        self.assertEqual(len(self.found("cheap", "comments", viewer=self.ada)), 1)
        self.assertEqual(len(self.found("cheap", "comments", viewer=self.moderator)), 2)
        self.assertEqual(counts("watches", self.ada)["comments"], 0)
        self.assertEqual(counts("watches", self.moderator)["comments"], 1)

    def test_pages_and_api_agree(self):
        page = self.client.get("/search?q=watches&kind=comments").get_data(as_text=True)
        self.assertIn("0 comments found", page)
        self.assertNotIn("<mark>watches</mark>", page)
        self.login("ada@example.com")
        self.assertIn("0 comments found", self.client.get(
            "/search?q=watches&kind=comments").get_data(as_text=True))
        answer = self.client.get(f"{API}/search/?q=watches&kind=comments",
                                 headers=basic("ada@example.com", self.password)).json
        self.assertEqual(answer["count"], 0)
        self.logout()
        self.login("mo@example.com")
        page = self.client.get("/search?q=watches&kind=comments").get_data(as_text=True)
        self.assertIn("<mark>watches</mark>", page)
        self.assertIn("Disabled", page)
        answer = self.client.get(f"{API}/search/?q=watches&kind=comments",
                                 headers=basic("mo@example.com", self.password)).json
        self.assertEqual(answer["results"][0]["body"], "Buy cheap watches now")


class IndexInStepTestCase(SearchTestCase):
    """The database keeps the index in step, in the writing transaction."""

    def test_an_edit_is_found_by_its_new_words_only(self):
        post = make_post(self.ada, "old words")
        post.body = "new text"
        db.session.commit()
        self.assertEqual((self.found("old"), self.found("new")), ([], [post.id]))
        self.ada.name = "Augusta King"
        db.session.commit()
        self.assertEqual((self.found("lovelace", "people"), self.found("augusta", "people")),
                         ([], [self.ada.id]))
        self.assertIndexWhole()

    def test_deletions_leave_the_index_in_the_same_transaction(self):
        post = make_post(self.ada, "doomed post")
        comment = make_comment(post, self.bob, "doomed comment")
        db.session.delete(comment)
        db.session.flush()
        self.assertEqual(counts("doomed", NOBODY)["comments"], 0)  # before the commit, too
        db.session.rollback()
        self.assertEqual(counts("doomed", NOBODY)["comments"], 1)  # undone with it
        db.session.delete(db.session.get(Post, post.id))  # its comments go with it
        db.session.commit()
        self.assertEqual(counts("doomed", NOBODY), {"posts": 0, "comments": 0, "people": 0})
        self.assertIndexWhole()

    def test_a_deleted_account_leaves_with_its_posts_and_comments(self):
        post = make_post(self.bob, "farewell post")
        make_comment(post, self.bob, "farewell comment")
        make_comment(make_post(self.ada, "staying"), self.bob, "farewell again")
        db.session.delete(self.bob)
        db.session.commit()
        self.assertEqual(counts("farewell", NOBODY), {"posts": 0, "comments": 0, "people": 0})
        self.assertEqual(self.found("bob", "people"), [])
        self.assertEqual(len(self.found("staying")), 1)
        self.assertIndexWhole()

    def test_writes_through_the_pages_and_the_api_are_found(self):
        self.login("ada@example.com")
        self.client.post("/", data={"body": "written on the page"})
        self.client.post(f"{API}/posts/", json={"body": "written by a program"},
                         headers=basic("bob@example.com", self.password))
        self.assertEqual(len(self.found("written")), 2)


class RebuildTestCase(SearchTestCase):
    def load_around_the_index(self) -> None:
        """Rows written with the index's triggers gone, as a restored dump may be."""
        connection = db.session.connection()
        for indexed in INDEXED.values():
            uninstall(connection, indexed)
        db.session.execute(insert(Post), [{"body": f"bulk number {n}", "body_html": "",
                                           "author_id": self.ada.id} for n in range(30)])
        db.session.commit()

    def test_reindex_finds_rows_loaded_around_the_index(self):
        self.load_around_the_index()
        result = self.app.test_cli_runner().invoke(args=["search", "reindex"])
        self.assertEqual(result.exit_code, 0, result.output)
        self.assertIn("Rebuilt the search index", result.output)
        self.assertEqual(counts("bulk", NOBODY)["posts"], 30)
        self.assertEqual(self.found("lovelace", "people"), [self.ada.id])
        self.assertIndexWhole()
        make_post(self.ada, "after the rebuild")  # the triggers are back
        self.assertEqual(len(self.found("rebuild")), 1)

    def test_reindex_of_one_kind_and_again(self):
        make_post(self.ada, "kept")
        for _ in range(2):
            rebuild(db.session.connection(), ("posts",))
            db.session.commit()
        self.assertEqual(len(self.found("kept")), 1)
        self.assertIndexWhole()

    def test_fake_data_is_all_found(self):
        fill(users=12, posts=60, follows=3, comments=50, seed=3)
        self.assertIndexWhole()
        posts = db.session.scalars(select(Post.body)).all()
        for word in {word for body in posts[:5] for word in words(body)[:3]}:
            with self.subTest(word=word):
                expected = sum(word in words(body) for body in posts)
                self.assertEqual(counts(word, NOBODY)["posts"], expected)
        comments = db.session.scalars(select(Comment.body).where(Comment.disabled.is_(False)))
        word = words(comments.first())[0]
        self.assertEqual(counts(word, NOBODY)["comments"], sum(
            word in words(body) for body in db.session.scalars(
                select(Comment.body).where(Comment.disabled.is_(False)))))
        users = db.session.scalar(select(func.count()).select_from(User))
        self.assertEqual(sum(1 for user in db.session.scalars(select(User))
                             if self.found(user.username, "people")[:1] == [user.id]), users)


class SearchPageTestCase(SearchTestCase):
    def setUp(self) -> None:
        super().setUp()
        for minutes in range(3):
            make_post(self.ada, f"Rainy day number {minutes}", minutes=minutes)
        make_comment(db.session.get(Post, 1), self.bob, "So rainy!")

    def test_the_navbar_has_a_labelled_search_box(self):
        page = self.client.get("/").get_data(as_text=True)
        self.assertIn('<form class="navbar-search', page)
        self.assertIn('action="/search"', page)
        self.assertIn('<label class="visually-hidden" for="navbar-search">', page)
        self.assertIn('name="q"', page)

    def test_an_empty_query_shows_the_form_and_nothing_else(self):
        for path in ("/search", "/search?q=", "/search?q=+++&kind=people"):
            page = self.client.get(path).get_data(as_text=True)
            self.assertIn('<label class="form-label" for="q">', page)
            self.assertNotIn("nav-tabs", page)
            self.assertNotIn("found.", page)

    def test_tabs_count_each_kind_and_keep_the_query(self):
        page = self.client.get("/search?q=rainy").get_data(as_text=True)
        self.assertIn("3 posts found.", page)
        self.assertEqual(page.count('class="card search-hit'), 3)
        self.assertIn('href="/search?q=rainy&amp;kind=comments"', page)
        self.assertRegex(page, r'Comments <span class="badge[^"]*">1</span>')
        comments = self.client.get("/search?q=rainy&kind=comments").get_data(as_text=True)
        self.assertIn("1 comment found.", comments)
        self.assertIn("So <mark>rainy</mark>!", comments)
        people = self.client.get("/search?q=bob&kind=people").get_data(as_text=True)
        self.assertIn("<mark>bob</mark>", people)
        self.assertIn("<mark>Bob</mark> Smith", people)

    def test_sorting_and_pages(self):
        self.app.config["FLASKY_POSTS_PER_PAGE"] = 2
        newest = self.client.get("/search?q=rainy&sort=newest").get_data(as_text=True)
        self.assertLess(newest.index("number 2"), newest.index("number 1"))
        self.assertIn('href="/search?page=2&amp;q=rainy&amp;sort=newest"', newest)
        second = self.client.get("/search?q=rainy&sort=newest&page=2").get_data(as_text=True)
        self.assertIn("number 0", second)
        self.assertEqual(self.client.get("/search?q=rainy&page=3").status_code, 404)
        self.assertEqual(self.client.get("/search?q=rainy&page=x").status_code, 200)
        self.assertEqual(self.client.get("/search?q=rainy&kind=x&sort=y").status_code, 200)

    def test_the_page_is_never_cached(self):
        self.app.config["FLASKY_CACHE"] = True
        for _ in range(2):
            response = self.client.get("/search?q=rainy")
            self.assertNotIn("X-Flasky-Cache", response.headers)
        make_post(self.bob, "rainy again")
        self.assertIn("4 posts found.", self.client.get("/search?q=rainy").get_data(as_text=True))
        self.assertEqual(self.client.get("/").headers.get("X-Flasky-Cache"), "miss")


class SearchApiTestCase(SearchTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.headers = basic("ada@example.com", self.password)
        post = make_post(self.ada, "Sunny morning")
        for minutes in range(5):
            make_comment(post, self.bob, f"sunny comment {minutes}", minutes=minutes)

    def get(self, query: str):
        return self.client.get(f"{API}/search/?{query}", headers=self.headers)

    def test_the_usual_list_shape_with_snippets(self):
        answer = self.get("q=sunny").json
        self.assertEqual(set(answer), {"results", "prev", "next", "count"})
        self.assertEqual(answer["count"], 1)
        result = answer["results"][0]
        self.assertEqual(result["body"], "Sunny morning")
        self.assertEqual(result["comment_count"], 5)
        self.assertEqual(result["snippet"], "<mark>Sunny</mark> morning")
        users = self.get("q=bob&kind=users").json["results"]
        self.assertEqual(users[0]["username"], "bob")
        self.assertEqual(users[0]["snippet"], "<mark>bob</mark> (<mark>Bob</mark> Smith)")
        self.assertEqual(self.get("q=").json, {"results": [], "prev": None, "next": None,
                                               "count": 0})

    def test_pages_of_results(self):
        first = self.get("q=sunny&kind=comments&sort=newest&per_page=2").json
        self.assertEqual(first["count"], 5)
        self.assertEqual([item["body"] for item in first["results"]],
                         ["sunny comment 4", "sunny comment 3"])
        self.assertIsNone(first["prev"])
        self.assertIn("q=sunny", first["next"])
        second = self.client.get(first["next"], headers=self.headers).json
        self.assertEqual([item["body"] for item in second["results"]],
                         ["sunny comment 2", "sunny comment 1"])
        self.assertEqual(self.get("q=sunny&kind=comments&page=9").json["results"], [])

    def test_bad_arguments_answer_400(self):
        for query in ("q=a&kind=people", "q=a&sort=best", "q=a&page=0", "q=a&per_page=x"):
            with self.subTest(query=query):
                self.assertEqual(self.get(query).status_code, 400)


class SearchQueryCountTestCase(SearchTestCase):
    """A page of results costs a fixed number of queries, however many it shows."""

    def setUp(self) -> None:
        super().setUp()
        post = make_post(self.ada, "host post")
        people = [User(email=f"writer{n}@example.com", username=f"writer{n}",
                       password_hash="-", confirmed=True) for n in range(50)]
        db.session.add_all(people)
        db.session.flush()
        db.session.add_all(Post(body=f"match number {n}", author=person,
                                timestamp=START + timedelta(minutes=n))
                           for n, person in enumerate(people))
        db.session.add_all(Comment(body=f"match comment {n}", author=person, post=post)
                           for n, person in enumerate(people))
        db.session.commit()

    def queries_for(self, path: str, page_size: int) -> int:
        self.app.config.update(FLASKY_POSTS_PER_PAGE=page_size,
                               FLASKY_COMMENTS_PER_PAGE=page_size,
                               FLASKY_FOLLOWERS_PER_PAGE=page_size)
        db.session.remove()
        with self.recorded_queries() as statements:
            response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.get_data(as_text=True).count('search-hit '), page_size)
        return len(statements)

    def test_five_or_fifty_results_cost_the_same(self):
        for path in ("/search?q=match", "/search?q=match&kind=comments",
                     "/search?q=writer&kind=people", "/search?q=match*&sort=newest"):
            with self.subTest(path=path):
                small, large = self.queries_for(path, 5), self.queries_for(path, 50)
                self.assertEqual(small, large)
                self.assertLessEqual(large, 2)  # the counts, then the page
        self.login("ada@example.com")
        self.client.get("/")
        self.assertEqual(self.queries_for("/search?q=match", 5),
                         self.queries_for("/search?q=match", 50))


class HostileQueryTestCase(SearchTestCase):
    def test_markup_queries_are_echoed_escaped(self):
        payload = '"><script>alert(1)</script>'
        page = self.client.get(f"/search?q={quote(payload)}").get_data(as_text=True)
        self.assertNotIn("<script>alert(1)", page)
        self.assertIn("&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;", page)
