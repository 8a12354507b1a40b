"""Administration: who may enter, and editing any profile."""

from sqlalchemy import event, insert

from app import db
from app.models import User
from tests.admin_base import AdminTestCase


class AccessTestCase(AdminTestCase):
    PAGES = ("/admin/users", "/admin/role-changes", "/admin/jobs", "/edit-profile/1")

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
        self.sign_in_directly(self.admin)
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
        self.assertRedirectsTo(response, "/user/Susie")
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
        page = self.text(self.client.get("/user/Susie"))
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

    def test_email_taken_between_validation_and_commit(self):
        def someone_takes_the_email(session, flush_context, instances):
            session.execute(insert(User).values(email="taken@example.com", username="racer"))

        event.listen(db.session, "before_flush", someone_takes_the_email, once=True)
        response = self.post(email="taken@example.com", role=self.role("Moderator").id)
        self.assertRejected(response, "Someone else just took this email or username.")
        self.assertIsNone(User.by_username("racer"))

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

    def test_admin_may_demote_itself_while_another_remains(self):
        self.create_user("other", role="Administrator")
        response = self.client.post(f"/edit-profile/{self.admin.id}", data={
            "email": "admin@example.com", "username": "admin", "confirmed": "y",
            "role": self.role("User").id})
        self.assertRedirectsTo(response, "/user/admin")
        self.assertFalse(self.fresh(self.admin).is_administrator())
        self.assertEqual(self.client.get("/admin/users").status_code, 403)
