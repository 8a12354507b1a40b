"""Screenshots of every main page, for people changing how Flasky looks.

Not a test (the file name keeps discovery away): run it with
``.venv/bin/python -m unittest tests.browser.tour`` and look at the PNGs in
tests/screenshots/tour/, on a phone-sized and a desktop-sized window, in light
and dark mode, as a visitor and as an administrator.
"""

from app.extensions import db
from app.models import Comment, Onboarding, Post, Report
from tests.browser import flows
from tests.browser.harness import DESKTOP, PHONE, SCREENSHOTS, BrowserTestCase

POST_BODY = """Notes from this week's **compiler** work:

- parsing is *done*
- code generation is next, see [the plan](https://example.com/plan)

```
print("hello, world")
```

> Programs must be written for people to read."""


class Tour(BrowserTestCase):
    def test_tour(self):
        ids = self.create_community()
        grace = db.session.get(type(self).user_model(), ids["grace"])
        for number in range(21):  # more than a page, to show the pagination
            post = Post(body=POST_BODY if number == 0 else f"Post number {number}.", author=grace)
            db.session.add(post)
            db.session.add(Comment(body="Well said, *really*.", author=grace, post=post))
        spam = db.session.scalar(db.select(Comment).filter_by(disabled=True))
        db.session.add(Report(reporter=grace, target=f"comment:{spam.id}", comment=spam,
                              user=spam.author, reason="spam"))  # /moderate leads with it
        db.session.add(Onboarding(user_id=ids["ada"]))  # ada's home shows the checklist
        db.session.commit()
        shots = {"visitor": ["/", "/auth/login", "/auth/register", "/auth/reset",
                             "/post/999999"],  # an error page: its own words, ways on
                 "root": ["/", "/user/grace", f"/post/{ids['post'] + 1}", "/moderate",
                          f"/post/{ids['post']}",  # Disable / Enable in the thread
                          "/moderate/reports",
                          "/admin/users", "/admin/role-changes", "/edit-profile",
                          f"/edit-profile/{ids['ada']}", "/followers/grace",
                          "/auth/change-password", f"/edit/{ids['post']}"],
                 "ada": ["/", "/followed", "/user/ada", "/no-such-page"],
                 "grace": ["/", f"/post/{ids['post']}", "/drafts", "/search?q=post",
                           "/messages/ada"],
                 "newbie": ["/auth/unconfirmed"]}
        shots["visitor"] += ["/people"]  # finding people
        shots["ada"] += ["/people/active", "/followed_by/ada", "/all?page=2"]  # + the checklist
        shots["newbie"] += ["/", "/user/grace"]  # reading before confirming
        self.create_user("newbie", email="newbie@example.com", confirmed=False)
        for size_name, size in (("phone", PHONE), ("desktop", DESKTOP)):
            for scheme in ("light", "dark"):
                for who, paths in shots.items():
                    context = self.new_context(viewport=size, color_scheme=scheme)
                    page = context.new_page()
                    if who != "visitor":
                        flows.log_in(page, f"{who}@example.com")
                    for path in paths:
                        page.goto(path)
                        name = f"{size_name}-{scheme}-{who}{path.replace('/', '_')}"
                        self.screenshot(f"tour/{name}", page)
                    context.close()
        print(f"screenshots in {SCREENSHOTS / 'tour'}")

    @staticmethod
    def user_model():
        from app.models import User

        return User
