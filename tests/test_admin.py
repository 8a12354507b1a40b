"""Administration pages: editing any profile, the user list, role changes."""

import re
from contextlib import contextmanager

from sqlalchemy import event

from app import db
from app.models import Role, RoleChange, User
from tests.base import FlaskyTestCase


class AdminTestCase(FlaskyTestCase):
    config = {"FLASKY_FOLLOWERS_PER_PAGE": 3}

    def setUp(self) -> None:
        super().setUp()
        self.admin = self.create_user("admin", role="Administrator")

    def role(self, name: str) -> Role:
        return db.session.scalar(db.select(Role).filter_by(name=name))

    def audit_rows(self) -> list[RoleChange]:
        db.session.expire_all()
        return list(db.session.scalars(db.select(RoleChange).order_by(RoleChange.id)))

    def fresh(self, user: User) -> User:
        db.session.expire_all()
        return db.session.get(User, user.id)

    def text(self, response) -> str:
        return response.get_data(as_text=True)

    @contextmanager
    def counting_queries(self):
        statements: list[str] = []

        def count(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", count)


class AccessTestCase(AdminTestCase):
    PAGES = ("/admin/users", "/admin/role-changes", "/edit-profile/1")

    def test_anonymous_is_sent_to_login(self):
        for path in self.PAGES:
            response = self.client.get(path)
            self.assertRedirectsTo(response, f"/auth/login?next={path.replace('/', '%2F')}")
        response = self.client.post("/admin/users/1/role", data={"role": self.role("User").id})
        self.assertIn("/auth/login", response.headers["Location"])
        self.assertTrue(self.fresh(self.admin).is_administrator())

    def test_users_and_moderators_are_forbidden(self):
        for role_name in ("User", "Moderator"):
            user = self.create_user(role_name.lower(), role=role_name)
            self.login(user.email)
            for path in self.PAGES:
                self.assertEqual(self.client.get(path).status_code, 403, path)
            response = self.client.post(f"/admin/users/{user.id}/role",
                                        data={"role": self.role("Administrator").id})
            self.assertEqual(response.status_code, 403)
            self.assertEqual(self.fresh(user).role.name, role_name)
            self.logout()
        self.assertEqual(self.audit_rows(), [])

    def test_unknown_user_is_not_found(self):
        self.login("admin@example.com")
        self.assertEqual(self.client.get("/edit-profile/999").status_code, 404)
        response = self.client.post("/admin/users/999/role", data={"role": self.role("User").id})
        self.assertEqual(response.status_code, 404)

    def test_admin_link_only_for_administrators(self):
        self.create_user("susan")
        self.login("susan@example.com")
        self.assertNotIn('href="/admin/users"', self.text(self.client.get("/")))
        self.logout()
        self.login("admin@example.com")
        self.assertIn('href="/admin/users">Admin</a>', self.text(self.client.get("/")))

    def test_role_change_needs_a_csrf_token(self):
        self.app.config["WTF_CSRF_ENABLED"] = True
        susan = self.create_user("susan")
        with self.client.session_transaction() as session:
            session["_user_id"] = self.admin.get_id()
            session["_fresh"] = True
        response = self.client.post(f"/admin/users/{susan.id}/role",
                                    data={"role": self.role("Moderator").id})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.fresh(susan).role.name, "User")
        page = self.text(self.client.get("/admin/users"))
        self.assertRegex(page, r'name="csrf_token" value="[^"]+"')


class EditProfileAdminTestCase(AdminTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.susan = self.create_user("susan", name="Susan", location="Lisbon")
        self.login("admin@example.com")

    def form(self, **changes):
        data = {"email": "susan@example.com", "username": "susan", "confirmed": "y",
                "role": self.role("User").id, "name": "Susan", "location": "Lisbon",
                "about_me": ""}
        data.update(changes)
        return {name: value for name, value in data.items() if value is not None}

    def post(self, **changes):
        return self.client.post(f"/edit-profile/{self.susan.id}", data=self.form(**changes))

    def test_form_shows_the_current_profile(self):
        page = self.text(self.client.get(f"/edit-profile/{self.susan.id}"))
        self.assertIn("<title>Edit susan · Flasky</title>", page)
        self.assertIn('value="susan@example.com"', page)
        self.assertIn('value="Lisbon"', page)
        moderator = self.role("User").id
        self.assertRegex(page, rf'<option selected value="{moderator}">User</option>')
        self.assertRegex(page, r'<label class="form-label" for="role">Role</label>')

    def test_update_everything(self):
        old_hash = self.susan.avatar_hash
        response = self.post(email="Susan.New@Example.COM", username="Susie", confirmed=None,
                             role=self.role("Moderator").id, name="Susan Q", location="Porto",
                             about_me="I *write*.")
        self.assertRedirectsTo(response, "/admin/users")
        susan = self.fresh(self.susan)
        self.assertEqual((susan.email, susan.username, susan.confirmed, susan.role.name),
                         ("susan.new@example.com", "Susie", False, "Moderator"))
        self.assertEqual((susan.name, susan.location), ("Susan Q", "Porto"))
        self.assertIn("<em>write</em>", susan.about_me_html)
        self.assertNotEqual(susan.avatar_hash, old_hash)
        self.assertEqual(susan.avatar_hash, User(email="susan.new@example.com").avatar_hash)
        [row] = self.audit_rows()
        self.assertEqual((row.actor_id, row.user_id, row.old_role, row.new_role),
                         (self.admin.id, susan.id, "User", "Moderator"))
        page = self.text(self.client.get("/admin/users"))
        self.assertIn("The profile of Susie has been updated.", page)

    def test_profile_change_without_role_change_is_not_audited(self):
        self.assertEqual(self.post(location="", name="  ").status_code, 302)
        susan = self.fresh(self.susan)
        self.assertIsNone(susan.location)
        self.assertIsNone(susan.name)
        self.assertEqual(self.audit_rows(), [])

    def test_own_email_and_username_in_another_case_are_allowed(self):
        self.assertEqual(self.post(email="SUSAN@example.com", username="SUSAN").status_code, 302)
        self.assertEqual(self.fresh(self.susan).username, "SUSAN")

    def assertRejected(self, response, message: str) -> None:
        self.assertEqual(response.status_code, 200)
        self.assertIn(message, self.text(response))
        susan = self.fresh(self.susan)
        self.assertEqual((susan.email, susan.username, susan.location, susan.role.name),
                         ("susan@example.com", "susan", "Lisbon", "User"))
        self.assertEqual(self.audit_rows(), [])

    def test_duplicate_email_in_any_case(self):
        self.create_user("john")
        for email in ("john@example.com", "JOHN@Example.com"):
            self.assertRejected(self.post(email=email, location="Porto",
                                          role=self.role("Moderator").id),
                                "Email already registered.")

    def test_duplicate_username_in_any_case(self):
        self.create_user("john")
        for username in ("john", "JoHn"):
            self.assertRejected(self.post(username=username, location="Porto"),
                                "Username already in use.")

    def test_invalid_fields(self):
        cases = {
            "username": ("9lives", "Usernames start with a letter"),
            "email": ("not-an-email", "Invalid email address."),
        }
        for field, (value, message) in cases.items():
            self.assertRejected(self.post(**{field: value}), message)
        self.assertRejected(self.post(username=""), "This field is required.")

    def test_over_long_fields(self):
        for field, length in (("name", 65), ("location", 65), ("about_me", 2001),
                              ("username", 65)):
            self.assertRejected(self.post(**{field: "a" * length}), "is-invalid")
        self.assertRejected(self.post(email="a" * 250 + "@example.com"), "is-invalid")

    def test_bad_role(self):
        self.assertRejected(self.post(role=999, location="Porto"), "Not a valid choice")
        self.assertRejected(self.post(role="admin", location="Porto"), "Invalid Choice")

    def test_last_administrator_cannot_be_demoted(self):
        url = f"/edit-profile/{self.admin.id}"
        response = self.client.post(url, data={
            "email": "admin@example.com", "username": "admin", "confirmed": "y",
            "role": self.role("Moderator").id, "location": "Nowhere"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("admin is the last Administrator", self.text(response))
        admin = self.fresh(self.admin)
        self.assertTrue(admin.is_administrator())
        self.assertIsNone(admin.location)
        self.assertEqual(self.audit_rows(), [])

    def test_admin_demoting_itself_goes_home(self):
        self.create_user("other", role="Administrator")
        response = self.client.post(f"/edit-profile/{self.admin.id}", data={
            "email": "admin@example.com", "username": "admin", "confirmed": "y",
            "role": self.role("User").id})
        self.assertRedirectsTo(response, "/")
        self.assertFalse(self.fresh(self.admin).is_administrator())
        self.assertEqual(self.client.get("/admin/users").status_code, 403)


class UserListTestCase(AdminTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.login("admin@example.com")

    def listed(self, query: str = "") -> list[str]:
        response = self.client.get(f"/admin/users{query}")
        self.assertEqual(response.status_code, 200)
        return re.findall(r'rounded-circle me-1">\s*(\S+)\s*</th>', self.text(response))

    def test_page_shows_users_with_edit_links_and_labelled_selects(self):
        susan = self.create_user("susan", name="Susan Q")
        page = self.text(self.client.get("/admin/users"))
        self.assertIn("<title>Users · Flasky</title>", page)
        self.assertIn('class="table-responsive"', page)
        self.assertIn(f'href="/edit-profile/{susan.id}">Edit', page)
        self.assertIn('aria-label="Role of susan"', page)
        self.assertIn('<label class="form-label" for="q">Search</label>', page)
        self.assertIn("Susan Q", page)

    def test_pagination(self):
        for name in ("bob", "Carol", "dave", "erin"):
            self.create_user(name)
        self.assertEqual(self.listed(), ["admin", "bob", "Carol"])
        self.assertEqual(self.listed("?page=2"), ["dave", "erin"])
        self.assertEqual(self.listed("?page=9"), [])
        self.assertEqual(self.listed("?page=x"), ["admin", "bob", "Carol"])

    def test_search_by_username_name_or_email_in_any_case(self):
        self.create_user("bob", name="Robert Smith")
        self.create_user("carol", email="carol@Work.example.org")
        self.create_user("Smithers")
        self.assertEqual(self.listed("?q=SMITH"), ["bob", "Smithers"])
        self.assertEqual(self.listed("?q=work.EXAMPLE"), ["carol"])
        self.assertEqual(self.listed("?q=nobody"), [])

    def test_search_treats_like_wildcards_literally(self):
        self.create_user("a_b")
        self.create_user("axb", name="100% real")
        self.create_user("slash", name="either/or")
        self.assertEqual(self.listed("?q=_"), ["a_b"])
        self.assertEqual(self.listed("?q=%25"), ["axb"])
        self.assertEqual(self.listed("?q=a%25b"), [])
        self.assertEqual(self.listed("?q=/"), ["slash"])
        self.assertEqual(self.listed("?q=%27%3B--"), [])

    def test_filter_by_role_and_combine_with_search(self):
        self.create_user("mod", role="Moderator")
        self.create_user("moderately")
        moderator = self.role("Moderator").id
        self.assertEqual(self.listed(f"?role={moderator}"), ["mod"])
        self.assertEqual(self.listed(f"?role={moderator}&q=ately"), [])
        self.assertEqual(self.listed("?q=mod"), ["mod", "moderately"])
        for bad in ("abc", "999", "-1"):
            self.assertEqual(self.listed(f"?role={bad}"), ["admin", "mod", "moderately"])

    def test_pagination_links_keep_the_filters(self):
        for name in ("ann1", "ann2", "ann3", "ann4"):
            self.create_user(name)
        page = self.text(self.client.get(f"/admin/users?q=ann&role={self.role('User').id}"))
        self.assertIn(f"/admin/users?page=2&amp;q=ann&amp;role={self.role('User').id}", page)

    def test_too_long_search_is_an_error(self):
        response = self.client.get("/admin/users?q=" + "a" * 101)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Field cannot be longer than 100 characters.", self.text(response))

    def test_fixed_number_of_queries_per_page(self):
        counts = []
        for name in ("bob", "carol", "dave", "erin"):
            self.create_user(name, role="Moderator")
            with self.counting_queries() as statements:
                self.client.get("/admin/users")
            counts.append(len(statements))
        self.assertEqual(len(set(counts)), 1, counts)


class RoleChangeFromListTestCase(AdminTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.susan = self.create_user("susan")
        self.login("admin@example.com")

    def change(self, user: User, role, next_url: str | None = "/admin/users?q=su&page=1"):
        data = {"role": role}
        if next_url is not None:
            data["next"] = next_url
        return self.client.post(f"/admin/users/{user.id}/role", data=data)

    def test_change_role_in_place(self):
        response = self.change(self.susan, self.role("Moderator").id)
        self.assertRedirectsTo(response, "/admin/users?q=su&page=1")
        self.assertEqual(self.fresh(self.susan).role.name, "Moderator")
        [row] = self.audit_rows()
        self.assertEqual((row.actor_id, row.user_id, row.old_role, row.new_role),
                         (self.admin.id, self.susan.id, "User", "Moderator"))
        page = self.text(self.client.get("/admin/users"))
        self.assertIn("susan is now Moderator (was User).", page)

    def test_unsafe_or_missing_next_goes_to_the_list(self):
        for next_url in ("//evil.example/", "https://evil.example/", None):
            response = self.change(self.susan, self.role("Moderator").id, next_url)
            self.assertRedirectsTo(response, "/admin/users")

    def test_same_role_is_not_audited(self):
        self.change(self.susan, self.role("User").id)
        self.assertEqual(self.audit_rows(), [])
        self.assertIn("susan already has the role User.", self.text(self.client.get("/")))

    def test_bad_role_changes_nothing(self):
        for role in (999, "x", ""):
            response = self.change(self.susan, role)
            self.assertRedirectsTo(response, "/admin/users?q=su&page=1")
            self.assertEqual(self.fresh(self.susan).role.name, "User")
        self.assertEqual(self.audit_rows(), [])
        self.assertIn("The role of susan was not changed", self.text(self.client.get("/")))

    def test_last_administrator_cannot_be_demoted(self):
        response = self.change(self.admin, self.role("User").id)
        self.assertRedirectsTo(response, "/admin/users?q=su&page=1")
        self.assertTrue(self.fresh(self.admin).is_administrator())
        self.assertEqual(self.audit_rows(), [])
        self.assertIn("admin is the last Administrator", self.text(self.client.get("/")))

    def test_promote_then_demote_the_former_admin(self):
        self.change(self.susan, self.role("Administrator").id)
        response = self.change(self.admin, self.role("User").id)
        self.assertRedirectsTo(response, "/")
        self.assertFalse(self.fresh(self.admin).is_administrator())
        rows = self.audit_rows()
        self.assertEqual([(row.user_id, row.new_role) for row in rows],
                         [(self.susan.id, "Administrator"), (self.admin.id, "User")])


class RoleChangeLogTestCase(AdminTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.login("admin@example.com")

    def test_empty_log(self):
        page = self.text(self.client.get("/admin/role-changes"))
        self.assertIn("<title>Role changes · Flasky</title>", page)
        self.assertIn("No role has been changed yet.", page)

    def test_log_newest_first_paginated_with_who_whom_what(self):
        susan = self.create_user("susan")
        for role_name in ("Moderator", "Administrator", "User", "Moderator"):
            self.client.post(f"/admin/users/{susan.id}/role",
                             data={"role": self.role(role_name).id})
        page = self.text(self.client.get("/admin/role-changes"))
        rows = re.findall(r"<tr>\s*<td><time.*?</tr>", page, re.S)
        cells = [re.findall(r"<td>(?:<a [^>]+>)?([^<]*)", row)[1:] for row in rows]
        self.assertEqual(cells, [
            ["susan", "User", "Moderator", "admin"],
            ["susan", "Administrator", "User", "admin"],
            ["susan", "Moderator", "Administrator", "admin"],
        ])
        page2 = self.text(self.client.get("/admin/role-changes?page=2"))
        self.assertEqual(len(re.findall(r"<tr>\s*<td><time", page2)), 1)
        self.assertIn("<td>User</td>\n        <td>Moderator</td>", page2)

    def test_deleted_actor_is_shown_as_such(self):
        susan = self.create_user("susan")
        db.session.add(RoleChange(actor=None, user=susan, old_role="User", new_role="Moderator"))
        db.session.commit()
        self.assertIn("a deleted user", self.text(self.client.get("/admin/role-changes")))

    def test_fixed_number_of_queries_per_page(self):
        counts = []
        for name in ("bob", "carol", "dave", "erin"):
            user = self.create_user(name)
            self.client.post(f"/admin/users/{user.id}/role",
                             data={"role": self.role("Moderator").id})
            db.session.expire_all()
            with self.counting_queries() as statements:
                self.client.get("/admin/role-changes")
            counts.append(len(statements))
        self.assertEqual(len(set(counts)), 1, counts)
