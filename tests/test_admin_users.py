"""Administration: the user list, role changes in place, and the audit log."""

import re

from app import db
from app.models import RoleChange, User
from tests.admin_base import AdminTestCase


class UserListTestCase(AdminTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.login("admin@example.com")

    def listed(self, query: str = "") -> list[str]:
        response = self.client.get(f"/admin/users{query}")
        self.assertEqual(response.status_code, 200)
        return re.findall(r'rounded-circle me-1">\s*([^\s<]+)\s*</a>\s*</th>', self.text(response))

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
        self.assertRedirectsTo(self.client.get("/admin/users?page=9"), "/admin/users?page=2")
        self.assertRedirectsTo(self.client.get("/admin/users?page=9&q=nobody"),
                               "/admin/users?page=1&q=nobody")
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
        for bad in ("abc", "999", "-1", "%C2%B2"):
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
            with self.recorded_queries() as statements:
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

    def test_emptied_last_page_leads_to_the_new_last_page(self):
        for name in ("mod1", "mod2", "mod3", "mod4"):
            self.create_user(name, role="Moderator")
        moderator = self.role("Moderator").id
        back = f"/admin/users?page=2&role={moderator}"
        mod4 = User.by_username("mod4")
        response = self.change(mod4, self.role("User").id, next_url=back)
        self.assertRedirectsTo(response, back)
        self.assertRedirectsTo(self.client.get(back), f"/admin/users?page=1&role={moderator}")

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
            with self.recorded_queries() as statements:
                self.client.get("/admin/role-changes")
            counts.append(len(statements))
        self.assertEqual(len(set(counts)), 1, counts)
